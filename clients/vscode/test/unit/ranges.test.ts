// Unit tests of the pure range arithmetic, including a random comparison with a per-character model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endOf, insertedRanges, mergeRanges, type Change, type Pos, type Rng } from '../../src/ranges';

const P = (line: number, character: number): Pos => ({ line, character });
const R = (l1: number, c1: number, l2: number, c2: number): Rng => ({ start: P(l1, c1), end: P(l2, c2) });

test('endOf counts \\n, \\r\\n and \\r as one line break each, and UTF-16 units', () => {
  assert.deepEqual(endOf(P(3, 4), 'abc'), P(3, 7));
  assert.deepEqual(endOf(P(3, 4), 'ab\ncd'), P(4, 2));
  assert.deepEqual(endOf(P(0, 0), 'a\r\nb\rc\n'), P(3, 0));
  assert.deepEqual(endOf(P(1, 1), '😀'), P(1, 3)); // a surrogate pair is two units
  assert.deepEqual(endOf(P(1, 1), ''), P(1, 1));
});

test('a single insertion', () => {
  assert.deepEqual(insertedRanges([{ range: R(2, 5, 2, 5), text: 'foo(bar)\n  baz' }]), [R(2, 5, 3, 5)]);
});

test('a replacement covers only the inserted text; a deletion covers nothing', () => {
  assert.deepEqual(insertedRanges([{ range: R(0, 2, 0, 9), text: 'xy' }]), [R(0, 2, 0, 4)]);
  assert.deepEqual(insertedRanges([{ range: R(0, 2, 3, 1), text: '' }]), []);
});

test("VS Code's multi-cursor changes (last to first) land where they end up", () => {
  // Cursors at (0,1) and (2,1), each inserting "ab\n": VS Code reports the later one first.
  const changes: Change[] = [
    { range: R(2, 1, 2, 1), text: 'ab\n' },
    { range: R(0, 1, 0, 1), text: 'ab\n' },
  ];
  assert.deepEqual(insertedRanges(changes), [R(0, 1, 1, 0), R(3, 1, 4, 0)]);
});

test('mergeRanges sorts, drops empty ranges and joins touching ones', () => {
  assert.deepEqual(mergeRanges([R(3, 0, 3, 4), R(0, 0, 0, 0), R(1, 0, 2, 0), R(2, 0, 2, 5)]), [R(1, 0, 2, 5), R(3, 0, 3, 4)]);
});

// The per-character model: each character knows whether this event inserted it.
interface Ch {
  c: string;
  fresh: boolean;
}
function offsetOf(doc: Ch[], p: Pos): number {
  let line = 0;
  let i = 0;
  while (line < p.line) {
    if (doc[i].c === '\n') line++;
    i++;
  }
  return i + p.character;
}
function posOf(doc: Ch[], offset: number): Pos {
  let line = 0;
  let col = 0;
  for (let i = 0; i < offset; i++) {
    if (doc[i].c === '\n') {
      line++;
      col = 0;
    } else col++;
  }
  return P(line, col);
}
function randomPos(doc: Ch[], rnd: () => number): Pos {
  return posOf(doc, Math.floor(rnd() * (doc.length + 1)));
}
function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('insertedRanges agrees with a per-character model on random edit sequences', () => {
  const rnd = mulberry32(42);
  const alphabet = 'ab \n';
  for (let round = 0; round < 2000; round++) {
    let doc: Ch[] = Array.from({ length: Math.floor(rnd() * 30) }, () => ({ c: alphabet[Math.floor(rnd() * 4)], fresh: false }));
    const changes: Change[] = [];
    const n = 1 + Math.floor(rnd() * 5);
    for (let k = 0; k < n; k++) {
      let a = randomPos(doc, rnd);
      let b = rnd() < 0.5 ? a : randomPos(doc, rnd);
      if (offsetOf(doc, b) < offsetOf(doc, a)) [a, b] = [b, a];
      const text = rnd() < 0.2 ? '' : Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => alphabet[Math.floor(rnd() * 4)]).join('');
      changes.push({ range: { start: a, end: b }, text });
      const from = offsetOf(doc, a);
      const to = offsetOf(doc, b);
      doc = [...doc.slice(0, from), ...[...text].map((c) => ({ c, fresh: true })), ...doc.slice(to)];
    }
    const expected: Rng[] = [];
    for (let i = 0; i < doc.length; i++) {
      if (!doc[i].fresh) continue;
      let j = i;
      while (j < doc.length && doc[j].fresh) j++;
      expected.push({ start: posOf(doc, i), end: posOf(doc, j) });
      i = j;
    }
    assert.deepEqual(insertedRanges(changes), expected, JSON.stringify(changes));
  }
});
