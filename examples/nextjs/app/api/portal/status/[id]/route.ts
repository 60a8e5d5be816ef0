// GET /api/portal/status/{id}: Vitarec's status, relayed within 5 s (plus the long-poll `wait`),
// with its ETag / If-None-Match → 304 and Retry-After.
import { ApiError, Backend, BackendDeadline, BackendFailure, Json, PlausibleId } from '@/lib/backend';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  if (!PlausibleId(id)) return ApiError(400, 'invalid_argument', 'the recommendation id is not valid');
  const wait = Math.min(30, Math.max(0, Math.floor(Number(new URL(request.url).searchParams.get('wait')) || 0)));
  try {
    const read = await Backend().status(id, {
      etag: request.headers.get('If-None-Match'), waitSeconds: wait, signal: BackendDeadline(wait * 1000),
    });
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (read.etag) headers.ETag = read.etag;
    if (read.retryAfterMs !== undefined) headers['Retry-After'] = String(Math.ceil(read.retryAfterMs / 1000));
    if (read.notModified) return new Response(null, { status: 304, headers });
    return Json(200, read.status, headers);
  } catch (error) {
    return BackendFailure(error);
  }
}
