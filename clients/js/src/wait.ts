// waitFor: follows one job until it is final. First Server-Sent Events (GET /portal/events/{id});
// a stream that ends or breaks before the final event is reopened with Last-Event-ID (the server
// then sends only what is newer). Polling takes over, for the rest of the wait, when the events
// route is missing (a front-end tier answers 404), answers something else than an event stream,
// stays silent (a buffering proxy), or two connections in a row bring no event. Polling reads the
// status with If-None-Match every pollIntervalMs, or the server's Retry-After when that is longer.
// Only one transport runs at a time; every wait, request and read is bounded by maxWaitMs.
import type { StatusOptions, StatusRead } from './client.js';
import { VitarecError } from './errors.js';
import { ErrorFrom, Send, type FetchLike } from './http.js';
import { EventStreamParser, ReadEventStream, type ServerSentEvent } from './sse.js';
import { isFinal, type Narrative, type Status } from './types.js';

export interface WaitOptions {
  /** Each new status (progress, message, state), the first one included. */
  onProgress?: (status: Status) => void;
  /** Each change of the model-written narrative (never called when the service has no model). */
  onNarrative?: (narrative: Narrative, status: Status | null) => void;
  /**
   * A read failed in a way that may pass (no answer, 502/503/504, 429): called with the error,
   * and waiting goes on; called with null when reads succeed again.
   */
  onConnectionChange?: (error: VitarecError | null) => void;
  signal?: AbortSignal;
  /** Polling period (default 3000 ms); the server's Retry-After is a floor. */
  pollIntervalMs?: number;
  /** Give up after this long with VitarecError `wait_timeout` (default 180000 ms: 3 minutes). */
  maxWaitMs?: number;
  /** `auto` (default): events, then polling; `polling`: never open an event stream. */
  transport?: 'auto' | 'polling';
}

/** What waitFor needs from the client that created it. */
export interface WaitContext {
  fetch: FetchLike;
  eventsUrl: string;
  headers: Record<string, string>;
  status: (options: StatusOptions) => Promise<StatusRead>;
}

const kDefaultPollMs = 3000;
const kDefaultMaxWaitMs = 180_000;
const kDefaultReconnectMs = 3000;
const kNarrativeStates: ReadonlySet<string> = new Set(['writing', 'complete', 'unavailable']);
const kSilence = Symbol('silent event stream');

function IsStatus(value: unknown): value is Status {
  const v = value as Partial<Status> | null;
  return typeof v === 'object' && v !== null && typeof v.status === 'string' && typeof v.recommendation_id === 'string';
}

function AsNarrative(value: unknown): Narrative | null {
  const v = value as Partial<Narrative> | null;
  return typeof v === 'object' && v !== null && typeof v.status === 'string' && kNarrativeStates.has(v.status)
    ? v as Narrative : null;
}

function Delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// An AbortController that also aborts (with the same reason) when `parent` does.
function Linked(parent: AbortSignal): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}

// What the wait has seen, and the callbacks, which run only for changes. A callback that throws
// ends the wait with its error (through `fail`).
class Follower {
  lastEventId = '';
  last: Status | null = null;
  private lastKey = '';
  private narrativeKey = '';
  private connectionError: VitarecError | null = null;

  constructor(private readonly options: WaitOptions, private readonly fail: (error: unknown) => void) {}

  applyStatus(status: Status): void {
    const key = JSON.stringify(status);
    this.connectionOk();
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.last = status;
    this.call(() => this.options.onProgress?.(status));
    const narrative = AsNarrative(status.recommendation?.narrative);
    if (narrative) this.applyNarrative(narrative);
  }

  applyNarrative(narrative: Narrative): void {
    const key = JSON.stringify([narrative.status, narrative.text ?? '', narrative.reason ?? '']);
    if (key === this.narrativeKey) return;
    this.narrativeKey = key;
    if (this.last?.recommendation) {
      this.last = { ...this.last, recommendation: { ...this.last.recommendation, narrative } };
    }
    const status = this.last;
    this.call(() => this.options.onNarrative?.(narrative, status));
  }

  // An event of the stream: a status object, or a narrative (bare or as {narrative}).
  applyEvent(event: ServerSentEvent): void {
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch {
      return;  // not JSON: not for us
    }
    if (IsStatus(value)) {
      this.applyStatus(value);
      return;
    }
    const narrative = AsNarrative(value) ?? AsNarrative((value as { narrative?: unknown } | null)?.narrative);
    if (narrative) this.applyNarrative(narrative);
  }

