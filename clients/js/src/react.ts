// @vitarec/client/react: useRecommendation, a React hook over RecommendationTracker. React is a
// peer dependency of this entry point only; the core ('@vitarec/client') never imports it.
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { createClient, type Routes, type VitarecClient } from './client.js';
import { RecommendationTracker, kIdleState, type RecommendationState, type TrackerOptions } from './tracker.js';

export interface UseRecommendationOptions extends TrackerOptions {
  /** The client to use; by default one for the page's own origin and the front-end routes. */
  client?: VitarecClient;
  /** For the default client: where the API is ('' = this origin). */
  baseUrl?: string;
  /** For the default client: `frontend` (default, /api/portal/...) or `service` routes. */
  routes?: Routes;
}

export interface UseRecommendationResult extends RecommendationState {
  /** Puts a failed or cancelled recommendation back to work and follows it. */
  retry: () => Promise<void>;
  /** After `timed_out`: follow for another maxWaitMs. */
  keepWaiting: () => void;
  /** Cancels the recommendation. */
  cancel: () => Promise<void>;
}

const NoSubscription = () => () => undefined;
const IdleSnapshot = () => kIdleState;

/**
 * Follows recommendation `id` (null/undefined/'' = nothing to follow: phase `idle`) from mount
 * until it is final, maxWaitMs passes or the component unmounts; re-renders on each change.
 * Renders `idle` on the server; following starts in the browser, after hydration.
 */
export function useRecommendation(id: string | null | undefined, options: UseRecommendationOptions = {}): UseRecommendationResult {
  const { client: given, baseUrl = '', routes = 'frontend', pollIntervalMs, maxWaitMs, transport } = options;
  const client = useMemo(() => given ?? createClient({ baseUrl, routes }), [given, baseUrl, routes]);
  const tracker = useMemo(
    () => (id ? new RecommendationTracker(client, id, {
      ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
      ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
      ...(transport === undefined ? {} : { transport }),
    }) : null),
    [client, id, pollIntervalMs, maxWaitMs, transport]);
  const state = useSyncExternalStore(
    tracker ? tracker.subscribe : NoSubscription, tracker ? tracker.getSnapshot : IdleSnapshot, IdleSnapshot);
  useEffect(() => {
    tracker?.start();
    return () => tracker?.stop();
  }, [tracker]);
  const retry = useCallback(() => tracker?.retry() ?? Promise.resolve(), [tracker]);
  const keepWaiting = useCallback(() => tracker?.keepWaiting(), [tracker]);
  const cancel = useCallback(() => tracker?.cancel() ?? Promise.resolve(), [tracker]);
  return { ...state, retry, keepWaiting, cancel };
}

export type { RecommendationPhase, RecommendationState } from './tracker.js';
