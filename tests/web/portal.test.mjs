// The visitor's main paths through /portal and /portal/results in headless Chromium against a
// real `vitarec serve`: search, quiz with an interaction, the English switch, escaping.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LaunchBrowser, NewPage, StartServer } from './helpers.mjs';

// Records every aria-valuenow the progress bar takes, from the first paint on.
const kRecordProgress = `
  window.__progressSeen = [];
  document.addEventListener('DOMContentLoaded', () => {
    const bar = document.getElementById('progressbar');
    if (!bar) return;
    const note = () => window.__progressSeen.push(Number(bar.getAttribute('aria-valuenow')));
    note();
    new MutationObserver(note).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
  });`;

describe('portal pages', () => {
  let server;
  let browser;

  before(async () => {
    server = await StartServer(['--stage-delay-ms', '400']);
    browser = await LaunchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function Submit(page, query) {
    await page.fill('#query', query);
    await Promise.all([page.waitForURL(/\/portal\/results\?id=/), page.click('.search-row button[type="submit"]')]);
  }

  it('search "magnesio" moves the progress bar, then shows a card with its dose', async () => {
    const page = await NewPage(browser.context);
    await page.addInitScript(kRecordProgress);
    await page.goto(`${server.url}/portal`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    await Submit(page, 'magnesio');

    const bar = page.locator('[role="progressbar"]');
    assert.equal(await bar.getAttribute('aria-valuemin'), '0');
    assert.equal(await bar.getAttribute('aria-valuemax'), '100');
    const card = page.locator('.card[data-supplement="magnesium"]');
    await card.waitFor({ timeout: 15000 });
    assert.match(await card.locator('h2').textContent(), /Magnesio/);
    assert.match(await card.locator('.dose').textContent(), /\d+\s*mg/);
    assert.match(await card.locator('.grade').getAttribute('aria-label'), /^Evidencia [A-D]$/);
    const sourceLink = card.locator('.sources a').first();
    assert.equal(await sourceLink.getAttribute('rel'), 'noopener noreferrer');
    assert.match(await sourceLink.getAttribute('href'), /^https:\/\//);
    assert.ok((await page.locator('.disclaimer').textContent()).length > 20, 'the disclaimer is shown');

    const seen = await page.evaluate(() => window.__progressSeen);
    assert.ok(seen.some((v) => v > 0 && v < 100), `an intermediate progress value was shown: ${seen}`);
    assert.ok(new Set(seen.filter((v) => v > 0 && v < 100)).size >= 2, `progress moved: ${seen}`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the quiz sends the answers and shows the medication interaction', async () => {
    const page = await NewPage(browser.context);
    await page.goto(`${server.url}/portal`);
    await page.click('#quiz summary');
    await page.fill('#age', '52');
    await page.selectOption('#sex', 'female');
    await page.check('input[name="goals"][value="sleep"]');
    await page.fill('#medications', 'levotiroxina, warfarina');
    await page.fill('#query', 'magnesio');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/portal/quiz') && r.method() === 'POST'),
      page.waitForURL(/\/portal\/results\?id=/),
      page.click('.quiz-body > button[type="submit"]'),
    ]);
    const sent = request.postDataJSON();
    assert.equal(sent.query, 'magnesio');
    assert.equal(sent.locale, 'es');
    assert.deepEqual(sent.answers, { age: 52, sex: 'female', goals: ['sleep'], medications: ['levotiroxina', 'warfarina'] });

    const card = page.locator('.card[data-supplement="magnesium"]');
    await card.waitFor({ timeout: 15000 });
    const interactions = card.locator('.list-interactions li');
    assert.ok(await interactions.count() >= 1, 'magnesium lists an interaction');
    assert.match(await interactions.first().textContent(), /levotiroxina/i);
    assert.match(await card.locator('.list-warnings').textContent(), /levotiroxina/i);
    // Another card carries the warfarin interaction.
    assert.ok(await page.locator('.list-interactions li', { hasText: /warfarina/i }).count() >= 1);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a legacy synchronous 200 with the finished recommendation is shown without polling', async () => {
    const page = await NewPage(browser.context);
    let submitStatus = 0;
    // The page asks asynchronously; this turns its submit into the legacy synchronous call.
    await page.route('**/api/portal/quiz', async (route) => {
      const response = await route.fetch({ headers: { ...route.request().headers(), prefer: 'wait=20' } });
      submitStatus = response.status();
      await route.fulfill({ response });
    });
    const reads = [];
    page.on('request', (r) => { if (/\/api\/portal\/(status|events)\//.test(r.url())) reads.push(r.url()); });
    await page.goto(`${server.url}/portal`);
    await Submit(page, 'vitamina D');
    await page.locator('.card[data-supplement="vitamin_d"]').waitFor({ timeout: 15000 });
    assert.equal(submitStatus, 200);
    assert.deepEqual(reads, [], 'the handed-over status needs no further request');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('a query the server rejects marks the field and says why', async () => {
    const page = await NewPage(browser.context, [/status of 400/]);
    await page.goto(`${server.url}/portal`);
    await page.click('#quiz summary');
    await page.fill('#age', '130');
    await page.click('.quiz-body > button[type="submit"]');
    const error = page.locator('#form-error');
    await error.waitFor();
    assert.match(await error.textContent(), /age/);
    assert.equal(await page.getAttribute('#age', 'aria-invalid'), 'true');
    assert.match(page.url(), /\/portal$/);

    await page.fill('#age', '');
    await page.click('.quiz-body > button[type="submit"]');
    assert.match(await error.textContent(), /Escribe qué buscas/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('the English switch changes the interface text and is remembered', async () => {
    const page = await NewPage(browser.context);
    await page.goto(`${server.url}/portal`);
    assert.equal(await page.textContent('h1'), '¿Qué te gustaría mejorar?');
    await page.click('button[data-lang="en"]');
    assert.equal(await page.textContent('h1'), 'What would you like to improve?');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.getAttribute('button[data-lang="en"]', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('#query', 'placeholder'), 'e.g. magnesium, better sleep…');
    assert.equal(await page.textContent('.search-row button'), 'Recommend');

    await page.reload();
    assert.equal(await page.textContent('h1'), 'What would you like to improve?', 'remembered after a reload');

    await Submit(page, 'magnesium');
    const card = page.locator('.card[data-supplement="magnesium"]');
    await card.waitFor({ timeout: 15000 });
    assert.equal(await page.textContent('#result-heading'), 'Your recommendation');
    assert.match(await card.locator('h2').textContent(), /Magnesium/);
    assert.match(await card.locator('.dose').textContent(), /once a day/);

    await page.goto(`${server.url}/portal?lang=es`);
    assert.equal(await page.textContent('h1'), '¿Qué te gustaría mejorar?', '?lang=es wins and is remembered');
    await page.goto(`${server.url}/portal`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('markup in a query is shown as text and never runs', async () => {
    const page = await NewPage(browser.context);
    const query = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> magnesio';
    await page.goto(`${server.url}/portal`);
    await Submit(page, query);
    await page.locator('#result-view').waitFor({ timeout: 15000 });
    assert.equal(await page.textContent('#result-query q'), query);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('#main img, #main script').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
