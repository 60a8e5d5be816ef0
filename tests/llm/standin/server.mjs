// A stand-in for an OpenAI-compatible model server, for the tests of the language-model step
// (docs/LLM.md, "Tests"). Node.js, no dependencies.
//
//   node tests/llm/standin/server.mjs [--require-key KEY]
//
// Listens on 127.0.0.1, port 0, and prints `listening port=N` on stdout. Exits when its stdin
// closes (so a test that dies does not leave it behind) or on SIGTERM.
//
// POST .../chat/completions speaks the protocol as OpenAI does: 400 invalid_request_error for a
// body that is not JSON or lacks model/messages, 401 with --require-key and a wrong key, and for
// `stream: true` a `text/event-stream` of chat.completion.chunk objects (id, object, created,
// model, system_fingerprint, choices[{index, delta, logprobs, finish_reason}]): a role chunk,
// the content chunks, a finish chunk, the usage chunk (`choices: []`) when
// stream_options.include_usage, then `data: [DONE]`. `max_tokens` / `max_completion_tokens` is
// honoured (one chunk is one token; finish_reason "length"). Without `stream` it answers one
// chat.completion object.
//
// The behaviour is chosen per request by the model name, "mode" or "mode:key=value:...", or the
// x-standin-mode header (same syntax). Modes:
//   normal        the narrative in `chunks` chunks, `delay_ms` between tokens
//   wrong_dose    the same, with the first dose of the prompt multiplied by ten
//   rate_limit    429 with Retry-After: `retry_after` seconds (and retry-after-ms)
//   quota         429 insufficient_quota, no Retry-After
//   server_error  500 server_error
//   bad_request   400 invalid_request_error
//   hang          reads the request, never answers (not even headers)
//   stall         `before` content chunks, then silence with the connection open
//   malformed     `before` content chunks, then a chunk that is not JSON
//   stream_error  `before` content chunks, then data: {"error": {...}} and [DONE]
//   reset         `before` content chunks, then a TCP reset
//   overlong      ignores the token limit: `chunks` (default 5000) chunks
//   keepalive     headers, then only ": keep-alive" comments every `keepalive_ms`
// Other keys: crlf=1 ends lines with \r\n (sse-starlette does); text=... (URI-encoded, or the
// x-standin-text header) replaces the narrative.
// The narrative: a few neutral sentences in the prompt's language (Spanish unless the system
// message is English) and, when the prompt holds a dose ("200 mg"), a sentence repeating it.
//
// GET /stats: {requests, open_connections, active_streams, completed_streams, by_mode}, for
// tests that check that nothing leaks. GET /last-request: the last chat request's body and
// whether it carried an Authorization header (never its value). GET /v1/models: one model.
import http from 'node:http';

const args = process.argv.slice(2);
const requiredKey = args.includes('--require-key') ? args[args.indexOf('--require-key') + 1] : null;

const stats = {requests: 0, open_connections: 0, active_streams: 0, completed_streams: 0, by_mode: {}};
let lastRequest = null;
let sequence = 0;

function parseMode(spec) {
  const [mode, ...pairs] = String(spec || 'normal').split(':');
  const params = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0) params[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
  }
  return {mode: mode || 'normal', params};
}

function int(value, fallback) {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function errorBody(message, type, code = null, param = null) {
  return JSON.stringify({error: {message, type, param, code}});
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
                         'x-request-id': `req_${stats.requests}`, ...headers});
  res.end(body);
}

const doseRe = /(\d+(?:[.,]\d+)?)\s?(mg|mcg|µg|g|UI|IU|UFC|CFU)(?![\p{L}\d])/u;

