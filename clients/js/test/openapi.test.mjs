// The committed src/openapi.ts is what openapi-typescript makes of docs/openapi.yaml today: the
// spec stays the truth. On a difference: `npm run generate` in clients/js, then review and commit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const kPackage = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

it('src/openapi.ts matches the types generated from docs/openapi.yaml', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitarec-openapi-'));
  try {
    const out = path.join(dir, 'openapi.ts');
    const cli = path.join(kPackage, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    const run = spawnSync(process.execPath, [cli, path.join(kPackage, '..', '..', 'docs', 'openapi.yaml'), '--output', out],
      { encoding: 'utf8', timeout: 60000 });
    assert.equal(run.status, 0, `openapi-typescript failed:\n${run.stderr}`);
    const committed = fs.readFileSync(path.join(kPackage, 'src', 'openapi.ts'), 'utf8');
    assert.ok(committed === fs.readFileSync(out, 'utf8'),
      'src/openapi.ts differs from docs/openapi.yaml: run `npm run generate` in clients/js and commit it');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
