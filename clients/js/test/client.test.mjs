// The client against a real `vitarec serve` (temporary SQLite store, slowed stages so progress is
// visible), sometimes through a recording relay (proxy.mjs) that shows the headers it sent and
// breaks connections the way networks do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StartServer } from '../../../tests/web/helpers.mjs';
import { createClient, isVitarecError, VitarecError } from '../dist/index.js';
import { kNarrativeParts, NarrateCompletion, StartProxy } from './proxy.mjs';

const kUnknownId = '00000000-0000-4000-8000-000000000000';
const kStageDelayMs = 200;

// Rejects with the error `promise` rejects with, for assertions on its fields.
async function Rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('client against vitarec serve', () => {
  let server;
  let service;

  before(async () => {
    server = await StartServer(['--stage-delay-ms', String(kStageDelayMs)]);
    service = createClient({ baseUrl: server.url });
  });
  after(async () => {
    await server?.stop();
  });

  for (const routes of ['service', 'frontend']) {
    it(`${routes} routes: submit answers 202, waitFor follows the events to the completed recommendation`, async () => {
      const client = createClient({ baseUrl: server.url, routes });
      const accepted = await client.submit({ query: 'magnesio', locale: 'es' });
      assert.equal(accepted.status, 'processing');
      assert.match(accepted.recommendation_id, /^[0-9a-f-]{36}$/);
      assert.equal(accepted.statusUrl, `${routes === 'frontend' ? '/api' : ''}/portal/status/${accepted.recommendation_id}`);

      const seen = [];
      const final = await client.waitFor(accepted.recommendation_id, { onProgress: (s) => seen.push(s.progress) });
      assert.equal(final.status, 'completed');
      assert.equal(final.recommendation.items[0].supplement.id, 'magnesium');
      assert.equal(seen.at(-1), 100);
      assert.ok(seen.some((p) => p > 0 && p < 100), `intermediate progress seen: ${seen}`);
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'progress only grows');
    });
  }

  it('the same Idempotency-Key returns the same id; with another body it is a 409 conflict', async () => {
    const key = `test-${Date.now()}`;
    const first = await service.submit({ query: 'vitamina d' }, { idempotencyKey: key });
    const again = await service.submit({ query: 'vitamina d' }, { idempotencyKey: key });
    assert.equal(again.recommendation_id, first.recommendation_id);
    const error = await Rejection(service.submit({ query: 'zinc' }, { idempotencyKey: key }));
    assert.ok(isVitarecError(error, 'conflict'));
    assert.equal(error.status, 409);
    assert.equal(error.retryable, false);
  });

  const kBadRequests = [
    { name: 'an age out of range', request: { answers: { age: 300 } }, code: 'invalid_argument', status: 400, field: 'answers.age' },
    { name: 'neither query nor answers', request: { locale: 'es' }, code: 'invalid_argument', status: 400 },
  ];
  for (const { name, request, code, status, field } of kBadRequests) {
    it(`submit with ${name} rejects with ${code} (${status})`, async () => {
      const error = await Rejection(service.submit(request));
      assert.ok(error instanceof VitarecError);
      assert.equal(error.code, code);
      assert.equal(error.status, status);
      if (field) assert.equal(error.field, field);
      assert.ok(error.message.length > 0);
    });
  }

  const kBadIds = [
    { name: 'an unknown id', id: kUnknownId, code: 'not_found', status: 404 },
    { name: 'a malformed id', id: 'not-an-id', code: 'invalid_argument', status: 400 },
  ];
  for (const { name, id, code, status } of kBadIds) {
    it(`status, waitFor, retry and cancel of ${name} reject with ${code}`, async () => {
      for (const call of [() => service.status(id), () => service.waitFor(id), () => service.retry(id), () => service.cancel(id)]) {
        const error = await Rejection(call());
        assert.ok(isVitarecError(error, code), `${error}`);
        assert.equal(error.status, status);
      }
    });
  }

  it('status with the last ETag answers notModified (304) until the job changes', async () => {
    const { recommendation_id: id } = await service.submit({ query: 'omega 3' });
    const final = await service.waitFor(id);
    const read = await service.status(id);
    assert.equal(read.notModified, false);
    assert.equal(read.status.updatedAt, final.updatedAt);
    assert.ok(read.etag);
    assert.equal(read.retryAfterMs, undefined, 'no Retry-After once final');
    const again = await service.status(id, { etag: read.etag });
    assert.deepEqual(again, { notModified: true, etag: read.etag, retryAfterMs: undefined });
    const processing = await service.status((await service.submit({ query: 'hierro' })).recommendation_id);
    assert.equal(processing.retryAfterMs, 3000, 'Retry-After: 3 while processing');
  });

  it('a cut event stream is reopened with Last-Event-ID and nothing is repeated', async () => {
    let streams = 0;
    const proxy = await StartProxy(server.url, (req) =>
      (req.url.startsWith('/portal/events/') && ++streams === 1 ? { cutAfterEvents: 1 } : undefined));
    try {
      const client = createClient({ baseUrl: proxy.url });
      const { recommendation_id: id } = await client.submit({ query: 'magnesio' });
      const seen = [];
      const final = await client.waitFor(id, { onProgress: (s) => seen.push(s.progress) });
      assert.equal(final.status, 'completed');
      const opened = proxy.requests.filter((r) => r.url.startsWith('/portal/events/'));
      assert.ok(opened.length >= 2, `the stream was reopened (${opened.length})`);
      assert.equal(opened[0].headers['last-event-id'], undefined);
      assert.match(opened[1].headers['last-event-id'], /^\d+$/);
      assert.equal(new Set(seen).size, seen.length, `no status twice: ${seen}`);
      assert.equal(proxy.requests.filter((r) => r.url.startsWith('/portal/status/')).length, 0, 'no polling was needed');
    } finally {
      await proxy.close();
    }
  });

  it('without an events route it polls with If-None-Match, no faster than Retry-After', async () => {
    const proxy = await StartProxy(server.url, (req) =>
      (req.url.startsWith('/portal/events/') ? { status: 404, body: { error: { code: 'not_found', message: 'no events' } } } : undefined));
    try {
      const client = createClient({ baseUrl: proxy.url });
      const { recommendation_id: id } = await client.submit({ query: 'melatonina' });
      const final = await client.waitFor(id, { pollIntervalMs: 100 });
      assert.equal(final.status, 'completed');
      const polls = proxy.requests.filter((r) => r.url.startsWith('/portal/status/'));
      assert.ok(polls.length >= 2, `polled ${polls.length} times`);
      assert.equal(polls[0].headers['if-none-match'], undefined);
      for (const later of polls.slice(1)) assert.match(later.headers['if-none-match'], /^"/);
      for (let i = 1; i < polls.length; ++i) {
        assert.ok(polls[i].at - polls[i - 1].at >= 2900, `waited Retry-After (3 s), not 100 ms: ${polls[i].at - polls[i - 1].at} ms`);
      }
    } finally {
      await proxy.close();
    }
  });

  it('transport polling never opens an event stream', async () => {
    const proxy = await StartProxy(server.url);
    try {
      const client = createClient({ baseUrl: proxy.url, routes: 'frontend' });
      const { recommendation_id: id } = await client.submit({ query: 'zinc' });
      assert.equal((await client.waitFor(id, { transport: 'polling' })).status, 'completed');
      assert.equal(proxy.requests.filter((r) => r.url.includes('/events/')).length, 0);
    } finally {
      await proxy.close();
    }
  });

  it('waitFor gives up after maxWaitMs with wait_timeout and the last status', async () => {
    const slow = await StartServer(['--stage-delay-ms', '2000', '--shutdown-grace', '0']);  // a job of 8 s
    try {
      const client = createClient({ baseUrl: slow.url });
      const { recommendation_id: id } = await client.submit({ query: 'magnesio' });
      const error = await Rejection(client.waitFor(id, { maxWaitMs: 1000 }));
      assert.ok(isVitarecError(error, 'wait_timeout'), `${error}`);
      assert.equal(error.lastStatus?.status, 'processing');
      assert.equal(error.retryable, true);
    } finally {
      await slow.stop();
    }
  });

  it('waitFor stops with the caller\'s abort reason', async () => {
    const { recommendation_id: id } = await service.submit({ query: 'magnesio' });
    const controller = new AbortController();
    const waiting = service.waitFor(id, { signal: controller.signal, onProgress: () => controller.abort(new Error('enough')) });
    const error = await Rejection(waiting);
    assert.equal(error.message, 'enough');
  });

  it('a callback that throws ends waitFor with its error', async () => {
    const { recommendation_id: id } = await service.submit({ query: 'magnesio' });
    const error = await Rejection(service.waitFor(id, { onProgress: () => { throw new RangeError('ui broke'); } }));
    assert.ok(error instanceof RangeError);
  });

  it('cancel stops a job; retry puts it back to work until completed; retry of a completed one is a conflict', async () => {
    const { recommendation_id: id } = await service.submit({ query: 'ashwagandha' });
    const cancelled = await service.cancel(id);
    assert.ok(['cancelled', 'processing'].includes(cancelled.status));
    assert.equal((await service.waitFor(id)).status, 'cancelled');

    const retried = await service.retry(id);
    assert.equal(retried.status, 'processing');
    assert.equal((await service.waitFor(id)).status, 'completed');
    const error = await Rejection(service.retry(id));
    assert.ok(isVitarecError(error, 'conflict'));
    assert.equal(error.status, 409);
  });

  it('no answer: network_error; an answer too late for the signal: timeout; both retryable', async () => {
    const proxy = await StartProxy(server.url, () => 'hang');
    const closed = await StartProxy(server.url);
    await closed.close();
    try {
      const down = await Rejection(createClient({ baseUrl: closed.url }).submit({ query: 'x' }));
      assert.ok(isVitarecError(down, 'network_error'), `${down}`);
      assert.equal(down.status, 0);
      assert.equal(down.retryable, true);
      const slow = await Rejection(createClient({ baseUrl: proxy.url }).submit({ query: 'x' }, { signal: AbortSignal.timeout(300) }));
      assert.ok(isVitarecError(slow, 'timeout'), `${slow}`);
      assert.equal(slow.retryable, true);
    } finally {
      await proxy.close();
    }
  });

  it('waitFor keeps going through a backend outage and reports it with onConnectionChange', async () => {
    let failing = 2;
    const proxy = await StartProxy(server.url, (req) => (req.url.startsWith('/portal/status/') && failing-- > 0
      ? { status: 502, body: { error: { code: 'bad_gateway', message: 'backend down' } } } : undefined));
    try {
      const client = createClient({ baseUrl: proxy.url });
      const { recommendation_id: id } = await client.submit({ query: 'magnesio' });
      const changes = [];
      const final = await client.waitFor(id, { transport: 'polling', pollIntervalMs: 50, onConnectionChange: (e) => changes.push(e?.code ?? null) });
      assert.equal(final.status, 'completed');
      assert.deepEqual(changes, ['bad_gateway', null]);
    } finally {
      await proxy.close();
    }
  });

  it('the narrative: onNarrative for each change (status events and narrative events), the final one in the result', async () => {
    const proxy = await StartProxy(server.url, (req) =>
      (req.url.startsWith('/portal/events/') ? { rewrite: NarrateCompletion } : undefined));
    try {
      const client = createClient({ baseUrl: proxy.url });
      const { recommendation_id: id } = await client.submit({ query: 'magnesio' });
      const narratives = [];
      const final = await client.waitFor(id, { onNarrative: (n) => narratives.push(`${n.status}:${n.text}`) });
      const whole = kNarrativeParts.join('');
      assert.deepEqual(narratives, [
        `writing:${kNarrativeParts[0]}`, `writing:${kNarrativeParts[0]}${kNarrativeParts[1]}`, `complete:${whole}`,
      ]);
      assert.deepEqual(final.recommendation.narrative, { status: 'complete', text: whole });
    } finally {
      await proxy.close();
    }
  });

  it('without a model step no narrative callback runs', async () => {
    const { recommendation_id: id } = await service.submit({ query: 'magnesio' });
    let called = 0;
    const final = await service.waitFor(id, { onNarrative: () => ++called });
    assert.equal(final.recommendation.narrative, undefined);
    assert.equal(called, 0);
  });
});
