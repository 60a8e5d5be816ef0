// The two control routes (retry, cancel) share one shape: POST, relay to Vitarec within 5 s.
import { ApiError, Backend, BackendDeadline, BackendFailure, Json, PlausibleId } from '@/lib/backend';

export async function Control(action: 'retry' | 'cancel', params: Promise<{ id: string }>): Promise<Response> {
  const { id } = await params;
  if (!PlausibleId(id)) return ApiError(400, 'invalid_argument', 'the recommendation id is not valid');
  try {
    const client = Backend();
    const signal = BackendDeadline();
    const status = await (action === 'retry' ? client.retry(id, { signal }) : client.cancel(id, { signal }));
    // Vitarec answers 200 for a job cancelled at once, 202 for work that goes on.
    return Json(status.status === 'processing' ? 202 : 200, status, status.status === 'processing' ? { 'Retry-After': '3' } : {});
  } catch (error) {
    return BackendFailure(error);
  }
}
