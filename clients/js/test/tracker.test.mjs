// RecommendationTracker (what useRecommendation renders) against a real `vitarec serve`: the
// phases a page goes through, and the visitor's actions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StartServer } from '../../../tests/web/helpers.mjs';
import { createClient, RecommendationTracker } from '../dist/index.js';

// Resolves with the first snapshot for which `done` holds (bounded by timeoutMs).
function Until(tracker, done, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const state = tracker.getSnapshot();
      if (!done(state)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
      return true;
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`not reached: ${JSON.stringify(tracker.getSnapshot()).slice(0, 300)}`));
    }, timeoutMs);
    const unsubscribe = tracker.subscribe(check);
    check();
  });
}

describe('RecommendationTracker', () => {
  let server;
  let client;

  before(async () => {
    server = await StartServer(['--stage-delay-ms', '300']);
    client = createClient({ baseUrl: server.url, routes: 'frontend' });
  });
  after(async () => {
    await server?.stop();
  });

  it('goes idle → waiting (progress, message) → completed with the recommendation', async () => {
    const { recommendation_id: id } = await client.submit({ query: 'magnesio', locale: 'en' });
    const tracker = new RecommendationTracker(client, id);
    assert.equal(tracker.getSnapshot().phase, 'idle');
    const phases = [];
    tracker.subscribe(() => phases.push(tracker.getSnapshot().phase));
    tracker.start();
    const midway = await Until(tracker, (s) => s.progress > 0 && s.progress < 100);
    assert.equal(midway.phase, 'waiting');
    assert.ok(midway.message.length > 0);
    const done = await Until(tracker, (s) => s.phase === 'completed');
    assert.equal(done.progress, 100);
    assert.equal(done.recommendation.items[0].supplement.name, 'Magnesium');
    assert.equal(done.narrative, null, 'no model step: no narrative');
    assert.equal(phases[0], 'waiting');
  });

  it('times out after maxWaitMs, then keepWaiting follows it to the end', async () => {
    const { recommendation_id: id } = await client.submit({ query: 'zinc' });
    const tracker = new RecommendationTracker(client, id, { maxWaitMs: 150 });
    tracker.start();
    const late = await Until(tracker, (s) => s.phase === 'timed_out');
    assert.equal(late.error.code, 'wait_timeout');
    // Another 150 ms at a time, until the job is done (bounded by Until's timeout).
    const unsubscribe = tracker.subscribe(() => {
      if (tracker.getSnapshot().phase === 'timed_out') tracker.keepWaiting();
    });
    tracker.keepWaiting();
    assert.equal((await Until(tracker, (s) => s.phase === 'completed')).status.status, 'completed');
    unsubscribe();
  });

  it('cancel shows cancelled; retry brings it back to waiting and completed', async () => {
    const { recommendation_id: id } = await client.submit({ query: 'hierro' });
    const tracker = new RecommendationTracker(client, id);
    tracker.start();
    await tracker.cancel();
    await Until(tracker, (s) => s.phase === 'cancelled');
    await tracker.retry();
    assert.equal(tracker.getSnapshot().phase, 'waiting');
    await Until(tracker, (s) => s.phase === 'completed');
  });

  it('an unknown id ends in not_found', async () => {
    const tracker = new RecommendationTracker(client, '00000000-0000-4000-8000-000000000000');
    tracker.start();
    const state = await Until(tracker, (s) => s.phase === 'not_found');
    assert.equal(state.error.status, 404);
  });
});
