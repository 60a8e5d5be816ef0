// `npm pack` makes a publishable package: the built entry points and their declarations, the
// README, nothing else (no sources, tests or lock file).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const kPackage = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

it('npm pack holds dist, the README and package.json only, and both entry points resolve', async () => {
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: kPackage, encoding: 'utf8', timeout: 60000 });
  assert.equal(run.status, 0, run.stderr);
  const [info] = JSON.parse(run.stdout);
  assert.equal(info.name, '@vitarec/client');
  assert.match(info.version, /^\d+\.\d+\.\d+$/);
  const files = info.files.map((f) => f.path).sort();
  for (const needed of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/react.js', 'dist/react.d.ts', 'dist/openapi.d.ts']) {
    assert.ok(files.includes(needed), `${needed} is packed`);
  }
  assert.deepEqual(files.filter((f) => !f.startsWith('dist/') && f !== 'package.json' && f !== 'README.md'), []);

  const core = await import('@vitarec/client');
  assert.equal(typeof core.createClient, 'function');
  const fs = await import('node:fs');
  for (const file of fs.readdirSync(path.join(kPackage, 'dist')).filter((f) => f.endsWith('.js') && f !== 'react.js')) {
    assert.doesNotMatch(fs.readFileSync(path.join(kPackage, 'dist', file), 'utf8'), /from ['"]react['"]/, `${file} does not import React`);
  }
});
