// The fetch boundary: every request of the client goes through Send, every answer body through
// ReadJson, so that failures leave as VitarecError (or the caller's abort reason) and nothing else.
import { VitarecError } from './errors.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

function IsTimeoutReason(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
}

// What a failed fetch or body read becomes: the caller's abort reason when it aborted (a timeout
// signal becomes code `timeout`), else `network_error`.
export function FailureFrom(error: unknown, signal: AbortSignal | undefined, url: string): unknown {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (IsTimeoutReason(reason)) {
      return new VitarecError({ code: 'timeout', status: 0, message: `no answer from ${url} in time`, cause: reason });
    }
    return reason ?? error;
  }
  if (error instanceof VitarecError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new VitarecError({ code: 'network_error', status: 0, message: `cannot reach ${url}: ${detail}`, cause: error });
}

export async function Send(fetchImpl: FetchLike, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    throw FailureFrom(error, init.signal ?? undefined, url);
  }
}

/** Retry-After (delta seconds or an HTTP date) in milliseconds; undefined when absent or bad. */
export function RetryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export async function ReadJson(response: Response, url: string, signal: AbortSignal | undefined): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw FailureFrom(error, signal, url);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new VitarecError({
      code: 'invalid_response', status: response.status,
      message: `${url} answered ${response.status} with a body that is not JSON`,
    });
  }
}

/** The VitarecError for a non-2xx answer, from the API's `{"error": {code, message, field}}`. */
export async function ErrorFrom(response: Response, url: string, signal: AbortSignal | undefined): Promise<VitarecError> {
  const retryAfterMs = RetryAfterMs(response);
  let body: unknown = null;
  try {
    body = await ReadJson(response, url, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' && error.code !== '' ? error.code : `http_${response.status}`;
  const message = typeof error?.message === 'string' && error.message !== ''
    ? error.message : `${url} answered ${response.status}`;
  return new VitarecError({
    code, message, status: response.status,
    ...(typeof error?.field === 'string' ? { field: error.field } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
