// POST /api/portal/quiz: the portal's submission, forwarded to Vitarec within 5 s; answers the
// 202 with the recommendation_id (statusUrl under /api/portal/status/), or Vitarec's error, or
// 502/504 JSON when Vitarec is down or slow.
import type { RecommendRequest } from '@vitarec/client';
import { ApiError, Backend, BackendDeadline, BackendFailure, Json } from '@/lib/backend';

export const dynamic = 'force-dynamic';

const kMaxBodyBytes = 64 * 1024;

export async function POST(request: Request): Promise<Response> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return ApiError(415, 'unsupported_media_type', 'the body must be JSON (Content-Type: application/json)');
  }
  const text = await request.text();
  if (new TextEncoder().encode(text).length > kMaxBodyBytes) {
    return ApiError(413, 'payload_too_large', 'the body is over 64 KiB');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return ApiError(400, 'invalid_argument', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return ApiError(400, 'invalid_argument', 'the body must be a JSON object');
  }
  const idempotencyKey = request.headers.get('Idempotency-Key') ?? undefined;
  try {
    const accepted = await Backend().submit(body as RecommendRequest, {
      signal: BackendDeadline(), ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return Json(202, accepted, { Location: accepted.statusUrl, 'Retry-After': '3' });
  } catch (error) {
    return BackendFailure(error);
  }
}
