// Starts the built example (`next start`, after `next build`) on a free loopback port, talking to
// the Vitarec at `vitarecUrl`; stopped by its own PID.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FreePort, StopChild } from '../../../tests/web/helpers.mjs';

const kApp = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function StartNext(vitarecUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitarec-next-'));
  const logPath = path.join(dir, 'next.log');
  const log = fs.openSync(logPath, 'a');
  const port = await FreePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(kApp, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: kApp, stdio: ['ignore', log, log],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', VITAREC_URL: vitarecUrl, NODE_ENV: 'production' },
  });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const stop = () => StopChild(child, () => exited !== null).then(() => {
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const readyBy = Date.now() + 30000;
  while (Date.now() < readyBy && exited === null) {
    try {
      if ((await fetch(`${url}/portal`)).status === 200) return { url, pid: child.pid, logPath, stop };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  const tail = fs.readFileSync(logPath, 'utf8').slice(-2000);
  await stop();
  throw new Error(`next start did not answer (exit ${JSON.stringify(exited)}):\n${tail}`);
}