function narrative(body, wrongDose) {
  const system = (body.messages.find((m) => m.role === 'system') || {}).content || '';
  const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  const english = /^(You|Write|Explain)\b/.test(String(system));
  const match = doseRe.exec(String(user));
  let dose = match ? `${match[1]} ${match[2]}` : null;
  if (wrongDose) dose = match ? `${Number(match[1].replace(',', '.')) * 10} ${match[2]}` : '5000 mg';
  const sentences = english
    ? ['This recommendation follows what you asked for.',
       dose ? `The dose shown is ${dose}.` : null,
       'Take it as the card says and talk to your doctor or pharmacist before you start.']
    : ['Esta recomendación sigue lo que has preguntado.',
       dose ? `La dosis indicada es ${dose}.` : null,
       'Tómalo como indica la tarjeta y consulta a tu médico o farmacéutico antes de empezar.'];
  return sentences.filter(Boolean).join(' ');
}

// `text` cut into exactly `count` pieces at word boundaries (repeating its last sentence when it
// has fewer words than pieces).
function pieces(text, count) {
  let words = text.split(/(?<= )/);
  const filler = text.slice(text.lastIndexOf('. ') + 2);
  while (words.length < count) words = words.concat((' ' + filler).split(/(?<= )/).filter((w) => w));
  const out = [];
  for (let i = 0; i < count; i++) {
    const from = Math.floor((i * words.length) / count);
    const to = Math.floor(((i + 1) * words.length) / count);
    out.push(words.slice(from, to).join(''));
  }
  return out;
}

