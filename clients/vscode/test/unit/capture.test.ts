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
  assert.deepEqual(c.onChange(ins('file:///a', 2, 0, 0, 'hello world')), []);
});

test('an armed capture annotates the change at its new version, then settle closes it', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI);
  const [a] = c.onChange(ins('file:///a', 7, 1, 2, 'foo()\nbar'));
  assert.deepEqual(a, {
    uri: 'file:///a',
    version: 7,
    origin: AI,
    ranges: [{ start: { line: 1, character: 2 }, end: { line: 2, character: 3 } }],
  });
  c.settle(id);
  assert.equal(c.isOpen(id), false);
  assert.deepEqual(c.onChange(ins('file:///a', 8, 2, 3, 'x')), [], 'typing after the accept stays unannotated');
});

test('a capture ignores other documents and pure deletions', () => {
  const c = new Captures();
  c.arm('file:///a', AI);
  assert.deepEqual(c.onChange(ins('file:///b', 3, 0, 0, 'zzz')), []);
  const del: ChangeEvent = { uri: 'file:///a', version: 4, changes: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, text: '' }] };
  assert.deepEqual(c.onChange(del), []);
  assert.equal(c.onChange(ins('file:///a', 5, 0, 0, 'abc')).length, 1);
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
  assert.deepEqual(c.onChange(ins('file:///a', 9, 0, 0, 'late')), []);
});

test('a capture expires after its window', () => {
  const t = clock();
  const c = new Captures(t.now);
  c.arm('file:///a', AI, { windowMs: 100 });
  t.advance(100);
  assert.deepEqual(c.onChange(ins('file:///a', 2, 0, 0, 'x')), []);
});

test('maxEvents closes the capture after that many annotated events', () => {
  const c = new Captures();
  const id = c.arm('file:///a', { class: 'paste' }, { maxEvents: 1 });
  assert.equal(c.onChange(ins('file:///a', 2, 0, 0, 'x')).length, 1);
  assert.equal(c.isOpen(id), false);
});

test('a paste capture takes only text from the clipboard, re-indented or split over cursors', () => {
  const c = new Captures();
  const clip = 'const a = 1;\nconst b = 2;\n';
  c.arm('file:///a', { class: 'paste' }, { expectedText: clip, maxEvents: 1 });
  assert.deepEqual(c.onChange(ins('file:///a', 2, 0, 0, 'q')), [], 'a keystroke is not the paste');
  const [reindented] = c.onChange(ins('file:///a', 3, 4, 4, 'const a = 1;\n    const b = 2;\n    '));
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
  assert.equal(c.onChange(split)[0]?.ranges.length, 2);
});

test('the most recently armed capture wins', () => {
  const c = new Captures();
  c.arm('file:///a', { class: 'paste' });
  c.arm('file:///a', AI);
  assert.equal(c.onChange(ins('file:///a', 2, 0, 0, 'x'))[0]?.origin.class, 'ai');
});

// An accept key's capture (ownEdit): the workbench handles keys pressed after the accept key
// while the extension host runs the command, so their edits can arrive before the accept's, or
// instead of it. A keystroke is a change followed by a keyboard selection change.
const key = (c: Captures, version: number, line: number, ch: number, text: string) => {
  const out = c.onChange(ins('file:///a', version, line, ch, text));
  return out.concat(c.onSelection('file:///a', 'person'));
};

test('an accept capture annotates its own edit once the command returns, and nothing typed after', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { ownEdit: true });
  assert.deepEqual(c.onChange(ins('file:///a', 3, 2, 0, 'def answer():\n    return 42')), [], 'held until the next signal');
  const [a] = c.settle(id);
  assert.equal(a?.version, 3);
  assert.deepEqual(a?.ranges, [{ start: { line: 2, character: 0 }, end: { line: 3, character: 13 } }]);
  assert.equal(c.size, 0);
  assert.deepEqual(key(c, 4, 3, 13, '\n'), []);
});

test("the accept's own selection change releases its edit; the capture takes no second change", () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { ownEdit: true });
  c.onChange(ins('file:///a', 3, 2, 0, 'return 42'));
  assert.equal(c.onSelection('file:///a', 'other')[0]?.version, 3);
  assert.equal(c.size, 0, 'closed by the accept edit, not by the command return or a time');
  assert.deepEqual(key(c, 4, 2, 9, 'x'), []);
  assert.deepEqual(c.settle(id), []);
});

test('keys typed before the accept edit reaches us (the suggestion dismissed): nothing is annotated', () => {
  // Tab, End, Enter, `typed_now = 1` with no pause: the workbench handled them all before it ran
  // the accept command, which then found no suggestion.
  for (let run = 0; run < 50; run++) {
    const c = new Captures();
    const id = c.arm('file:///a', AI, { ownEdit: true });
    const sent = [...c.onSelection('file:///a', 'person')]; // End
    let v = 3;
    sent.push(...key(c, v++, 2, 0, '\n')); // Enter
    for (const [i, ch] of [...'typed_now = 1'].entries()) sent.push(...key(c, v++, 3, i, ch));
    sent.push(...c.settle(id));
    assert.deepEqual(sent, [], `run ${run}`);
    assert.equal(c.size, 0);
  }
});

test('a keystroke before the accept edit closes the capture: the accept is a gap, never the key', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { ownEdit: true });
  assert.deepEqual(key(c, 3, 2, 0, 'd'), []);
  assert.deepEqual(c.onChange(ins('file:///a', 4, 2, 1, 'ef answer()')), []);
  assert.deepEqual(c.onSelection('file:///a', 'other'), []);
  assert.deepEqual(c.settle(id), []);
});

test('a second change right after the held one releases it (no keystroke between) and is not taken', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { ownEdit: true });
  c.onChange(ins('file:///a', 3, 2, 0, 'return 42'));
  const out = c.onChange(ins('file:///a', 4, 0, 0, 'import x\n'));
  assert.deepEqual(out.map((a) => a.version), [3]);
  assert.deepEqual(c.settle(id), []);
});

test('an accept capture has no deadline: a slow accept is still annotated, and settle closes one that saw nothing', () => {
  const t = clock();
  const c = new Captures(t.now);
  const id = c.arm('file:///a', AI, { ownEdit: true });
  t.advance(60_000);
  c.onChange(ins('file:///a', 3, 0, 0, 'return 42'));
  assert.equal(c.settle(id).length, 1);
  const id2 = c.arm('file:///a', AI, { ownEdit: true });
  assert.deepEqual(c.settle(id2, 500), []);
  assert.equal(c.isOpen(id2), false);
});

test("VS Code's accept label closes the accept key's capture (the label annotates)", () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { ownEdit: true });
  c.labelledAccept('file:///a');
  assert.equal(c.isOpen(id), false);
  assert.deepEqual(c.onChange(ins('file:///a', 3, 0, 0, 'x')), []);
});

test("other documents' keystrokes do not touch an accept capture", () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { ownEdit: true });
  c.onChange(ins('file:///a', 3, 0, 0, 'return 42'));
  assert.deepEqual(c.onSelection('file:///b', 'person'), []);
  assert.equal(c.settle(id).length, 1);
});
