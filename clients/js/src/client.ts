// createClient: the five calls of the Vitarec API over fetch (no dependencies; browsers and
// Node 20). Every failure is a VitarecError (errors.ts) or the caller's AbortSignal reason.
import { VitarecError } from './errors.js';
import { ErrorFrom, ReadJson, RetryAfterMs, Send, type FetchLike } from './http.js';
import type { Accepted, RecommendRequest, Status } from './types.js';
import { WaitFor, type WaitOptions } from './wait.js';

/**
 * Which route names to call. `service`: /portal/recommend, /portal/status/{id},
 * /portal/events/{id}, /portal/recommend/{id}/retry|cancel (Vitarec itself). `frontend`: the
 * front-end routes /api/portal/quiz, /api/portal/status/{id}, /api/portal/events/{id},
 * /api/portal/recommend/{id}/retry|cancel, which Vitarec also serves and a front-end tier (such as
 * examples/nextjs) relays.
 */
export type Routes = 'service' | 'frontend';

export interface ClientOptions {
  /** Where the API is, e.g. `http://127.0.0.1:8080`; '' (the default) is the page's own origin. */
  baseUrl?: string;
  /** The fetch to use (default: the global one). */
  fetch?: FetchLike;
  routes?: Routes;
  /** Sent with every request, e.g. `{Authorization: 'Bearer …'}` for an --admin-token service. */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface SubmitOptions extends RequestOptions {
  /** The same key with the same body returns the same recommendation (≤ 200 visible ASCII). */
  idempotencyKey?: string;
}

export interface StatusOptions extends RequestOptions {
  /** The ETag of the last status read: when nothing changed the answer is `notModified`. */
  etag?: string | null;
  /** Long-poll: wait up to this many seconds (≤ 30) for a change while processing. */
  waitSeconds?: number;
}

/** One status read. `etag` is the validator to send next time; `retryAfterMs` the server's advice. */
export type StatusRead =
  | { notModified: false; status: Status; etag: string | null; retryAfterMs: number | undefined }
  | { notModified: true; etag: string | null; retryAfterMs: number | undefined };

export interface VitarecClient {
  readonly baseUrl: string;
  /** POST the request; resolves to the 202 body once the job is durably stored. */
  submit(request: RecommendRequest, options?: SubmitOptions): Promise<Accepted>;
  /** GET the status; with `etag`, a 304 resolves to `{notModified: true}`. */
  status(id: string, options?: StatusOptions): Promise<StatusRead>;
  /**
   * Follows the job until it is final and resolves to that status (completed, failed or
   * cancelled: a failed job resolves, it does not reject). Server-Sent Events with Last-Event-ID
   * resume, falling back to polling. Rejects with VitarecError `not_found`/`gone`/... when the id
   * cannot be followed, `wait_timeout` after maxWaitMs, or the signal's reason when aborted.
   */
  waitFor(id: string, options?: WaitOptions): Promise<Status>;
  /** Puts a failed or cancelled job back to work (`409 conflict` otherwise). */
  retry(id: string, options?: RequestOptions): Promise<Status>;
  /** Cancels a queued job at once, a running one at its next stage (`409` when already final). */
  cancel(id: string, options?: RequestOptions): Promise<Status>;
  /** The URL of the job's event stream. */
  eventsUrl(id: string): string;
}

interface RoutePaths {
  submit: string;
  status: (id: string) => string;
  events: (id: string) => string;
  control: (id: string, action: 'retry' | 'cancel') => string;
}

function PathsFor(routes: Routes): RoutePaths {
  const prefix = routes === 'frontend' ? '/api' : '';
  const id = (value: string) => encodeURIComponent(value);
  return {
    submit: routes === 'frontend' ? '/api/portal/quiz' : '/portal/recommend',
    status: (value) => `${prefix}/portal/status/${id(value)}`,
    events: (value) => `${prefix}/portal/events/${id(value)}`,
    control: (value, action) => `${prefix}/portal/recommend/${id(value)}/${action}`,
  };
}

function AsStatus(body: unknown, url: string, httpStatus: number): Status {
  const candidate = body as Partial<Status> | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.status !== 'string' ||
      typeof candidate.recommendation_id !== 'string') {
    throw new VitarecError({ code: 'invalid_response', status: httpStatus, message: `${url} answered without a status object` });
  }
  return candidate as Status;
}

export function createClient(options: ClientOptions = {}): VitarecClient {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const paths = PathsFor(options.routes ?? 'service');
  const extraHeaders = options.headers ?? {};

  const headers = (own: Record<string, string>): Record<string, string> => ({ ...extraHeaders, ...own });

  async function StatusBody(response: Response, url: string, signal: AbortSignal | undefined): Promise<Status> {
    if (!response.ok) throw await ErrorFrom(response, url, signal);
    return AsStatus(await ReadJson(response, url, signal), url, response.status);
  }

  async function Control(id: string, action: 'retry' | 'cancel', signal: AbortSignal | undefined): Promise<Status> {
    const url = baseUrl + paths.control(id, action);
    const response = await Send(fetchImpl, url, {
      method: 'POST', headers: headers({ Accept: 'application/json' }), signal: signal ?? null,
    });
    return StatusBody(response, url, signal);
  }

  const client: VitarecClient = {
    baseUrl,

    async submit(request, { idempotencyKey, signal } = {}) {
      const url = baseUrl + paths.submit;
      const own: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (idempotencyKey !== undefined) own['Idempotency-Key'] = idempotencyKey;
      const response = await Send(fetchImpl, url, {
        method: 'POST', headers: headers(own), body: JSON.stringify(request), signal: signal ?? null,
      });
      if (!response.ok) throw await ErrorFrom(response, url, signal);
      const body = await ReadJson(response, url, signal) as Partial<Accepted> | null;
      if (typeof body?.recommendation_id !== 'string') {
        throw new VitarecError({ code: 'invalid_response', status: response.status, message: `${url} answered without a recommendation_id` });
      }
      return body as Accepted;
    },

    async status(id, { etag, waitSeconds, signal } = {}) {
      const url = baseUrl + paths.status(id) + (waitSeconds ? `?wait=${Math.floor(waitSeconds)}` : '');
      const own: Record<string, string> = { Accept: 'application/json' };
      if (etag) own['If-None-Match'] = etag;
      const response = await Send(fetchImpl, url, {
        method: 'GET', headers: headers(own), cache: 'no-store', signal: signal ?? null,
      });
      const retryAfterMs = RetryAfterMs(response);
      if (response.status === 304) {
        response.body?.cancel().catch(() => undefined);
        return { notModified: true, etag: response.headers.get('ETag') ?? etag ?? null, retryAfterMs };
      }
      const status = await StatusBody(response, url, signal);
      return { notModified: false, status, etag: response.headers.get('ETag'), retryAfterMs };
    },

    waitFor(id, waitOptions = {}) {
      return WaitFor({
        fetch: fetchImpl,
        eventsUrl: baseUrl + paths.events(id),
        headers: extraHeaders,
        status: (statusOptions) => client.status(id, statusOptions),
      }, waitOptions);
    },

    retry: (id, { signal } = {}) => Control(id, 'retry', signal),
    cancel: (id, { signal } = {}) => Control(id, 'cancel', signal),
    eventsUrl: (id) => baseUrl + paths.events(id),
  };
  return client;
}
