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

test('nothing is annotated without an armed capture', () => {
  const c = new Captures();
  assert.deepEqual(c.onChange(ins('file:///a', 2, 0, 0, 'hello world')), []);
});

/** A keystroke: a change, then the keyboard's selection change. */
const key = (c: Captures, version: number, line: number, ch: number, text: string) => {
  const out = c.onChange(ins('file:///a', version, line, ch, text));
  return out.concat(c.onSelection('file:///a', 'person'));
};

const CHAT = { class: 'ai', kind: 'chat', tool: 'test-agent' } as const;
const PASTE = { class: 'paste' } as const;

test('a command capture annotates its edits at their new versions, then settle closes it', () => {
  const c = new Captures();
  const id = c.arm('file:///a', CHAT, { kind: 'command' });
  assert.deepEqual(c.onChange(ins('file:///a', 7, 1, 2, 'foo()\nbar')), [], 'held until the next signal');
  const [a] = c.onSelection('file:///a', 'other');
  assert.deepEqual(a, {
    uri: 'file:///a',
    version: 7,
    origin: CHAT,
    ranges: [{ start: { line: 1, character: 2 }, end: { line: 2, character: 3 } }],
  });
  assert.deepEqual(c.settle(id), []);
  assert.equal(c.isOpen(id), false);
  assert.deepEqual(c.onChange(ins('file:///a', 8, 2, 3, 'x')), [], 'typing after the command stays unannotated');
});

test('a capture ignores other documents and pure deletions', () => {
  const c = new Captures();
  c.arm('file:///a', CHAT, { kind: 'command' });
  assert.deepEqual(c.onChange({ ...ins('file:///b', 3, 0, 0, 'zzz'), typable: false }), []);
  const del: ChangeEvent = { uri: 'file:///a', version: 4, changes: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, text: '' }], typable: false };
  assert.deepEqual(c.onChange(del), []);
  assert.equal(c.onChange({ ...ins('file:///a', 5, 0, 0, 'abc'), typable: false }).length, 1);
});

test('no capture ends by time: there is no deadline to pass', () => {
  // The clock is not even an input any more: a capture armed long ago still waits for its event.
  const c = new Captures();
  const id = c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'const a = 1;' });
  assert.equal(c.isOpen(id), true);
  assert.equal(c.onChange(ins('file:///a', 2, 0, 0, 'const a = 1;'))[0]?.origin.class, 'paste');
});

// runAs: every edit of the command's, none of the person's typed meanwhile.
test('a command capture: keys typed while the command runs are never annotated, its own edits are', () => {
  for (let run = 0; run < 20; run++) {
    const c = new Captures();
    const id = c.arm('file:///a', CHAT, { kind: 'command' });
    const sent = [];
    let v = 2;
    const agent = (text: string) => {
      sent.push(...c.onChange(ins('file:///a', v++, 0, 0, text)));
      if (run % 2 === 0) sent.push(...c.onSelection('file:///a', 'other')); // the cursor moved by the edit, or not
    };
    agent('agent_first = 1\n');
    for (const [i, ch] of [...'typed_during = 1\n'].entries()) sent.push(...key(c, v++, 9, i, ch));
    agent('agent_second = 2\n');
    sent.push(...c.settle(id));
    if (run % 2 === 1) sent.push(...c.onSelection('file:///a', 'other'));
    assert.deepEqual(sent.map((a) => a.version), [2, 20], `run ${run}`);
    assert.equal(c.size, 0, `run ${run}`);
  }
});

test('a command capture with labels: an extension edit at once, typing and pastes never', () => {
  const c = new Captures();
  const id = c.arm('file:///a', CHAT, { kind: 'command' });
  assert.equal(c.onChange({ ...ins('file:///a', 2, 0, 0, 'agent = 1\n'), label: 'extension' }).length, 1);
  assert.deepEqual(c.onChange({ ...ins('file:///a', 3, 1, 0, 't'), label: 'typing' }), []);
  assert.deepEqual(c.onChange({ ...ins('file:///a', 4, 1, 1, 'pasted'), label: 'paste' }), []);
  assert.deepEqual(c.onChange({ ...ins('file:///a', 5, 1, 1, 'x'), label: 'other' }), []);
  assert.deepEqual(c.settle(id), []);
  assert.equal(c.size, 0);
});

