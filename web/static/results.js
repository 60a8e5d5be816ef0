// The results page: follows one recommendation until it is final, then lays it out.
//
// Transport: one status read first (GET /api/portal/status/{id}); while processing, Server-Sent
// Events from /api/portal/events/{id}; when SSE is missing or breaks, polling the status every
// `poll` ms (default 3000) with If-None-Match. Only one transport runs at a time. Watching stops
// after `timeout` ms (default 3 minutes) with a "keep waiting?" choice.
// URL parameters: id (required), lang, poll (ms), sse=0 (polling only), timeout (ms).
// Every server or visitor string is inserted as text (dom.js), never as HTML.
import { SetUpLanguageSwitch, T, OnLangChange } from './i18n.js';
import { El, ShowOnly, SafeHttpUrl } from './dom.js';

const params = new URLSearchParams(location.search);
const id = params.get('id') ?? '';
const kPollMs = BoundedNumber(params.get('poll'), 3000, 100, 60000);
const kTimeoutMs = BoundedNumber(params.get('timeout'), 180000, 500, 3600000);
const kUseSse = params.get('sse') !== '0' && typeof EventSource === 'function';
const kStatusUrl = `/api/portal/status/${encodeURIComponent(id)}`;
const kEventsUrl = `/api/portal/events/${encodeURIComponent(id)}`;
const kRetryUrl = `/portal/recommend/${encodeURIComponent(id)}/retry`;
const kFinal = new Set(['completed', 'failed', 'cancelled']);

const views = {
  progress: document.getElementById('progress-view'),
  timeout: document.getElementById('timeout-view'),
  failed: document.getElementById('failed-view'),
  notFound: document.getElementById('notfound-view'),
  result: document.getElementById('result-view'),
};
const progressBar = document.getElementById('progressbar');
const progressFill = document.getElementById('progress-fill');
const progressPercent = document.getElementById('progress-percent');
const progressMessage = document.getElementById('progress-message');
const progressDetail = document.getElementById('progress-detail');
const retryButton = document.getElementById('retry');
const retryMessage = document.getElementById('retry-message');

let transport = null;       // {kind: 'sse'|'polling', stop()} while watching, else null
let sseBroken = false;      // once SSE failed, this page keeps to polling
let etag = null;            // validator of the last status read by polling
let deadline = null;        // timer that ends watching with the timeout view
let lastStatus = null;      // the last status shown
let shownView = null;       // a function re-rendering the current view after a language switch

