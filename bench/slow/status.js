'use strict';
// Status reads while the slow-work benchmark runs: submits one job, then polls its
// GET /portal/status/{id} over --conc keep-alive connections, each pausing --pause ms between
// reads, until SIGTERM or --duration seconds; prints the latency percentiles as
// `metric value unit` lines.
const http = require('node:http');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const PORT = Number(args.port || 8080);
const C = Number(args.conc || 4);
const PAUSE_MS = Number(args.pause || 10);
const DURATION_MS = Number(args.duration || 120) * 1000;
const agent = new http.Agent({ keepAlive: true, maxSockets: C });
const latencies = [];
let errors = 0;
let stop = false;

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: PORT, path, method, agent,
      headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function report() {
  latencies.sort((a, b) => a - b);
  const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : 0);
  console.log(`status_reads ${latencies.length} count`);
  console.log(`status_errors ${errors} count`);
  console.log(`status_p50 ${q(0.5).toFixed(2)} ms`);
  console.log(`status_p99 ${q(0.99).toFixed(2)} ms`);
  console.log(`status_max ${(latencies[latencies.length - 1] || 0).toFixed(2)} ms`);
  agent.destroy();
  process.exit(0);
}

async function main() {
  const submitted = await request('POST', '/portal/recommend', JSON.stringify({ query: 'zinc' }));
  const id = JSON.parse(submitted.data).recommendation_id;
  const deadline = Date.now() + DURATION_MS;
  process.on('SIGTERM', () => { stop = true; });
  await Promise.all(Array.from({ length: C }, async () => {
    while (!stop && Date.now() < deadline) {
      const t = process.hrtime.bigint();
      try {
        const r = await request('GET', `/portal/status/${id}`);
        if (r.status !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      } catch (e) { errors++; }
      await sleep(PAUSE_MS);
    }
  }));
  report();
}

main().catch((e) => { console.error(e); process.exit(1); });
