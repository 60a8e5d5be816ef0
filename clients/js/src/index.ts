// @vitarec/client: a typed client for the Vitarec API (no runtime dependencies). The React hook
// is in '@vitarec/client/react'.
export { createClient } from './client.js';
export type {
  ClientOptions, RequestOptions, Routes, StatusOptions, StatusRead, SubmitOptions, VitarecClient,
} from './client.js';
export { VitarecError, isVitarecError } from './errors.js';
export type { ClientErrorCode, VitarecErrorInit } from './errors.js';
export { EventStreamParser } from './sse.js';
export type { ServerSentEvent } from './sse.js';
export { RecommendationTracker, kIdleState } from './tracker.js';
export type { RecommendationPhase, RecommendationState, TrackerOptions } from './tracker.js';
export { isFinal } from './types.js';
export type {
  Accepted, Answers, ErrorBody, JobError, Narrative, RecommendRequest, Recommendation,
  RecommendationItem, Status, StatusValue,
} from './types.js';
export type { WaitOptions } from './wait.js';
export type { components, paths } from './openapi.js';
