'use strict';
// Load driver for "many waiting clients": submits --jobs jobs, then holds --clients concurrent
// waiting clients on them (client i watches job i % jobs), each on its own TCP connection:
//   --mode=sse       GET /portal/events/{id} (one long response; heartbeats every 15 s)
//   --mode=longpoll  GET /portal/status/{id}?wait=30 with If-None-Match, re-sent on the same
//                    keep-alive connection as soon as it is answered
// Connections are opened in steps (--step per 50 ms) so the listen backlog is not flooded.
// Holds them for --hold seconds after all are open, printing a progress line every 2 s on stderr
// and writing `ready` to stdout once every client got its first answer bytes; then closes all
// and prints `metric value unit` lines. Raw sockets (node:net): no per-request objects.
// Bounded: --hold seconds plus at most 120 s to open.
const net = require('node:net');
const http = require('node:http');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const PORT = Number(args.port || 8080);
const CLIENTS = Number(args.clients || 5000);
const JOBS = Number(args.jobs || 500);
const MODE = args.mode || 'sse';
const HOLD_S = Number(args.hold || 60);
const STEP = Number(args.step || 250);
const out = (m, v, u) => console.log(`${m} ${v} ${u}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function submitAll(n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const body = JSON.stringify({ query: 'magnesio', locale: 'es' });
  const post = () => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: PORT, path: '/portal/recommend', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let d = ''; res.setEncoding('utf8'); res.on('data', (c) => { d += c; });
      res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(d).recommendation_id) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject); req.end(body);
  });
  const ids = [];
  let next = 0;
  return Promise.all(Array.from({ length: 32 }, async () => {
    while (next < n) { next++; ids.push(await post()); }
  })).then(() => { agent.destroy(); return ids; });
}

async function main() {
  const ids = await submitAll(JOBS);
  const stats = { open: 0, answered: 0, bytes: 0, events: 0, responses: 0, closed: 0, errors: 0, refused503: 0 };
  const sockets = [];
  let stopping = false;

  function openClient(i) {
    const id = ids[i % ids.length];
    const s = net.connect({ host: '127.0.0.1', port: PORT });
    let first = true;
    let connected = false;
    let etag = '';
    const request = () => {
      const path = MODE === 'sse' ? `/portal/events/${id}` : `/portal/status/${id}?wait=30`;
      const extra = MODE === 'sse' ? 'Accept: text/event-stream\r\n' : (etag ? `If-None-Match: ${etag}\r\n` : '');
      s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`);
    };
    s.setNoDelay(true);
    s.on('connect', () => { connected = true; stats.open++; request(); });
    s.on('data', (buf) => {
      stats.bytes += buf.length;
      const text = buf.toString('latin1');
      if (first) {
        first = false; stats.answered++;
        if (text.startsWith('HTTP/1.1 503')) stats.refused503++;
      }
      if (MODE === 'sse') {
        let k = -1; while ((k = text.indexOf('event: ', k + 1)) !== -1) stats.events++;
      } else {
        // One small response per read is the common case; re-ask once its headers arrived.
        const m = /ETag: ("[^"]*")/i.exec(text); if (m) etag = m[1];
        if (text.startsWith('HTTP/1.1 ')) { stats.responses++; if (!stopping) request(); }
      }
    });
    s.on('error', () => { stats.errors++; });
    s.on('close', () => { if (stopping) return; stats.closed++; if (connected) stats.open--; });
    sockets.push(s);
  }

  const t0 = Date.now();
  const openDeadline = t0 + 120000;
  for (let i = 0; i < CLIENTS && Date.now() < openDeadline; i += STEP) {
    for (let k = i; k < Math.min(CLIENTS, i + STEP); k++) openClient(k);
    await sleep(50);
  }
  while (stats.answered < CLIENTS && Date.now() < openDeadline) await sleep(50);
  const tReady = Date.now();
  out('clients_answered', stats.answered, 'clients');
  out('open_phase', ((tReady - t0) / 1000).toFixed(2), 's');
  console.log('ready');
  const holdEnd = Date.now() + HOLD_S * 1000;
  while (Date.now() < holdEnd) {
    await sleep(2000);
    console.error(`waiters open=${stats.open} answered=${stats.answered} events=${stats.events} responses=${stats.responses} closed=${stats.closed} errors=${stats.errors}`);
  }
  out('clients_open_at_end', stats.open, 'clients');
  out('clients_closed_early', stats.closed, 'clients');
  out('client_errors', stats.errors, 'count');
  out('refused_503', stats.refused503, 'count');
  out('sse_events', stats.events, 'count');
  out('longpoll_responses', stats.responses, 'count');
  out('bytes_received', stats.bytes, 'bytes');
  stopping = true;
  for (const s of sockets) s.destroy();
}

main().catch((e) => { console.error(e); process.exit(1); });
