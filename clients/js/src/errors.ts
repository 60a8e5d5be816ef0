// The one error type the client throws (besides the caller's own AbortSignal reason): an API
// error answer with its stable `code` and HTTP status, or a client-side failure with status 0.
import type { Status } from './types.js';

/**
 * Codes the client itself uses; every other code is the API's (`invalid_argument`, `not_found`,
 * `conflict`, `gone`, `busy`, `unavailable`, `bad_gateway`, `gateway_timeout`, ...; docs/API.md).
 * - `network_error`: no HTTP answer (connection refused, reset, DNS).
 * - `timeout`: the request's signal was an `AbortSignal.timeout(...)` that fired.
 * - `invalid_response`: an answer that is not the JSON the API promises.
 * - `wait_timeout`: waitFor's maxWaitMs passed before the job was final (`lastStatus` set).
 * - `http_<status>`: an error answer without the API's JSON error body.
 */
export type ClientErrorCode = 'network_error' | 'timeout' | 'invalid_response' | 'wait_timeout';

export interface VitarecErrorInit {
  code: string;
  message: string;
  status: number;
  field?: string;
  retryAfterMs?: number;
  lastStatus?: Status;
  cause?: unknown;
}

// Statuses and client codes after which the same request may succeed later.
const kRetryableStatuses: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);
const kRetryableCodes: ReadonlySet<string> = new Set(['network_error', 'timeout', 'wait_timeout']);

export class VitarecError extends Error {
  override readonly name = 'VitarecError';
  /** The API's error code, or one of ClientErrorCode. */
  readonly code: string;
  /** The HTTP status of the answer; 0 when there was none. */
  readonly status: number;
  /** For invalid fields: a JSON path such as `answers.age`, or a header name. */
  readonly field: string | undefined;
  /** The answer's Retry-After, in milliseconds, when it had one. */
  readonly retryAfterMs: number | undefined;
  /** For `wait_timeout`: the last status seen before giving up. */
  readonly lastStatus: Status | undefined;

  constructor(init: VitarecErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.field = init.field;
    this.retryAfterMs = init.retryAfterMs;
    this.lastStatus = init.lastStatus;
  }

  /** True when trying again later may succeed (no answer, 408, 429, 502, 503, 504, timeouts). */
  get retryable(): boolean {
    return kRetryableStatuses.has(this.status) || kRetryableCodes.has(this.code);
  }
}

/** Narrows an unknown caught value; optionally to one code. */
export function isVitarecError(value: unknown, code?: string): value is VitarecError {
  return value instanceof VitarecError && (code === undefined || value.code === code);
}
