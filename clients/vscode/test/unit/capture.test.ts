// Unit tests of the one-shot captures that turn change events into annotations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Captures, type ChangeEvent } from '../../src/capture';

const AI = { class: 'ai', kind: 'completion', tool: 'copilot' } as const;
const ins = (uri: string, version: number, line: number, ch: number, text: string): ChangeEvent => ({
  uri,
  version,
  changes: [{ range: { start: { line, character: ch }, end: { line, character: ch } }, text }],
});

function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('nothing is annotated without an armed capture', () => {
  const c = new Captures();
  assert.equal(c.onChange(ins('file:///a', 2, 0, 0, 'hello world')), undefined);
});

test('an armed capture annotates the change at its new version, then settle closes it', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI);
  const a = c.onChange(ins('file:///a', 7, 1, 2, 'foo()\nbar'));
  assert.deepEqual(a, {
    uri: 'file:///a',
    version: 7,
    origin: AI,
    ranges: [{ start: { line: 1, character: 2 }, end: { line: 2, character: 3 } }],
  });
  c.settle(id);
  assert.equal(c.isOpen(id), false);
  assert.equal(c.onChange(ins('file:///a', 8, 2, 3, 'x')), undefined, 'typing after the accept stays unannotated');
});

test('a capture ignores other documents and pure deletions', () => {
  const c = new Captures();
  c.arm('file:///a', AI);
  assert.equal(c.onChange(ins('file:///b', 3, 0, 0, 'zzz')), undefined);
  const del: ChangeEvent = { uri: 'file:///a', version: 4, changes: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, text: '' }] };
  assert.equal(c.onChange(del), undefined);
  assert.ok(c.onChange(ins('file:///a', 5, 0, 0, 'abc')));
});

test('a capture that saw nothing closes at settle (no grace) or after the grace period', () => {
  const t = clock();
  const c = new Captures(t.now);
  const id = c.arm('file:///a', AI);
  c.settle(id);
  assert.equal(c.isOpen(id), false);
  const id2 = c.arm('file:///a', AI);
  c.settle(id2, 50);
  assert.equal(c.isOpen(id2), true);
  t.advance(50);
  assert.equal(c.isOpen(id2), false);
  assert.equal(c.onChange(ins('file:///a', 9, 0, 0, 'late')), undefined);
});

test('a capture expires after its window', () => {
  const t = clock();
  const c = new Captures(t.now);
  c.arm('file:///a', AI, { windowMs: 100 });
  t.advance(100);
  assert.equal(c.onChange(ins('file:///a', 2, 0, 0, 'x')), undefined);
});

test('maxEvents closes the capture after that many annotated events', () => {
  const c = new Captures();
  const id = c.arm('file:///a', { class: 'paste' }, { maxEvents: 1 });
  assert.ok(c.onChange(ins('file:///a', 2, 0, 0, 'x')));
  assert.equal(c.isOpen(id), false);
});

test('a paste capture takes only text from the clipboard, re-indented or split over cursors', () => {
  const c = new Captures();
  const clip = 'const a = 1;\nconst b = 2;\n';
  c.arm('file:///a', { class: 'paste' }, { expectedText: clip, maxEvents: 1 });
  assert.equal(c.onChange(ins('file:///a', 2, 0, 0, 'q')), undefined, 'a keystroke is not the paste');
  const reindented = c.onChange(ins('file:///a', 3, 4, 4, 'const a = 1;\n    const b = 2;\n    '));
  assert.equal(reindented?.origin.class, 'paste');

  c.arm('file:///a', { class: 'paste' }, { expectedText: 'one\ntwo', maxEvents: 1 });
  const split: ChangeEvent = {
    uri: 'file:///a',
    version: 9,
    changes: [
      { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'two' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'one' },
    ],
  };
  assert.equal(c.onChange(split)?.ranges.length, 2);
});

test('the most recently armed capture wins', () => {
  const c = new Captures();
  c.arm('file:///a', { class: 'paste' });
  c.arm('file:///a', AI);
  assert.equal(c.onChange(ins('file:///a', 2, 0, 0, 'x'))?.origin.class, 'ai');
});
