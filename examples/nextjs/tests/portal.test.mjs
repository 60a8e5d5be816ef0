// The Next.js portal (next build + next start) in headless Chromium against a real
// `vitarec serve`. Between them a relay (clients/js/test/proxy.mjs) that can play a Vitarec that
// is down (connections dropped) or slow (no answer): VITAREC_URL points at it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LaunchBrowser, NewPage, StartServer, WaitFinal } from '../../../tests/web/helpers.mjs';
import { kNarrativeParts, NarrateCompletion, StartProxy } from '../../../clients/js/test/proxy.mjs';
import { StartNext } from './next-server.mjs';

// Records every aria-valuenow the progress bar takes (React replaces nodes, so observe the body).
const kRecordProgress = `
  window.__progressSeen = [];
  new MutationObserver(() => {
    const bar = document.getElementById('progressbar');
    const value = bar ? Number(bar.getAttribute('aria-valuenow')) : null;
    if (value !== null && window.__progressSeen.at(-1) !== value) window.__progressSeen.push(value);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });`;

describe('Next.js portal on Vitarec', () => {
  let vitarec;
  let relay;
  let next;
  let browser;
  // What the relay plays: 'up', 'down', 'slow', 'narrating' (a model step, NarrateCompletion),
  // 'holding' (the same, a minute between the model's parts: the stream stays open).
  let backend = 'up';

  before(async () => {
    vitarec = await StartServer(['--stage-delay-ms', '400']);
    relay = await StartProxy(vitarec.url, (req) => {
      if (backend === 'down') return 'reset';
      if (backend === 'slow') return 'hang';
      if (backend === 'narrating' && req.url.includes('/events/')) return { rewrite: NarrateCompletion, gapMs: 500 };
      if (backend === 'holding' && req.url.includes('/events/')) return { rewrite: NarrateCompletion, gapMs: 60000 };
      return undefined;
    });
    next = await StartNext(relay.url);
    browser = await LaunchBrowser();
  });
  after(async () => {
    await browser?.close();
    await next?.stop();
    await relay?.close();
    await vitarec?.stop();
  });
  beforeEach(() => {
    backend = 'up';
  });

  async function Search(page, query) {
    await page.fill('#query', query);
    await Promise.all([page.waitForURL(/\/portal\/results\?id=/), page.click('.search-row button[type="submit"]')]);
  }

  it('search "magnesio": the progress bar moves over SSE, then the card with dose, timing, grade and sources', async () => {
    const page = await NewPage(browser.context);
    await page.addInitScript(kRecordProgress);
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${next.url}/portal`);
    await Search(page, 'magnesio');

    const card = page.locator('.card[data-supplement="magnesium"]');
    await card.waitFor({ timeout: 20000 });
    assert.match(await card.locator('h2').textContent(), /Magnesio/);
    assert.match(await card.locator('.dose').textContent(), /\d+ mg/);
    assert.ok((await card.locator('.timing').textContent()).length > 5);
    assert.match(await card.locator('.grade').getAttribute('aria-label'), /^Evidencia [A-D]$/);
    const source = card.locator('.sources a').first();
    assert.equal(await source.getAttribute('rel'), 'noopener noreferrer');
    assert.match(await source.getAttribute('href'), /^https:\/\//);
    assert.ok((await page.locator('.disclaimer').textContent()).length > 20);

    const seen = await page.evaluate(() => window.__progressSeen);
    assert.ok(new Set(seen.filter((v) => v > 0 && v < 100)).size >= 2, `progress moved: ${seen}`);
    assert.ok(requested.some((p) => p.startsWith('/api/portal/events/')), 'followed over Server-Sent Events');
    assert.ok(!requested.some((p) => p.startsWith('/api/portal/status/')), 'no polling was needed');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the quiz sends the answers and the card names the medication, in English', async () => {
    const page = await NewPage(browser.context);
    await page.goto(`${next.url}/portal?lang=en`);
    await page.click('#quiz summary');
    await page.fill('#age', '52');
    await page.selectOption('#sex', 'female');
    await page.check('input[name="goals"][value="sleep"]');
    await page.fill('#medications', 'levothyroxine');
    await page.fill('#query', 'magnesium');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/portal/quiz') && r.method() === 'POST'),
      page.waitForURL(/\/portal\/results\?id=.*lang=en/),
      page.click('.quiz-body > button[type="submit"]'),
    ]);
    assert.deepEqual(request.postDataJSON(), {
      locale: 'en', query: 'magnesium', answers: { age: 52, sex: 'female', goals: ['sleep'], medications: ['levothyroxine'] },
    });
    const card = page.locator('.card[data-supplement="magnesium"]');
    await card.waitFor({ timeout: 20000 });
    assert.match(await card.textContent(), /levothyroxine/i, 'the card names the interacting medication');
    assert.match(await card.locator('.grade').getAttribute('aria-label'), /^Evidence [A-D]$/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('what the visitor typed is shown as text, never as markup', async () => {
    const page = await NewPage(browser.context);
    await page.goto(`${next.url}/portal`);
    const typed = '<img src=x onerror="window.__pwned=1">magnesio';
    await Search(page, typed);
    await page.locator('.result-query q').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('.result-query q').textContent(), typed);
    assert.equal(await page.locator('#result img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.close();
  });

  it('Vitarec down: the search says so clearly, the API route answers 502 JSON', async () => {
    backend = 'down';
    const page = await NewPage(browser.context, [/502/]);
    await page.goto(`${next.url}/portal`);
    await page.fill('#query', 'magnesio');
    await page.click('.search-row button[type="submit"]');
    const problem = page.locator('#form-problem[role="alert"]');
    await problem.waitFor({ timeout: 10000 });
    assert.match(await problem.textContent(), /no está disponible/);
    assert.match(page.url(), /\/portal$/, 'stays on the search page');

    const r = await fetch(`${next.url}/api/portal/quiz`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"zinc"}' });
    assert.equal(r.status, 502);
    assert.equal((await r.json()).error.code, 'bad_gateway');
    await page.close();
  });

  it('Vitarec slow: the API routes give up after 5 s with 504 JSON', async () => {
    backend = 'slow';
    const started = Date.now();
    const r = await fetch(`${next.url}/api/portal/quiz`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"zinc"}' });
    assert.equal(r.status, 504);
    assert.equal((await r.json()).error.code, 'gateway_timeout');
    assert.ok(Date.now() - started >= 4900, 'waited the 5 s');
  });

  it('a reload of the results page resumes where the job is', async () => {
    const page = await NewPage(browser.context);
    await page.goto(`${next.url}/portal`);
    await Search(page, 'vitamina d');
    await page.waitForFunction(() => Number(document.getElementById('progressbar')?.getAttribute('aria-valuenow')) >= 30, null, { timeout: 10000 });
    const url = page.url();
    await page.addInitScript(kRecordProgress);
    await page.reload();
    assert.equal(page.url(), url);
    await page.locator('.card').first().waitFor({ timeout: 20000 });
    assert.equal(await page.locator('[data-view="result"]').count(), 1);
    const seen = await page.evaluate(() => window.__progressSeen);
    assert.deepEqual(seen.filter((v) => v > 0 && v < 30), [], `resumed at the job's progress, not from the start: ${seen}`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the backend going away mid-way shows a notice; when it is back the cards come', async () => {
    const r = await fetch(`${next.url}/api/portal/quiz`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"zinc"}' });
    const { recommendation_id: id } = await r.json();
    backend = 'down';
    const page = await NewPage(browser.context, [/50[24]/]);
    await page.goto(`${next.url}/portal/results?id=${id}&poll=200`);
    await page.locator('#connection-lost').waitFor({ timeout: 15000 });
    backend = 'up';
    await page.locator('.card[data-supplement="zinc"]').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('#connection-lost').count(), 0);
    await page.close();
  });

  it('the wait limit shows "still working" with keep waiting; a cancelled one offers retry', async () => {
    const submit = async (query) => (await (await fetch(`${next.url}/api/portal/quiz`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query }),
    })).json()).recommendation_id;
    const page = await NewPage(browser.context);
    const slow = await submit('omega 3');
    await page.goto(`${next.url}/portal/results?id=${slow}&timeout=600`);
    // Each "keep waiting" follows for another 600 ms; the job needs a few of them (bounded).
    for (let i = 0; i < 20 && await page.locator('.card').count() === 0; ++i) {
      await page.locator('[data-view="timeout"] #keep-waiting, .card').first().waitFor({ timeout: 10000 });
      if (await page.locator('#keep-waiting').count()) await page.click('#keep-waiting');
    }
    await page.locator('.card').first().waitFor({ timeout: 5000 });

    const cancelled = await submit('hierro');
    const c = await fetch(`${next.url}/api/portal/recommend/${cancelled}/cancel`, { method: 'POST' });
    assert.ok([200, 202].includes(c.status), `cancel answered ${c.status}`);
    await page.goto(`${next.url}/portal/results?id=${cancelled}`);
    await page.locator('[data-view="failed"] #retry').waitFor({ timeout: 15000 });
    await page.click('#retry');
    await page.locator('.card[data-supplement="iron"]').waitFor({ timeout: 20000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('an unknown id says it was not found', async () => {
    const page = await NewPage(browser.context, [/404/]);
    await page.goto(`${next.url}/portal/results?id=00000000-0000-4000-8000-000000000000`);
    await page.locator('[data-view="not-found"]').waitFor({ timeout: 15000 });
    await page.close();
  });

  it('the narrative shows as it is written, after the cards, as text', async () => {
    backend = 'narrating';
    const page = await NewPage(browser.context);
    await page.addInitScript(`
      window.__narrativeSeen = [];
      new MutationObserver(() => {
        const n = document.querySelector('[data-narrative]');
        const seen = n ? n.dataset.narrative + ':' + (n.querySelector('.narrative-text')?.firstChild?.textContent ?? '') : null;
        if (seen && window.__narrativeSeen.at(-1) !== seen) window.__narrativeSeen.push(seen);
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });`);
    await page.goto(`${next.url}/portal`);
    await Search(page, 'magnesio');
    await page.locator('[data-narrative="complete"]').waitFor({ timeout: 20000 });
    const whole = kNarrativeParts.join('');
    assert.equal(await page.locator('.narrative-text').textContent(), whole);
    assert.equal(await page.locator('.narrative b').count(), 0, 'the model text is not markup');
    assert.ok(await page.locator('.card[data-supplement="magnesium"]').count() === 1);
    const seen = await page.evaluate(() => window.__narrativeSeen);
    assert.deepEqual(seen, [`writing:${kNarrativeParts[0]}`, `writing:${kNarrativeParts[0]}${kNarrativeParts[1]}`, `complete:${whole}`]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the events route streams as Vitarec sends, and lets go of Vitarec when the browser goes away', async () => {
    backend = 'holding';
    const r = await fetch(`${next.url}/api/portal/quiz`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"zinc"}' });
    const { recommendation_id: id } = await r.json();
    await WaitFinal(vitarec.url, id);  // its stream now stays open only because the relay holds it
    const controller = new AbortController();
    const stream = await fetch(`${next.url}/api/portal/events/${id}`, { signal: controller.signal });
    assert.match(stream.headers.get('Content-Type'), /^text\/event-stream/);
    const reader = stream.body.getReader();
    let text = '';
    while (!/^data: /m.test(text)) text += new TextDecoder().decode((await reader.read()).value);  // the current status, at once
    const upstream = relay.requests.filter((q) => q.url === `/api/portal/events/${id}`);
    assert.equal(upstream.length, 1);
    assert.equal(upstream[0].closedAt, null, 'still streaming');
    controller.abort();
    for (let i = 0; i < 50 && upstream[0].closedAt === null; ++i) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.notEqual(upstream[0].closedAt, null, 'the stream to Vitarec was closed');
  });
});
