'use strict';
// Submit phase of the end-to-end benchmark: N POST /portal/recommend over C keep-alive
// connections, as fast as the server answers. The same client code (node:http, Agent with
// keepAlive, 64 sockets, same body) as the Node/BullMQ peer's tools/e2e.js, so that both
// servers are driven alike. Completion is then read from the server's database by e2e.sh.
// Prints `metric value unit` lines; bounded by --timeout seconds.
const http = require('node:http');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const N = Number(args.n || 20000);
const C = Number(args.conc || 64);
const PORT = Number(args.port || 8080);
const TIMEOUT_MS = Number(args.timeout || 180) * 1000;
const body = JSON.stringify({ query: 'magnesio', quiz_id: 'q1', category: 'minerals' });
const agent = new http.Agent({ keepAlive: true, maxSockets: C });
const deadline = Date.now() + TIMEOUT_MS;

function post() {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: PORT, path: '/portal/recommend', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(data).recommendation_id)
        : reject(new Error(`HTTP ${res.statusCode}: ${data}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const out = (m, v, u) => console.log(`${m} ${v} ${u}`);

async function main() {
  let next = 0;
  let ok = 0;
  let errors = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < N && Date.now() < deadline) {
      next++;
      try { if (await post()) ok++; } catch (e) { errors++; if (errors <= 3) console.error(e.message); }
    }
  }));
  const t1 = Date.now();
  agent.destroy();
  out('e2e_t0_ms', t0, 'ms');
  out('e2e_jobs_submitted', ok, 'jobs');
  out('e2e_submit_errors', errors, 'count');
  out('e2e_submit_rate', (ok / ((t1 - t0) / 1000)).toFixed(0), 'jobs/s');
  out('e2e_submit_phase', ((t1 - t0) / 1000).toFixed(3), 's');
}

main().catch((e) => { console.error(e); process.exit(1); });
