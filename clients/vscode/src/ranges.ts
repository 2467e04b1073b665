// Pure range arithmetic: where the text inserted by one change event ends up (no 'vscode' import).

/** A zero-based position; `character` counts UTF-16 code units, as VS Code and LSP do. */
export interface Pos {
  line: number;
  character: number;
}

export interface Rng {
  start: Pos;
  end: Pos;
}

/** One content change: `range` in the document as it was before this change, `text` inserted. */
export interface Change {
  range: Rng;
  text: string;
}

export function comparePos(a: Pos, b: Pos): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/** The position just after `text` inserted at `start`; \n, \r\n and \r each end a line (LSP). */
export function endOf(start: Pos, text: string): Pos {
  let line = start.line;
  let lineStart = -1; // index in `text` where the last line begins; -1: still on start's line
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */ || c === 13 /* \r */) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return lineStart < 0 ? { line, character: start.character + text.length } : { line, character: text.length - lineStart };
}

/** Where `p` moves when `change` is applied; a position inside the replaced text goes to its start. */
export function shiftPos(p: Pos, change: Change): Pos {
  const { start, end } = change.range;
  if (comparePos(p, start) <= 0) return p;
  if (comparePos(p, end) < 0) return start;
  const newEnd = endOf(start, change.text);
  if (p.line === end.line) return { line: newEnd.line, character: newEnd.character + (p.character - end.character) };
  return { line: p.line + (newEnd.line - end.line), character: p.character };
}

/**
 * The ranges, in the document after all of `changes`, of the text they inserted. Changes apply in
 * order, each to the result of the previous ones (LSP's didChange rule; VS Code's simultaneous
 * changes come sorted from last to first, so reading them in order is the same). Empty ranges
 * are dropped; overlapping or touching ranges are merged; the result is sorted. With `keep`, only
 * the text of the changes it keeps (the others still move the ranges).
 */
export function insertedRanges(changes: readonly Change[], keep: (change: Change, index: number) => boolean = () => true): Rng[] {
  let out: Rng[] = [];
  for (const [i, change] of changes.entries()) {
    out = out.map((r) => ({ start: shiftPos(r.start, change), end: shiftPos(r.end, change) }));
    if (change.text.length > 0 && keep(change, i)) out.push({ start: change.range.start, end: endOf(change.range.start, change.text) });
  }
  return mergeRanges(out);
}

/** Sorted, non-empty, with overlapping or touching ranges merged. */
export function mergeRanges(ranges: readonly Rng[]): Rng[] {
  const sorted = ranges.filter((r) => comparePos(r.start, r.end) < 0).sort((a, b) => comparePos(a.start, b.start));
  const merged: Rng[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && comparePos(r.start, last.end) <= 0) {
      if (comparePos(r.end, last.end) > 0) last.end = r.end;
    } else {
      merged.push({ start: { ...r.start }, end: { ...r.end } });
    }
  }
  return merged;
}

/** The non-whitespace characters of `text`, for comparing insertions that editors re-indent. */
export function significant(text: string): string {
  return text.replace(/\s+/g, '');
}