test('a command capture never claims an undo or redo, and claims nothing after settle', () => {
  const c = new Captures();
  const id = c.arm('file:///a', CHAT, { kind: 'command' });
  assert.deepEqual(c.onChange({ ...ins('file:///a', 2, 0, 0, 'undone text'), undoRedo: true, typable: false }), []);
  c.settle(id);
  assert.deepEqual(c.onChange({ ...ins('file:///a', 3, 0, 0, 'late'), typable: false }), []);
});

test('a command capture in a document no editor shows takes each edit at once (no keystroke there)', () => {
  const c = new Captures();
  c.arm('file:///a', CHAT, { kind: 'command' });
  assert.deepEqual(c.onChange({ ...ins('file:///a', 2, 0, 0, 'agent'), typable: false }).map((a) => a.version), [2]);
});

test("a command's last edit held at its return is judged by the next signal, then the capture closes", () => {
  const c = new Captures();
  const id = c.arm('file:///a', CHAT, { kind: 'command' });
  c.onChange(ins('file:///a', 2, 0, 0, 'agent'));
  assert.deepEqual(c.settle(id), [], 'not yet known: a keystroke may be waiting for its selection change');
  assert.equal(c.onSelection('file:///a', 'other')[0]?.version, 2);
  assert.equal(c.size, 0);
  // A keystroke that arrives just before the return: its keyboard selection change after it.
  const id2 = c.arm('file:///a', CHAT, { kind: 'command' });
  c.onChange(ins('file:///a', 3, 0, 0, 'k'));
  assert.deepEqual(c.settle(id2), []);
  assert.deepEqual(c.onSelection('file:///a', 'person'), []);
  assert.equal(c.size, 0);
});

// Paste: only the paste's own edit, the first change after it was seen.
test('a paste capture takes only its own edit: the whole text, re-indented, or over several cursors', () => {
  const c = new Captures();
  const clip = 'const a = 1;\nconst b = 2;\n';
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: clip });
  const [reindented] = c.onChange(ins('file:///a', 3, 4, 4, 'const a = 1;\n    const b = 2;\n    '));
  assert.equal(reindented?.origin.class, 'paste');
  assert.equal(c.size, 0);

  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'one\ntwo' });
  const spread: ChangeEvent = {
    uri: 'file:///a',
    version: 9,
    changes: [
      { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'two' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'one' },
    ],
  };
  assert.equal(c.onChange(spread)[0]?.ranges.length, 2, 'a line per cursor');

  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'abc' });
  const copies: ChangeEvent = {
    uri: 'file:///a',
    version: 10,
    changes: [
      { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'abc' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'abc' },
    ],
  };
  assert.equal(c.onChange(copies)[0]?.ranges.length, 2, 'a copy per cursor');
});

test('a keystroke before the paste edit (the paste cancelled) is never a paste, even a character of the text', () => {
  const c = new Captures();
  const clip = "pasted = {'k': 1}\n";
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: clip });
  assert.deepEqual(c.onChange(ins('file:///a', 2, 0, 0, '}')), [], "'}' is in the clipboard, but it is not the paste");
  assert.equal(c.size, 0, 'the first change closes the capture');
  assert.deepEqual(c.onChange(ins('file:///a', 3, 0, 1, clip)), [], 'nothing later is taken');
});

test('a transformed paste (not the text) is dropped without annotating; a labelled one names itself', () => {
  const c = new Captures();
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'https://example.com' });
  assert.deepEqual(c.onChange(ins('file:///a', 2, 0, 0, '[link](https://example.com)')), []);
  assert.equal(c.size, 0);
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'abc' });
  assert.deepEqual(c.onChange({ ...ins('file:///a', 3, 0, 0, 'abc'), label: 'paste' }), [], 'the label annotates it (annotator.ts)');
  assert.equal(c.size, 0);
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'abc' });
  assert.deepEqual(c.onChange({ ...ins('file:///a', 4, 0, 0, 'abc'), undoRedo: true }), []);
});

