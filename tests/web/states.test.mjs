// The results page's other states in headless Chromium against a real `vitarec serve`: unknown
// and malformed ids, SSE breaking mid-way (recovery by polling), the 3-minute limit with "keep
// waiting", a failed job and its retry button, and a finished job shown without any stream.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LaunchBrowser, NewPage, ServeSupports, StartServer, SubmitQuery, WaitFinal } from './helpers.mjs';

const kNotFound = [/Failed to load resource: the server responded with a status of (404|400)/];

function SseBody(events) {
  return events.map((e, i) => `id: ${i + 1}\nevent: status\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

describe('results page states', () => {
  let server;
  let browser;

  before(async () => {
    server = await StartServer(['--stage-delay-ms', '500']);
    browser = await LaunchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an unknown, malformed or missing id shows "not found"', async () => {
    const page = await NewPage(browser.context, kNotFound);
    for (const query of [`id=${randomUUID()}`, 'id=not-an-id', '']) {
      await page.goto(`${server.url}/portal/results?${query}`);
      const view = page.locator('#notfound-view');
      await view.waitFor({ timeout: 10000 });
      const heading = await page.textContent('#notfound-heading');
      assert.equal(heading, 'No hemos encontrado esta recomendación', query);
      assert.equal(await page.locator('#progress-view').isHidden(), true);
      assert.equal(await page.getAttribute('#notfound-view a', 'href'), '/portal');
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('recovers by polling when the event stream ends before the final state', async () => {
    const page = await NewPage(browser.context);
    const id = await SubmitQuery(server.url, { query: 'vitamina D' });
    let eventsRequests = 0;
    // One real-looking event, then the stream closes as if the connection dropped.
    await page.route('**/api/portal/events/**', async (route) => {
      ++eventsRequests;
      const status = await (await fetch(`${server.url}/api/portal/status/${id}`)).json();
      await route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' },
        body: SseBody([{ ...status, status: 'processing', state: 'running', progress: 10, progressMessage: 'Entendiendo tu consulta' }]) });
    });
    const statusReads = [];
    page.on('request', (r) => { if (r.url().includes('/api/portal/status/')) statusReads.push(Date.now()); });
    await page.goto(`${server.url}/portal/results?id=${id}&poll=400`);
    await page.locator('.card[data-supplement="vitamin_d"]').waitFor({ timeout: 15000 });
    assert.equal(eventsRequests, 1, 'the broken stream is not reopened');
    assert.ok(statusReads.length >= 3, `polled the status after the stream broke (${statusReads.length} reads)`);
    assert.match(await page.textContent('.card[data-supplement="vitamin_d"] .dose'), /\d/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('recovers by polling when the event stream cannot be opened at all', async () => {
    const page = await NewPage(browser.context, [/ERR_CONNECTION_RESET|ERR_FAILED/]);
    const id = await SubmitQuery(server.url, { query: 'omega 3' });
    await page.route('**/api/portal/events/**', (route) => route.abort('connectionreset'));
    await page.goto(`${server.url}/portal/results?id=${id}&poll=400`);
    await page.locator('.card[data-supplement="omega_3"]').waitFor({ timeout: 15000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('gives up on an event stream that stays silent and polls instead', async () => {
    const page = await NewPage(browser.context);
    const id = await SubmitQuery(server.url, { query: 'vitamina C' });
    const held = [];
    await page.route('**/api/portal/events/**', (route) => { held.push(route); });  // never answered
    await page.goto(`${server.url}/portal/results?id=${id}&poll=300`);
    await page.locator('.card[data-supplement="vitamin_c"]').waitFor({ timeout: 15000 });
    assert.equal(held.length, 1);
    assert.deepEqual(page.errors, []);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.close();
  });

  it('follows the job over the real event stream without polling', async () => {
    const page = await NewPage(browser.context);
    const id = await SubmitQuery(server.url, { query: 'zinc' });
    const statusReads = [];
    page.on('request', (r) => { if (r.url().includes('/api/portal/status/')) statusReads.push(r.url()); });
    await page.goto(`${server.url}/portal/results?id=${id}&poll=300`);
    await page.locator('.card[data-supplement="zinc"]').waitFor({ timeout: 15000 });
    assert.equal(statusReads.length, 1, 'one status read at start, then events only');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('polls only with ?sse=0 and still reaches the result', async () => {
    const page = await NewPage(browser.context);
    const id = await SubmitQuery(server.url, { query: 'hierro' });
    let eventsRequests = 0;
    page.on('request', (r) => { if (r.url().includes('/api/portal/events/')) ++eventsRequests; });
    await page.goto(`${server.url}/portal/results?id=${id}&sse=0&poll=300`);
    await page.locator('.card[data-supplement="iron"]').waitFor({ timeout: 15000 });
    assert.equal(eventsRequests, 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('after the time limit offers to keep waiting, and keeps waiting', async () => {
    const page = await NewPage(browser.context);
    const id = await SubmitQuery(server.url, { query: 'melatonina' });
    await page.goto(`${server.url}/portal/results?id=${id}&timeout=700`);
    const timeoutView = page.locator('#timeout-view');
    await timeoutView.waitFor({ timeout: 10000 });
    assert.equal(await page.textContent('#timeout-heading'), 'Sigue trabajando');
    assert.equal(await page.locator('#progress-view').isHidden(), true);
    await WaitFinal(server.url, id);
    await page.click('#keep-waiting');
    await page.locator('.card[data-supplement="melatonin"]').waitFor({ timeout: 10000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a finished recommendation is shown at once, without opening a stream', async () => {
    const page = await NewPage(browser.context);
    const id = await SubmitQuery(server.url, { query: 'magnesio', locale: 'en' });
    await WaitFinal(server.url, id);
    let eventsRequests = 0;
    page.on('request', (r) => { if (r.url().includes('/api/portal/events/')) ++eventsRequests; });
    await page.goto(`${server.url}/portal/results?id=${id}`);
    await page.locator('.card[data-supplement="magnesium"]').waitFor({ timeout: 5000 });
    assert.equal(await page.getAttribute('#progressbar', 'aria-valuenow'), '0', 'no progress was needed');
    assert.equal(eventsRequests, 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('failed recommendation', () => {
  const supported = ServeSupports('--fail-first-claims');
  let server;
  let browser;

  before(async () => {
    if (!supported) return;
    server = await StartServer(['--stage-delay-ms', '200', '--fail-first-claims', '1', '--max-attempts', '1']);
    browser = await LaunchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the failure with a retry button that brings the job back to completion',
    { skip: supported ? false : 'vitarec serve has no --fail-first-claims yet (chaos flag from issue 5)' }, async () => {
      const page = await NewPage(browser.context);
      const id = await SubmitQuery(server.url, { query: 'magnesio' });
      await page.goto(`${server.url}/portal/results?id=${id}`);
      await page.locator('#failed-view').waitFor({ timeout: 15000 });
      assert.equal(await page.textContent('#failed-heading'), 'No pudimos completar la recomendación');
      assert.ok((await page.textContent('#failed-message')).length > 0, 'the server message is shown');
      const [retry] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/portal/recommend/${id}/retry`)),
        page.click('#retry'),
      ]);
      assert.equal(retry.status(), 202);
      await page.locator('.card[data-supplement="magnesium"]').waitFor({ timeout: 15000 });
      assert.deepEqual(page.errors, []);
      await page.close();
    });
});