function streamResponse(req, res, body, mode, params) {
  const id = `chatcmpl-standin-${++sequence}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model;
  const eol = params.crlf === '1' ? '\r\n' : '\n';
  const includeUsage = !!(body.stream_options && body.stream_options.include_usage);
  const limit = int(body.max_completion_tokens ?? body.max_tokens, Infinity);
  const delay = int(params.delay_ms, 0);
  const before = int(params.before, 3);
  const text = params.text ?? req.headers['x-standin-text'] ?? narrative(body, mode === 'wrong_dose');
  const count = int(params.chunks, mode === 'overlong' ? 5000 : 8);
  const contents = pieces(mode === 'overlong' ? text + ' ' : text, count);
  const promptTokens = Math.ceil(body.messages.reduce((n, m) => n + String(m.content).length, 0) / 4);

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': `req_${stats.requests}`,
  });
  res.flushHeaders();
  stats.active_streams++;
  let ended = false;
  const timers = new Set();
  const finish = () => {
    if (ended) return;
    ended = true;
    stats.active_streams--;
    for (const t of timers) clearTimeout(t), clearInterval(t);
  };
  res.on('close', finish);

  const chunk = (delta, finishReason) => {
    const c = {id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_standin',
               choices: [{index: 0, delta, logprobs: null, finish_reason: finishReason}]};
    if (includeUsage) c.usage = null;
    return c;
  };
  const send = (line) => { if (!ended) res.write(line + eol + eol); };
  const data = (obj) => send('data: ' + JSON.stringify(obj));
  const later = (ms, fn) => { const t = setTimeout(() => { timers.delete(t); fn(); }, ms); timers.add(t); };

  if (mode === 'keepalive') {
    const t = setInterval(() => send(': keep-alive'), int(params.keepalive_ms, 500));
    timers.add(t);
    return;
  }
  data(chunk({role: 'assistant', content: '', refusal: null}, null));
  const failing = ['stall', 'malformed', 'stream_error', 'reset'].includes(mode);
  const allowed = mode === 'overlong' ? contents.length : Math.min(contents.length, limit);
  const total = failing ? Math.min(before, contents.length) : allowed;
  let sent = 0;
  const next = () => {
    if (ended) return;
    if (sent < total) {
      data(chunk({content: contents[sent]}, null));
      sent++;
      return delay > 0 ? later(delay, next) : setImmediate(next);
    }
    if (mode === 'stall') return;
    if (mode === 'malformed') {
      send('data: {"id":"' + id + '","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"bro');
      return later(10, () => res.end());
    }
    if (mode === 'stream_error') {
      data({error: {message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null}});
      send('data: [DONE]');
      stats.completed_streams++;
      return res.end();
    }
    if (mode === 'reset') return req.socket.resetAndDestroy();
    data(chunk({}, sent < contents.length ? 'length' : 'stop'));
    if (includeUsage) {
      data({id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_standin', choices: [],
            usage: {prompt_tokens: promptTokens, completion_tokens: sent, total_tokens: promptTokens + sent}});
    }
    send('data: [DONE]');
    stats.completed_streams++;
    res.end();
  };
  delay > 0 ? later(delay, next) : setImmediate(next);
}

function chatCompletions(req, res, raw) {
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return sendJson(res, 400, errorBody('We could not parse the JSON body of your request.', 'invalid_request_error'));
  }
  const {mode, params} = parseMode(req.headers['x-standin-mode'] || (body && body.model));
  stats.by_mode[mode] = (stats.by_mode[mode] || 0) + 1;
  lastRequest = {body, authorization: req.headers.authorization !== undefined,
                 content_type: req.headers['content-type'] || null, accept: req.headers.accept || null};
  if (requiredKey !== null && req.headers.authorization !== `Bearer ${requiredKey}`) {
    return sendJson(res, 401, errorBody('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
  }
  if (typeof body !== 'object' || body === null || typeof body.model !== 'string' || body.model === '') {
    return sendJson(res, 400, errorBody('you must provide a model parameter', 'invalid_request_error', null, 'model'));
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0 ||
      !body.messages.every((m) => m && typeof m.role === 'string' && typeof m.content === 'string')) {
    return sendJson(res, 400, errorBody("Invalid 'messages'.", 'invalid_request_error', null, 'messages'));
  }
  switch (mode) {
    case 'rate_limit': {
      const seconds = int(params.retry_after, 2);
      return sendJson(res, 429, errorBody('Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded'),
                      {'retry-after': String(seconds), 'retry-after-ms': String(seconds * 1000),
                       'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': `${seconds}s`});
    }
    case 'quota':
      return sendJson(res, 429, errorBody('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'));
    case 'server_error':
      return sendJson(res, 500, errorBody('The server had an error while processing your request.', 'server_error'));
    case 'bad_request':
      return sendJson(res, 400, errorBody("This model's maximum context length was exceeded.", 'invalid_request_error', 'context_length_exceeded', 'messages'));
    case 'hang':
      return;  // the socket stays open until the client closes it
  }
  if (body.stream === true) return streamResponse(req, res, body, mode, params);
  const text = params.text ?? req.headers['x-standin-text'] ?? narrative(body, mode === 'wrong_dose');
  sendJson(res, 200, JSON.stringify({
    id: `chatcmpl-standin-${++sequence}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000),
    model: body.model, system_fingerprint: 'fp_standin',
    choices: [{index: 0, message: {role: 'assistant', content: text, refusal: null}, logprobs: null, finish_reason: 'stop'}],
    usage: {prompt_tokens: 1, completion_tokens: 1, total_tokens: 2}}));
}

const server = http.createServer({noDelay: true}, (req, res) => {
  stats.requests++;
  const url = new URL(req.url, 'http://standin');
  if (req.method === 'GET' && url.pathname === '/stats') return sendJson(res, 200, JSON.stringify(stats));
  if (req.method === 'GET' && url.pathname === '/last-request') return sendJson(res, 200, JSON.stringify(lastRequest));
  if (req.method === 'GET' && url.pathname.endsWith('/models')) {
    return sendJson(res, 200, JSON.stringify({object: 'list', data: [{id: 'normal', object: 'model', created: 0, owned_by: 'vitarec'}]}));
  }
  if (!url.pathname.endsWith('/chat/completions')) {
    return sendJson(res, 404, errorBody(`Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error'));
  }
  if (req.method !== 'POST') {
    return sendJson(res, 405, errorBody(`Method ${req.method} not allowed`, 'invalid_request_error'));
  }
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => chatCompletions(req, res, Buffer.concat(parts).toString('utf8')));
});
server.on('connection', (socket) => {
  stats.open_connections++;
  socket.on('close', () => stats.open_connections--);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening port=${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
