// Unit tests of the program check (real child processes) and of origin validation.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkProgram } from '../../src/program';
import { checkOrigin } from '../../src/protocol';

const dir = mkdtempSync(join(tmpdir(), 'provenant-vscode-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

test('checkProgram: a missing program says how to fix it', async () => {
  const r = await checkProgram(join(dir, 'no-such-provenant'));
  assert.ok('problem' in r);
  assert.match(r.problem.message, /was not found.*provenant\.path/);
});

test('checkProgram: a program that is too old says which version is needed', async () => {
  const r = await checkProgram(script('old', 'echo "provenant 0.0.9"'));
  assert.ok('problem' in r);
  assert.match(r.problem.message, /0\.0\.9.*needs 0\.1\.0 or newer/);
});

test('checkProgram: a failing program names the setting', async () => {
  const r = await checkProgram(script('broken', 'echo oops >&2; exit 3'));
  assert.ok('problem' in r);
  assert.match(r.problem.message, /--version" failed.*provenant\.path/);
});

test('checkProgram: a current program passes with its version', async () => {
  assert.deepEqual(await checkProgram(script('good', 'echo "provenant 0.1.0"')), { version: '0.1.0' });
});

test('checkOrigin keeps well-formed origins and refuses the rest', () => {
  assert.deepEqual(checkOrigin({ class: 'ai', kind: 'chat', tool: 'copilot', extra: 1 }), { class: 'ai', kind: 'chat', tool: 'copilot' });
  assert.throws(() => checkOrigin(null), /object/);
  assert.throws(() => checkOrigin({ class: 'unknown' }), /class/);
  assert.throws(() => checkOrigin({ class: 'ai', kind: 'magic' }), /kind/);
  assert.throws(() => checkOrigin({ class: 'ai', tool: 42 }), /tool/);
  assert.throws(() => checkOrigin({ class: 'ai', model: 'x'.repeat(201) }), /model/);
});