  connectionOk(): void {
    if (this.connectionError === null) return;
    this.connectionError = null;
    this.call(() => this.options.onConnectionChange?.(null));
  }

  connectionLost(error: VitarecError): void {
    const same = this.connectionError?.code === error.code;
    this.connectionError = error;
    if (same) return;
    this.call(() => this.options.onConnectionChange?.(error));
  }

  private call(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.fail(error);
    }
  }
}

// Follows the event stream; resolves to the final status, or null when polling should take over.
async function FollowEvents(context: WaitContext, follower: Follower, signal: AbortSignal, pollMs: number): Promise<Status | null> {
  let fruitless = 0;  // connections in a row that brought no event
  let reconnectMs = kDefaultReconnectMs;
  for (;;) {
    const stream = Linked(signal);
    let silence: ReturnType<typeof setTimeout> | undefined;
    let delivered = false;
    let final: Status | null = null;
    try {
      const headers: Record<string, string> = { ...context.headers, Accept: 'text/event-stream' };
      if (follower.lastEventId !== '') headers['Last-Event-ID'] = follower.lastEventId;
      else silence = setTimeout(() => stream.controller.abort(kSilence), Math.max(5000, 3 * pollMs));
      const response = await Send(context.fetch, context.eventsUrl, {
        method: 'GET', headers, cache: 'no-store', signal: stream.controller.signal,
      });
      const type = response.headers.get('Content-Type') ?? '';
      if (!response.ok || !type.startsWith('text/event-stream') || response.body === null) {
        if (response.ok) {
          response.body?.cancel().catch(() => undefined);  // not an event stream: a proxy's page, say
        } else {
          const error = await ErrorFrom(response, context.eventsUrl, stream.controller.signal);
          if (error.retryable) follower.connectionLost(error);
        }
        return null;  // polling reports anything else (not found, gone) as it is
      }
      const parser = new EventStreamParser((event) => {
        delivered = true;
        clearTimeout(silence);
        if (event.lastEventId !== '') follower.lastEventId = event.lastEventId;
        follower.applyEvent(event);
        if (follower.last !== null && isFinal(follower.last)) final = follower.last;
      });
      await ReadEventStream(response.body, parser, () => final !== null);
      reconnectMs = parser.retryMs ?? reconnectMs;
      if (final !== null) return final;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (stream.controller.signal.reason === kSilence) return null;
      if (error instanceof VitarecError) follower.connectionLost(error);
      // else the stream broke mid-way: reconnect below
    } finally {
      clearTimeout(silence);
      stream.dispose();
    }
    fruitless = delivered ? 0 : fruitless + 1;
    if (fruitless >= 2) return null;
    await Delay(reconnectMs, signal);
  }
}

// Polls the status until it is final.
async function Poll(context: WaitContext, follower: Follower, signal: AbortSignal, pollMs: number): Promise<Status> {
  let etag: string | null = null;
  for (;;) {
    let delayMs = pollMs;
    try {
      const read = await context.status({ etag, signal });
      etag = read.etag ?? etag;
      if (read.notModified) follower.connectionOk();
      else {
        follower.applyStatus(read.status);
        if (isFinal(read.status)) return read.status;
      }
      delayMs = Math.max(pollMs, read.retryAfterMs ?? 0);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!(error instanceof VitarecError) || !error.retryable) throw error;
      follower.connectionLost(error);
      delayMs = Math.max(pollMs, error.retryAfterMs ?? 0);
    }
    await Delay(delayMs, signal);
  }
}

export async function WaitFor(context: WaitContext, options: WaitOptions): Promise<Status> {
  const pollMs = Math.max(1, options.pollIntervalMs ?? kDefaultPollMs);
  const maxWaitMs = Math.max(0, options.maxWaitMs ?? kDefaultMaxWaitMs);
  const outer = options.signal;
  if (outer?.aborted) throw outer.reason;
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, maxWaitMs);
  const follower = new Follower(options, (error) => controller.abort(error));
  const signal = controller.signal;
  try {
    if (options.transport !== 'polling') {
      const final = await FollowEvents(context, follower, signal, pollMs);
      if (final !== null) return final;
    }
    return await Poll(context, follower, signal, pollMs);
  } catch (error) {
    if (timedOut) {
      throw new VitarecError({
        code: 'wait_timeout', status: 0, message: `not final after ${maxWaitMs} ms`,
        ...(follower.last ? { lastStatus: follower.last } : {}),
      });
    }
    if (signal.aborted) throw signal.reason;
    throw error;
  } finally {
    clearTimeout(deadline);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