function BoundedNumber(text, fallback, min, max) {
  const n = Number(text);
  if (text === null || text === '' || !Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

function Show(view, render) {
  ShowOnly(view, Object.values(views));
  shownView = render ?? null;
  document.body.dataset.view = Object.keys(views).find((k) => views[k] === view) ?? '';
}

// ---- Watching ------------------------------------------------------------------------------

function StopTransport() {
  transport?.stop();
  transport = null;
  document.body.dataset.transport = '';
}

function StopWatching() {
  StopTransport();
  clearTimeout(deadline);
  deadline = null;
}

// Starts (or resumes) following the job until it is final or the deadline passes.
function Watch() {
  StopWatching();
  deadline = setTimeout(TimedOut, kTimeoutMs);
  if (kUseSse && !sseBroken) OpenEvents();
  else StartPolling(0);
}

function TimedOut() {
  StopWatching();
  Show(views.timeout);
  document.getElementById('keep-waiting').focus();
}

function OpenEvents() {
  const source = new EventSource(kEventsUrl);
  let stopped = false;
  // The server sends the current state as soon as the stream opens; a stream that stays silent
  // (a buffering proxy, say) is given up for polling.
  const silence = setTimeout(() => fallBack(), Math.max(5000, 3 * kPollMs));
  const fallBack = () => {
    if (stopped) return;
    stop();
    sseBroken = true;
    if (transport?.kind === 'sse') StartPolling(0);
  };
  const stop = () => {
    stopped = true;
    clearTimeout(silence);
    source.close();
  };
  const onData = (event) => {
    clearTimeout(silence);
    if (stopped) return;
    let status;
    try {
      status = JSON.parse(event.data);
    } catch {
      return;  // not a status object: ignore it
    }
    Apply(status);
  };
  source.addEventListener('status', onData);
  source.addEventListener('message', onData);
  // A failed connection, an error answer or a stream that ended before the final state: the
  // browser would reconnect on its own, but polling is the dependable path from here on.
  source.addEventListener('error', fallBack);
  transport = { kind: 'sse', stop };
  document.body.dataset.transport = 'sse';
}

function StartPolling(firstDelayMs) {
  StopTransport();
  let timer = null;
  let stopped = false;
  let controller = null;
  const schedule = (ms) => {
    if (!stopped) timer = setTimeout(poll, ms);
  };
  const poll = async () => {
    controller = new AbortController();
    const result = await ReadStatus(controller.signal);
    if (stopped) return;
    if (result.kind === 'status') {
      Apply(result.status);
      if (!kFinal.has(result.status.status)) schedule(kPollMs);
    } else if (result.kind === 'gone') {
      StopWatching();
      ShowGone(result.code);
    } else {
      schedule(kPollMs);  // unchanged, busy, or the network hiccuped: ask again later
    }
  };
  transport = {
    kind: 'polling',
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
  document.body.dataset.transport = 'polling';
  schedule(firstDelayMs);
}

// One status read: {kind:'status', status} | {kind:'unchanged'} | {kind:'gone', code} |
// {kind:'transient'}.
async function ReadStatus(signal) {
  const headers = { 'Accept': 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  let response;
  try {
    response = await fetch(kStatusUrl, { headers, cache: 'no-store', signal });
  } catch {
    return { kind: 'transient' };
  }
  if (response.status === 304) return { kind: 'unchanged' };
  if (response.status === 404 || response.status === 410 || response.status === 400)
    return { kind: 'gone', code: response.status };
  if (!response.ok) return { kind: 'transient' };
  let status;
  try {
    status = Normalize(await response.json());
  } catch {
    return { kind: 'transient' };
  }
  if (!status) return { kind: 'transient' };
  etag = response.headers.get('ETag');
  return { kind: 'status', status };
}

// Accepts the status object, or a bare recommendation from a legacy synchronous 200.
function Normalize(body) {
  if (!body || typeof body !== 'object') return null;
  if (typeof body.status === 'string') return body;
  if (Array.isArray(body.items)) return { status: 'completed', progress: 100, recommendation: body };
  return null;
}

// Shows a status wherever it came from; stops watching when it is final.
function Apply(raw) {
  const status = Normalize(raw);
  if (!status) return;
  lastStatus = status;
  if (status.status === 'completed') {
    StopWatching();
    Show(views.result, () => RenderResult(status));
    RenderResult(status);
  } else if (status.status === 'failed' || status.status === 'cancelled') {
    StopWatching();
    Show(views.failed, () => RenderFailed(status));
    RenderFailed(status);
  } else {
    Show(views.progress, () => RenderProgress(status));
    RenderProgress(status);
  }
}

// ---- Views ---------------------------------------------------------------------------------

function RenderProgress(status) {
  const percent = Math.min(100, Math.max(0, Math.round(Number(status.progress) || 0)));
  progressBar.setAttribute('aria-valuenow', String(percent));
  progressBar.setAttribute('aria-valuetext', `${percent}%`);
  progressFill.style.transform = `scaleX(${percent / 100})`;  // CSSOM, allowed by the CSP
  progressPercent.textContent = `${percent}%`;
  const message = typeof status.progressMessage === 'string' ? status.progressMessage.trim() : '';
  progressMessage.removeAttribute('data-i18n');
  if (message) progressMessage.textContent = message;
  else progressMessage.textContent = T(status.state === 'queued' ? 'progress.queued' : 'progress.starting');
  const attempt = Number(status.attempt);
  progressDetail.textContent = attempt > 1 ? T('progress.attempt', { attempt }) : '';
}

function RenderFailed(status) {
  const error = status.error && typeof status.error === 'object' ? status.error : {};
  const text = status.status === 'cancelled' ? T('failed.cancelled') : Text(error.message) ?? '';
  document.getElementById('failed-message').textContent = text;
  retryButton.disabled = false;
  retryButton.textContent = T('failed.retry');
}

function ShowGone(code) {
  const render = () => {
    const expired = code === 410;
    document.getElementById('notfound-heading').textContent = T(expired ? 'expired.heading' : 'notfound.heading');
    document.getElementById('notfound-message').textContent =
      T(id === '' ? 'missing.body' : expired ? 'expired.body' : 'notfound.body');
  };
  Show(views.notFound, render);
  render();
}

async function Retry() {
  retryButton.disabled = true;
  retryButton.textContent = T('failed.retrying');
  retryMessage.textContent = '';
  let response;
  try {
    response = await fetch(kRetryUrl, { method: 'POST', headers: { 'Accept': 'application/json' } });
  } catch {
    response = null;
  }
  if (response && (response.ok || response.status === 409)) {
    if (response.status === 409) retryMessage.textContent = T('failed.retryConflict');
    etag = null;
    sseBroken = false;
    const restarted = { ...(lastStatus ?? {}), status: 'processing', state: 'queued', progress: 0, progressMessage: '' };
    Show(views.progress, () => RenderProgress(restarted));
    RenderProgress(restarted);
    Watch();
    return;
  }
  if (response && (response.status === 404 || response.status === 410)) {
    ShowGone(response.status);
    return;
  }
  retryButton.disabled = false;
  retryButton.textContent = T('failed.retry');
  retryMessage.textContent = T('failed.retryError', { status: response ? response.status : '—' });
}

// ---- The recommendation --------------------------------------------------------------------

// Readable text from a value the engine may send as a string, a number, a localized
// {es, en} object or an object with a message-like field; null when there is none.
function Text(value, locale) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => Text(v, locale)).filter((v) => v !== null);
    return parts.length ? parts.join(', ') : null;
  }
  if (typeof value === 'object') {
    if (locale && typeof value[locale] === 'string') return value[locale];
    for (const key of ['es', 'en', 'message', 'text', 'summary', 'description', 'detail', 'advice',
      'reason', 'note', 'name', 'title', 'label', 'id']) {
      const text = Text(value[key], locale);
      if (text !== null) return text;
    }
  }
  return null;
}

function List(value) {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function DoseText(dose, locale) {
  if (dose === null || dose === undefined) return null;
  if (typeof dose !== 'object' || Array.isArray(dose)) return Text(dose, locale);
  let amount = dose.amount;
  if (amount && typeof amount === 'object' && !Array.isArray(amount)) {
    const min = amount.min ?? amount.from;
    const max = amount.max ?? amount.to;
    amount = min !== undefined && max !== undefined && min !== max ? `${min}–${max}` : (min ?? max ?? Text(amount, locale));
  } else if (dose.min !== undefined || dose.max !== undefined) {
    amount = dose.min !== undefined && dose.max !== undefined && dose.min !== dose.max
      ? `${dose.min}–${dose.max}` : (dose.min ?? dose.max);
  }
  const quantity = [Text(amount, locale), Text(dose.unit, locale)].filter(Boolean).join(' ');
  const frequency = Text(dose.frequency, locale);
  const text = [quantity, frequency].filter(Boolean).join(', ');
  return text || Text(dose.text ?? dose.summary ?? dose.description, locale);
}

function Section(title, list, className, renderItem) {
  const items = List(list).map(renderItem).filter(Boolean);
  if (!items.length) return null;
  return [El('h3', { text: title }), El('ul', { className }, ...items)];
}

function TextItem(value, locale) {
  const text = Text(value, locale);
  return text === null ? null : El('li', { text });
}

function InteractionItem(value, locale) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return TextItem(value, locale);
  const li = El('li');
  const action = Text(value.action ?? value.severity ?? value.level, locale);
  if (action) {
    const hours = Number(value.hours);
    const key = `interaction.${action}${action === 'separate' && hours > 0 ? '.hours' : ''}`;
    const label = T(key, { hours });
    li.append(El('span', { className: 'severity', text: label === key ? action.replace(/_/g, ' ') : label }));
  }
  const drug = Text(value.name ?? value.drug ?? value.medication ?? value.with ?? value.drug_class ?? value.class, locale);
  const message = Text(value.note ?? value.message ?? value.summary ?? value.description ?? value.advice ??
    value.effect ?? value.text ?? value.reason, locale);
  if (drug) li.append(El('span', { className: 'interaction-drug', text: message ? `${drug}:` : drug }));
  if (message) li.append(El('span', { text: message }));
  return li.childNodes.length ? li : null;
}

function SourceItem(value, locale) {
  const url = SafeHttpUrl(typeof value === 'string' ? value : value?.url ?? value?.href);
  const title = (typeof value === 'object' && value !== null ? Text(value.title ?? value.name, locale) : null) ??
    (typeof value === 'string' ? value : null) ?? url;
  if (!title) return null;
  if (!url) return El('li', { text: title });
  return El('li', {}, El('a', { text: title, attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' } }));
}

function GradeBadge(evidence, locale) {
  const raw = typeof evidence === 'object' && evidence !== null ? evidence.grade : evidence;
  const grade = typeof raw === 'string' ? raw.trim().toUpperCase().slice(0, 1) : '';
  const known = ['A', 'B', 'C', 'D'].includes(grade);
  if (!grade) return null;
  const badge = El('span', {
    className: `grade ${known ? `grade-${grade.toLowerCase()}` : 'grade-unknown'}`,
    attrs: { title: known ? T(`result.grade.${grade}`) : Text(raw, locale), 'aria-label': T('result.grade', { grade }) },
  }, El('small', { text: T('result.evidence'), attrs: { 'aria-hidden': 'true' } }), El('span', { text: grade, attrs: { 'aria-hidden': 'true' } }));
  return badge;
}

function ItemCard(item, index, locale) {
  const supplement = item.supplement ?? {};
  const name = Text(supplement.name ?? item.name ?? supplement, locale) ?? Text(supplement.id, locale) ?? `#${index + 1}`;
  const headingId = `item-${index}`;
  const card = El('article', { className: 'card', attrs: { 'aria-labelledby': headingId, 'data-supplement': Text(supplement.id, locale) } });
  const titleBlock = El('div', {}, El('h2', { text: name, attrs: { id: headingId } }));
  const head = El('div', { className: 'card-head' }, titleBlock, GradeBadge(item.evidence, locale));
  card.append(head);

  const facts = El('dl', { className: 'facts' });
  const fact = (label, value, className) => {
    if (!value) return;
    facts.append(El('dt', { text: label }), El('dd', { text: value, className }));
  };
  fact(T('result.form'), Text(item.form, locale));
  fact(T('result.dose'), DoseText(item.dose, locale), 'dose');
  fact(T('result.timing'), Text(item.timing, locale));
  const dose = item.dose && typeof item.dose === 'object' ? item.dose : {};
  const limit = Text(dose.upper_limit, locale);
  if (limit) fact(T('result.upperLimit'), T('result.perDay', { amount: [limit, Text(dose.unit, locale)].filter(Boolean).join(' ') }));
  if (facts.childNodes.length) card.append(facts);
  const doseNote = Text(dose.note, locale);
  if (doseNote) card.append(El('p', { className: 'hint dose-note', text: doseNote }));

  const evidence = item.evidence;
  const summary = typeof evidence === 'object' && evidence !== null ? Text(evidence.summary ?? evidence.text, locale) : null;
  const goal = typeof evidence === 'object' && evidence !== null ? Text(evidence.goal_name ?? evidence.goal, locale) : null;
  if (summary || goal) {
    const p = El('p', { className: 'evidence-summary' });
    if (goal) p.append(El('strong', { text: T('result.evidenceFor', { goal }) }), ' ');
    if (summary) p.append(summary);
    card.append(p);
  }

  for (const part of [
    Section(T('result.reasons'), item.reasons, 'list-reasons', (v) => TextItem(v, locale)),
    Section(T('result.warnings'), item.warnings, 'list-warnings', (v) => TextItem(v, locale)),
    Section(T('result.interactions'), item.interactions, 'list-interactions', (v) => InteractionItem(v, locale)),
    Section(T('result.sources'), item.sources, 'sources', (v) => SourceItem(v, locale)),
  ]) {
    if (part) card.append(...part);
  }
  return card;
}

function ExcludedItem(value, locale) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return TextItem(value, locale);
  const supplement = value.supplement ?? {};
  const name = Text(supplement.name ?? value.name ?? supplement.id ?? supplement, locale);
  const why = Text(value.reasons ?? value.reason ?? value.warnings ?? value.message ?? value.why, locale);
  if (!name && !why) return null;
  const li = El('li');
  if (name) li.append(El('strong', { text: name }));
  if (name && why) li.append(': ');
  if (why) li.append(why);
  return li;
}

// "Showing results for “magnesio” (you typed “magnecio”)" for each spelling the engine corrected.
function Corrections(matched, locale) {
  const corrections = List(matched?.corrections)
    .filter((c) => c && typeof c === 'object' && Text(c.from, locale) && Text(c.to, locale));
  if (!corrections.length) return null;
  return El('ul', { className: 'corrections' }, ...corrections.map((c) => El('li', {},
    `${T('result.correctedTo')} `, El('q', { text: Text(c.to, locale) }),
    ` (${T('result.correctedFrom')} `, El('q', { text: Text(c.from, locale) }), ')')));
}

function Notes(title, list, className, renderItem) {
  const items = List(list).map(renderItem).filter(Boolean);
  if (!items.length) return null;
  return El('section', { className: `notes ${className}` }, El('h2', { text: title }), El('ul', {}, ...items));
}

function RenderResult(status) {
  const rec = status.recommendation && typeof status.recommendation === 'object' ? status.recommendation : {};
  const locale = Text(rec.locale ?? status.locale) ?? undefined;
  const query = Text(rec.query ?? status.query);
  const queryLine = document.getElementById('result-query');
  queryLine.replaceChildren();
  if (query) queryLine.append(T('result.for'), ' ', El('q', { text: query, attrs: { lang: locale } }));
  else queryLine.append(T('result.forQuiz'));

  const body = document.getElementById('result-body');
  body.replaceChildren();
  const corrections = Corrections(rec.matched, locale);
  if (corrections) body.append(corrections);

  const items = List(rec.items).filter((i) => i && typeof i === 'object');
  if (items.length) {
    body.append(El('ul', { className: 'cards', attrs: { lang: locale } },
      ...items.map((item, i) => El('li', {}, ItemCard(item, i, locale)))));
  } else {
    const empty = El('section', { className: 'notes notes-empty' }, El('p', { text: T('result.noItems') }));
    const suggestions = List(rec.suggestions).map((s) => Text(s, locale)).filter(Boolean);
    if (suggestions.length) {
      empty.append(El('p', { text: Text(rec.message, locale) ?? T('result.suggestions') }), El('ul', { className: 'suggestions' },
        ...suggestions.map((s) => El('li', {}, El('a', { text: s, attrs: { href: `/portal?${new URLSearchParams({ q: s })}` } })))));
    }
    body.append(empty);
  }
  for (const notes of [
    Notes(T('result.generalWarnings'), rec.warnings, 'notes-warnings', (v) => TextItem(v, locale)),
    Notes(T('result.excluded'), rec.excluded, 'notes-excluded', (v) => ExcludedItem(v, locale)),
  ]) {
    if (notes) body.append(notes);
  }
  if (items.length) {
    const suggestions = List(rec.suggestions).map((s) => Text(s, locale)).filter(Boolean);
    if (suggestions.length) {
      body.append(El('section', { className: 'notes' }, El('h2', { text: T('result.suggestions') }),
        El('ul', { className: 'suggestions' }, ...suggestions.map((s) =>
          El('li', {}, El('a', { text: s, attrs: { href: `/portal?${new URLSearchParams({ q: s })}` } }))))));
    }
  }
  const disclaimer = Text(rec.disclaimer, locale);
  if (disclaimer) {
    body.append(El('p', { className: 'disclaimer', attrs: { lang: locale } },
      El('strong', { text: `${T('result.disclaimer')}: ` }), disclaimer));
  }
}

// ---- Start ---------------------------------------------------------------------------------

function TakeHandedOverStatus() {
  try {
    const key = `vitarec.status.${id}`;
    const text = sessionStorage.getItem(key);
    if (text === null) return null;
    sessionStorage.removeItem(key);
    return Normalize(JSON.parse(text));
  } catch {
    return null;
  }
}

async function Start() {
  SetUpLanguageSwitch();
  OnLangChange(() => shownView?.());
  document.getElementById('keep-waiting').addEventListener('click', () => {
    Show(views.progress, lastStatus ? () => RenderProgress(lastStatus) : null);
    if (lastStatus) RenderProgress(lastStatus);
    Watch();
  });
  retryButton.addEventListener('click', Retry);
  if (id === '') {
    ShowGone(404);
    return;
  }
  const handedOver = TakeHandedOverStatus();
  if (handedOver && kFinal.has(handedOver.status)) {
    Apply(handedOver);
    return;
  }
  Show(views.progress);
  deadline = setTimeout(TimedOut, kTimeoutMs);
  const first = await ReadStatus();
  if (first.kind === 'gone') {
    StopWatching();
    ShowGone(first.code);
    return;
  }
  if (first.kind === 'status') {
    Apply(first.status);
    if (kFinal.has(first.status.status)) return;
  }
  if (deadline !== null) Watch();
}

Start();
