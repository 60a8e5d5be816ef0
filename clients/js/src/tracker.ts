// RecommendationTracker: the state of one recommendation as a page shows it, kept up to date by
// waitFor, with the visitor's actions (retry, keep waiting, cancel). Framework-free: subscribe +
// getSnapshot (the shape React's useSyncExternalStore takes; react.ts wraps it), so any UI can
// use it. Snapshots are immutable; a new object for every change.
import type { VitarecClient } from './client.js';
import { VitarecError } from './errors.js';
import type { Narrative, Recommendation, Status } from './types.js';
import type { WaitOptions } from './wait.js';

/**
 * - `idle`: not started (no id, or before start()).
 * - `waiting`: following the job (`status` is null until the first read).
 * - `completed` | `failed` | `cancelled`: the job's final state.
 * - `timed_out`: maxWaitMs passed; the job may still finish (keepWaiting()).
 * - `not_found`: the id is unknown, malformed or expired (`error.code`: not_found, invalid_argument, gone).
 * - `error`: following stopped for another reason (`error`).
 */
export type RecommendationPhase =
  'idle' | 'waiting' | 'completed' | 'failed' | 'cancelled' | 'timed_out' | 'not_found' | 'error';

export interface RecommendationState {
  phase: RecommendationPhase;
  /** The last status seen. */
  status: Status | null;
  /** 0–100, from the last status. */
  progress: number;
  /** The last status's progressMessage ('' before the first). */
  message: string;
  /** Present once the engine's result exists (it can precede the final state). */
  recommendation: Recommendation | null;
  /** The model-written explanation as far as it is written, when the service has a model step. */
  narrative: Narrative | null;
  /** Why following stopped (phases not_found, timed_out, error), or why retry/cancel failed. */
  error: VitarecError | null;
  /** While waiting: the last read failed in a way that may pass (waiting goes on). */
  connectionError: VitarecError | null;
}

export type TrackerOptions = Pick<WaitOptions, 'pollIntervalMs' | 'maxWaitMs' | 'transport'>;

const kNotFoundCodes: ReadonlySet<string> = new Set(['not_found', 'gone', 'invalid_argument']);

export const kIdleState: RecommendationState = Object.freeze({
  phase: 'idle', status: null, progress: 0, message: '', recommendation: null, narrative: null,
  error: null, connectionError: null,
});

function PhaseOf(status: Status): RecommendationPhase {
  return status.status === 'processing' ? 'waiting' : status.status;
}

export class RecommendationTracker {
  private state: RecommendationState = kIdleState;
  private readonly listeners = new Set<() => void>();
  private controller: AbortController | null = null;

  constructor(private readonly client: VitarecClient, readonly id: string, private readonly options: TrackerOptions = {}) {}

  /** The current state (the same object until something changes). */
  getSnapshot = (): RecommendationState => this.state;

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts following (again) unless already following or final. */
  start(): void {
    if (this.controller !== null || this.isFinalPhase()) return;
    const controller = new AbortController();
    this.controller = controller;
    this.update({ phase: 'waiting', error: null });
    this.client.waitFor(this.id, {
      ...this.options,
      signal: controller.signal,
      onProgress: (status) => this.update(this.fromStatus(status)),
      onNarrative: (narrative) => this.update({ narrative }),
      onConnectionChange: (connectionError) => this.update({ connectionError }),
    }).then((status) => {
      if (this.controller !== controller) return;
      this.controller = null;
      this.update(this.fromStatus(status));
    }, (error: unknown) => {
      if (this.controller !== controller) return;  // stopped: the abort is ours
      this.controller = null;
      const vitarec = error instanceof VitarecError ? error : new VitarecError({
        code: 'client_error', status: 0, message: error instanceof Error ? error.message : String(error), cause: error,
      });
      const phase: RecommendationPhase = vitarec.code === 'wait_timeout' ? 'timed_out'
        : kNotFoundCodes.has(vitarec.code) ? 'not_found' : 'error';
      this.update({ phase, error: vitarec, connectionError: null });
    });
  }

  /** Stops following (a later start() resumes). */
  stop(): void {
    const controller = this.controller;
    this.controller = null;
    controller?.abort();
  }

  /** After `timed_out` (or `error`): follow again for another maxWaitMs. */
  keepWaiting(): void {
    if (this.state.phase === 'timed_out' || this.state.phase === 'error') this.start();
  }

  /** Puts a failed or cancelled job back to work and follows it. A 409 (already running) follows too. */
  async retry(): Promise<void> {
    try {
      const status = await this.client.retry(this.id);
      this.update({ ...this.fromStatus(status), narrative: null, recommendation: null });
    } catch (error) {
      if (!(error instanceof VitarecError) || error.code !== 'conflict') {
        this.update({ error: error instanceof VitarecError ? error : null });
        throw error;
      }
      this.update({ phase: 'waiting' });
    }
    this.stop();
    this.start();
  }

  /** Asks the service to cancel the job; the followed status then shows `cancelled`. */
  async cancel(): Promise<void> {
    const status = await this.client.cancel(this.id);
    this.update(this.fromStatus(status));
  }

  private isFinalPhase(): boolean {
    const phase = this.state.phase;
    return phase === 'completed' || phase === 'failed' || phase === 'cancelled' || phase === 'not_found';
  }

  private fromStatus(status: Status): Partial<RecommendationState> {
    const narrative = status.recommendation?.narrative ?? this.state.narrative;
    return {
      phase: PhaseOf(status), status, progress: Math.min(100, Math.max(0, Number(status.progress) || 0)),
      message: status.progressMessage ?? '', recommendation: status.recommendation ?? null,
      narrative: status.recommendation ? (narrative ?? null) : null, connectionError: null,
    };
  }

  private update(change: Partial<RecommendationState>): void {
    this.state = Object.freeze({ ...this.state, ...change });
    for (const listener of [...this.listeners]) listener();
  }
}
