// GET /api/portal/events/{id}: Vitarec's Server-Sent Events relayed byte for byte (Last-Event-ID
// passed on, so a reconnecting browser resumes). Only the connection is bounded by the 5 s limit;
// the stream then lasts until Vitarec closes it or the browser goes away.
import { ApiError, Backend, BackendFailure, kBackendTimeoutMs, PlausibleId } from '@/lib/backend';
import { VitarecError } from '@vitarec/client';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  if (!PlausibleId(id)) return ApiError(400, 'invalid_argument', 'the recommendation id is not valid');
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  const lastEventId = request.headers.get('Last-Event-ID');
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;

  const controller = new AbortController();
  const onGone = () => controller.abort();
  request.signal.addEventListener('abort', onGone, { once: true });
  const connectTimer = setTimeout(() => controller.abort(new DOMException('connect timeout', 'TimeoutError')), kBackendTimeoutMs);
  let upstream: Response;
  try {
    upstream = await fetch(Backend().eventsUrl(id), { headers, cache: 'no-store', signal: controller.signal });
  } catch (error) {
    const timedOut = controller.signal.reason instanceof DOMException && controller.signal.reason.name === 'TimeoutError';
    return BackendFailure(new VitarecError({ code: timedOut ? 'timeout' : 'network_error', status: 0, message: String(error), cause: error }));
  } finally {
    clearTimeout(connectTimer);
  }
  if (!upstream.ok || upstream.body === null) {
    return new Response(upstream.body, {
      status: upstream.status, headers: { 'Content-Type': upstream.headers.get('Content-Type') ?? 'application/json', 'Cache-Control': 'no-store' },
    });
  }
  return new Response(upstream.body, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: keeps `next start`'s compression from buffering the stream.
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    },
  });
}