test('a person moving the cursor before the paste edit cancelled it: the capture closes', () => {
  const c = new Captures();
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'x' });
  c.onSelection('file:///a', 'person');
  assert.equal(c.size, 0);
  assert.deepEqual(c.onChange(ins('file:///a', 2, 0, 0, 'x')), [], 'a typed x after a cancelled paste of x');
});

test('a paste during a runAs is the paste, not the command', () => {
  const c = new Captures();
  c.arm('file:///a', CHAT, { kind: 'command' });
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'pasted text' });
  const out = c.onChange(ins('file:///a', 2, 0, 0, 'pasted text'));
  assert.deepEqual(out.map((a) => a.origin.class), ['paste']);
  assert.deepEqual(c.onSelection('file:///a', 'person'), []);
});

test('the most recently armed capture wins', () => {
  const c = new Captures();
  c.arm('file:///a', PASTE, { kind: 'paste', expectedText: 'x' });
  c.arm('file:///a', CHAT, { kind: 'command' });
  assert.equal(c.onChange({ ...ins('file:///a', 2, 0, 0, 'x'), typable: false })[0]?.origin.class, 'ai');
  assert.equal(c.size, 1, 'the paste capture closed: the change after it was not its edit');
});

// An accept key's capture (ownEdit): the workbench handles keys pressed after the accept key
// while the extension host runs the command, so their edits can arrive before the accept's, or
// instead of it (`key` above).

test('an accept capture annotates its own edit once the command returns, and nothing typed after', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { kind: 'accept' });
  assert.deepEqual(c.onChange(ins('file:///a', 3, 2, 0, 'def answer():\n    return 42')), [], 'held until the next signal');
  const [a] = c.settle(id);
  assert.equal(a?.version, 3);
  assert.deepEqual(a?.ranges, [{ start: { line: 2, character: 0 }, end: { line: 3, character: 13 } }]);
  assert.equal(c.size, 0);
  assert.deepEqual(key(c, 4, 3, 13, '\n'), []);
});

test("the accept's own selection change releases its edit; the capture takes no second change", () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { kind: 'accept' });
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
    const id = c.arm('file:///a', AI, { kind: 'accept' });
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
  const id = c.arm('file:///a', AI, { kind: 'accept' });
  assert.deepEqual(key(c, 3, 2, 0, 'd'), []);
  assert.deepEqual(c.onChange(ins('file:///a', 4, 2, 1, 'ef answer()')), []);
  assert.deepEqual(c.onSelection('file:///a', 'other'), []);
  assert.deepEqual(c.settle(id), []);
});

test('a second change right after the held one releases it (no keystroke between) and is not taken', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { kind: 'accept' });
  c.onChange(ins('file:///a', 3, 2, 0, 'return 42'));
  const out = c.onChange(ins('file:///a', 4, 0, 0, 'import x\n'));
  assert.deepEqual(out.map((a) => a.version), [3]);
  assert.deepEqual(c.settle(id), []);
});

test('an accept capture: a slow accept is still annotated, and settle closes one that saw nothing', () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { kind: 'accept' });
  c.onChange(ins('file:///a', 3, 0, 0, 'return 42'));
  assert.equal(c.settle(id).length, 1);
  const id2 = c.arm('file:///a', AI, { kind: 'accept' });
  assert.deepEqual(c.settle(id2), []);
  assert.equal(c.isOpen(id2), false);
});

test("VS Code's accept label closes the accept key's capture (the label annotates)", () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { kind: 'accept' });
  c.labelledAccept('file:///a');
  assert.equal(c.isOpen(id), false);
  assert.deepEqual(c.onChange(ins('file:///a', 3, 0, 0, 'x')), []);
});

test("other documents' keystrokes do not touch an accept capture", () => {
  const c = new Captures();
  const id = c.arm('file:///a', AI, { kind: 'accept' });
  c.onChange(ins('file:///a', 3, 0, 0, 'return 42'));
  assert.deepEqual(c.onSelection('file:///b', 'person'), []);
  assert.equal(c.settle(id).length, 1);
});
