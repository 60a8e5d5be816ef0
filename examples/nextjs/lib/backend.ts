// Server side only (route handlers): the client for the Vitarec service at VITAREC_URL, and the
// answers the portal's API routes give when Vitarec fails — its own error JSON passed through,
// `502 bad_gateway` when it cannot be reached, `504 gateway_timeout` when it does not answer
// within kBackendTimeoutMs.
import { createClient, isVitarecError, type VitarecClient } from '@vitarec/client';

/** How long a route handler waits for Vitarec's answer (the old portal's limit). */
export const kBackendTimeoutMs = 5000;

let cached: { url: string; client: VitarecClient } | null = null;

/** The client for VITAREC_URL (default http://127.0.0.1:8080), with the front-end routes. */
export function Backend(): VitarecClient {
  const url = process.env.VITAREC_URL || 'http://127.0.0.1:8080';
  if (cached?.url !== url) {
    const token = process.env.VITAREC_ADMIN_TOKEN;
    cached = {
      url,
      client: createClient({ baseUrl: url, routes: 'frontend', ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}) }),
    };
  }
  return cached.client;
}

/** A signal that fires after the backend timeout (plus `extraMs`, e.g. a long-poll's wait). */
export function BackendDeadline(extraMs = 0): AbortSignal {
  return AbortSignal.timeout(kBackendTimeoutMs + extraMs);
}

export function Json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}

export function ApiError(status: number, code: string, message: string, extra: Record<string, string> = {}): Response {
  return Json(status, { error: { code, message, ...extra } });
}

/** The answer for a failed call to Vitarec (rethrows what is not a VitarecError: a bug, a 500). */
export function BackendFailure(error: unknown): Response {
  if (!isVitarecError(error)) throw error;
  if (error.status >= 400) {
    const headers: Record<string, string> = {};
    if (error.retryAfterMs !== undefined) headers['Retry-After'] = String(Math.ceil(error.retryAfterMs / 1000));
    return Json(error.status, { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } }, headers);
  }
  if (error.code === 'timeout') {
    return ApiError(504, 'gateway_timeout', `the recommendation service did not answer within ${kBackendTimeoutMs / 1000} s`);
  }
  return ApiError(502, 'bad_gateway', 'the recommendation service cannot be reached');
}

/** True for an id the routes pass on (Vitarec checks it is a UUID). */
export function PlausibleId(id: string): boolean {
  return id.length > 0 && id.length <= 64;
}
