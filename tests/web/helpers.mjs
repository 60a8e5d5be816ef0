// Shared fixtures of the browser tests: a real `vitarec serve` on a free loopback port with a
// temporary SQLite store, and Debian's Chromium driven by playwright-core with a fresh profile.
// Everything started here is stopped by the returned handles (the server by its own PID).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const kRepoRoot = path.resolve(here, '..', '..');
export const kBinary = path.resolve(kRepoRoot, process.env.VITAREC_BIN ?? 'build/vitarec');
const kChromium = process.env.VITAREC_CHROMIUM ?? '/usr/bin/chromium';
const kChromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function FreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The flags `vitarec serve --help` lists, to skip tests whose server feature has not landed.
let helpText = null;
export function ServeSupports(flag) {
  if (helpText === null) {
    const r = spawnSync(kBinary, ['serve', '--help'], { encoding: 'utf8', timeout: 10000 });
    helpText = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  }
  return helpText.includes(flag);
}

// Starts `vitarec serve` and resolves once /readyz answers 200. Returns {url, pid, logPath, stop}.
export async function StartServer(extraArgs = []) {
  if (!fs.existsSync(kBinary)) throw new Error(`no vitarec binary at ${kBinary} (set VITAREC_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitarec-web-'));
  const logPath = path.join(dir, 'server.log');
  const log = fs.openSync(logPath, 'a');
  let lastError = null;
  for (let attempt = 0; attempt < 3; ++attempt) {  // a free port can be taken in between
    const port = await FreePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(kBinary, ['serve', '--listen', `127.0.0.1:${port}`,
      '--store', `sqlite:${path.join(dir, 'vitarec.db')}`, ...extraArgs],
      { stdio: ['ignore', log, log], env: { ...process.env } });
    let exited = null;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    const readyBy = Date.now() + 15000;
    while (Date.now() < readyBy && exited === null) {
      try {
        const r = await fetch(`${url}/readyz`);
        if (r.status === 200) {
          return {
            url, pid: child.pid, logPath,
            stop: () => StopChild(child, () => exited !== null).then(() => {
              fs.closeSync(log);
              fs.rmSync(dir, { recursive: true, force: true });
            }),
          };
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await StopChild(child, () => exited !== null);
    lastError = new Error(`vitarec serve did not become ready (exit ${JSON.stringify(exited)}):\n` +
      fs.readFileSync(logPath, 'utf8').slice(-2000));
  }
  fs.closeSync(log);
  throw lastError;
}

export async function StopChild(child, hasExited) {
  if (hasExited()) return;
  try { process.kill(child.pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 100 && !hasExited(); ++i) await sleep(50);
  if (!hasExited()) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
    for (let i = 0; i < 40 && !hasExited(); ++i) await sleep(50);
  }
}

// Launches Chromium with a fresh temporary profile. Returns {context, close}.
export async function LaunchBrowser(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vitarec-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: kChromium,
    headless: true,
    args: kChromiumArgs,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    isMobile: options.isMobile ?? false,
    hasTouch: options.isMobile ?? false,
    locale: 'es-ES',
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A new page that records console errors and uncaught exceptions in page.errors.
// `allow` lists regular expressions of messages a test expects (e.g. a deliberate 404).
export async function NewPage(context, allow = []) {
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow.some((re) => re.test(m.text())))
      page.errors.push(`console.${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  return page;
}

// Submits a query through the API (no browser) and returns the recommendation id.
export async function SubmitQuery(url, body) {
  const r = await fetch(`${url}/api/portal/quiz`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  if (r.status !== 202 && r.status !== 200) throw new Error(`submit answered ${r.status}: ${await r.text()}`);
  return (await r.json()).recommendation_id;
}

// Reads the status until it is final (bounded) and returns it.
export async function WaitFinal(url, id, timeoutMs = 20000) {
  const by = Date.now() + timeoutMs;
  while (Date.now() < by) {
    const r = await fetch(`${url}/api/portal/status/${id}`);
    const s = await r.json();
    if (['completed', 'failed', 'cancelled'].includes(s.status)) return s;
    await sleep(200);
  }
  throw new Error(`job ${id} not final after ${timeoutMs} ms`);
}
