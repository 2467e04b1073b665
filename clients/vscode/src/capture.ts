// Pure: one-shot captures that turn a command's own change events into annotations.
import type { EditLabel } from './editSources';
import type { Origin } from './protocol';
import { insertedRanges, significant, type Change, type Rng } from './ranges';

/** One change event of one document, as the editor reports it. */
export interface ChangeEvent {
  uri: string;
  /** The document's version after the event. */
  version: number;
  changes: readonly Change[];
  /**
   * Who VS Code says made the edit (`editLabel` of its edit-source label), where labels are
   * delivered and used; undefined: no label, the capture judges by the event order alone.
   */
  label?: EditLabel;
  /** VS Code reported the change as an undo or a redo: no command's new text. */
  undoRedo?: boolean;
  /** An editor shows the document, so a person could have typed the change (default true). */
  typable?: boolean;
}

export interface Annotation {
  uri: string;
  version: number;
  origin: Origin;
  ranges: Rng[];
}

/**
 * What a capture is waiting for; each ends at an event of its own, never after a time:
 *  - `accept`: an inline-completion accept command's one edit (closes at that edit, at the first
 *    keystroke before it, or when the command returns);
 *  - `paste`: the paste's one edit, the first change of the document after the paste was seen;
 *    it is annotated only if its text is the pasted text, and the capture closes there either way;
 *  - `command`: every edit a running command (`runAs`) makes to the document that is not a
 *    person's: closes when the command returns (once its last edit is judged).
 */
export type CaptureKind = 'accept' | 'paste' | 'command';

export interface CaptureOptions {
  kind: CaptureKind;
  /** `paste`: the pasted text. */
  expectedText?: string;
}

/** Who moved a document's cursor: a person (keyboard, mouse) or anything else (a command, an edit). */
export type SelectionBy = 'person' | 'other';

interface Capture {
  id: number;
  uri: string;
  origin: Origin;
  kind: CaptureKind;
  /** `paste`: the significant (non-whitespace) characters of the pasted text. */
  expected: string;
  /** A change held until the next signal says whether it was a person's keystroke. */
  held?: Annotation;
  /** `command`: the command returned; the capture only judges its held change now. */
  settled: boolean;
}

/**
 * Open captures, per document. Nothing outside an open capture is ever annotated, and no capture
 * ends by time: each ends at its own event (see `CaptureKind`), and one that never sees it is
 * closed by the next change of its document, by the next command's capture or by `settle`.
 *
 * Keystrokes. A person's keys are handled by the workbench while the extension host runs our
 * code, so their edits can reach us inside a capture. The workbench reports a keystroke as a
 * content change followed by a selection change made by the keyboard; an edit made through the
 * API (a command's, an accept's) is followed by a selection change of another kind, by another
 * change, by the command's return, or by nothing. So an unlabelled change that a person could
 * have typed is held: a person's selection change next discards it (a keystroke), anything else
 * next releases it. With VS Code's edit-source labels (`ChangeEvent.label`) nothing is held: the
 * label says whether it was typing. A missed edit is a gap; a keystroke credited to the AI, or
 * called a paste, would be a misattribution.
 *
 * Single-threaded (the extension host's event loop).
 */
export class Captures {
  private open: Capture[] = [];
  private nextId = 1;

  arm(uri: string, origin: Origin, opts: CaptureOptions): number {
    const id = this.nextId++;
    // One paste at a time per document: a new paste means the last one's edit is not coming.
    if (opts.kind === 'paste') this.open = this.open.filter((c) => !(c.kind === 'paste' && c.uri === uri));
    this.open.push({ id, uri, origin, kind: opts.kind, expected: significant(opts.expectedText ?? ''), settled: false });
    return id;
  }

  /**
   * The command behind capture `id` has returned. An `accept` capture's held change was the
   * command's (its edit is reported before its return); a `paste` capture closes; a `command`
   * capture claims nothing more, and closes once its held change (if any) is judged by the next
   * signal. Returns the annotations due now.
   */
  settle(id: number): Annotation[] {
    const c = this.open.find((x) => x.id === id);
    if (!c) return [];
    if (c.kind === 'command' && c.held) {
      c.settled = true;
      return [];
    }
    this.close(id);
    return c.kind === 'accept' && c.held ? [c.held] : [];
  }

  /**
   * A selection change of an editor on `uri`: releases (another kind) or discards (a person's)
   * each held change on it; a person moving the cursor before a paste's edit cancelled the paste.
   * Returns the released annotations.
   */
  onSelection(uri: string, by: SelectionBy): Annotation[] {
    const out: Annotation[] = [];
    for (const c of this.open.filter((x) => x.uri === uri)) {
      if (c.held) {
        if (by === 'other') out.push(c.held);
        c.held = undefined;
        if (c.kind !== 'command' || c.settled) this.close(c.id);
      } else if (c.kind === 'paste' && by === 'person') {
        this.close(c.id);
      }
    }
    return out;
  }

  /**
   * VS Code labelled a change of `uri` as an accept (`editSources.ts`); the label annotates it,
   * so the `accept` captures on `uri` close without claiming anything.
   */
  labelledAccept(uri: string): void {
    this.open = this.open.filter((c) => !(c.kind === 'accept' && c.uri === uri));
  }

  close(id: number): void {
    this.open = this.open.filter((c) => c.id !== id);
  }

  isOpen(id: number): boolean {
    return this.open.some((c) => c.id === id);
  }

  get size(): number {
    return this.open.length;
  }

  /**
   * The annotations due after `ev`: held changes that `ev` releases (no keystroke's selection
   * change came between), and `ev`'s own if an open capture claims it (the most recently armed
   * one wins; a change is claimed at most once).
   */
  onChange(ev: ChangeEvent): Annotation[] {
    const out: Annotation[] = [];
    let claimed = false;
    for (const c of this.open.filter((x) => x.uri === ev.uri).reverse()) {
      if (c.held) {
        out.push(c.held);
        c.held = undefined;
        if (c.kind === 'accept' || c.settled) {
          this.close(c.id); // its one edit is judged: it takes nothing more
          continue;
        }
      }
      if (claimed) {
        if (c.kind === 'paste') this.close(c.id); // the first change after the paste was not its edit
        continue;
      }
      const taken = this.take(c, ev);
      if (taken) claimed = true;
      if (taken?.now) out.push(taken.annotation);
    }
    return out;
  }

  /** Whether capture `c` claims `ev`, and whether its annotation is due now or held. */
  private take(c: Capture, ev: ChangeEvent): { annotation: Annotation; now: boolean } | undefined {
    const annotation = (ranges: Rng[]) => ({ uri: ev.uri, version: ev.version, origin: c.origin, ranges });
    switch (c.kind) {
      case 'paste': {
        // The paste's edit is the first change after the paste: VS Code cancels a paste when the
        // text or the cursor changes before it lands. Whatever this change is, the capture closes.
        this.close(c.id);
        if (ev.label !== undefined || ev.undoRedo) return undefined; // a labelled paste names itself
        const ranges = pastedRanges(ev.changes, c.expected);
        return ranges ? { annotation: annotation(ranges), now: true } : undefined;
      }
      case 'accept': {
        if (ev.label !== undefined || ev.undoRedo) {
          this.close(c.id); // a labelled accept names itself; anything else is not the accept's
          return undefined;
        }
        const ranges = insertedRanges(ev.changes);
        if (ranges.length === 0) return undefined; // a pure deletion: keep waiting
        c.held = annotation(ranges);
        return { annotation: c.held, now: false };
      }
      case 'command': {
        if (c.settled || ev.undoRedo) return undefined;
        if (ev.label !== undefined && ev.label !== 'extension') return undefined; // typing, a paste, an accept, …
        const ranges = insertedRanges(ev.changes);
        if (ranges.length === 0) return undefined;
        // Labelled as an extension's edit, or in a document no editor shows: no keystroke.
        if (ev.label === 'extension' || ev.typable === false) return { annotation: annotation(ranges), now: true };
        c.held = annotation(ranges);
        return { annotation: c.held, now: false };
      }
    }
  }
}

/**
 * The ranges (after the event) of a paste of `expected` (significant characters) in `changes`,
 * or undefined when the event is not that paste. A paste inserts the text once, maybe
 * re-indented; with several cursors, once per cursor or a line per cursor. Only whole copies
 * count: a change that is merely part of the text (a keystroke) is not the paste.
 */
export function pastedRanges(changes: readonly Change[], expected: string): Rng[] | undefined {
  if (expected.length === 0) return undefined;
  const texts = changes.map((ch) => significant(ch.text));
  if (texts.every((t) => t.length === 0)) return undefined;
  // A line per cursor: the pieces, in document order, make the text.
  const inOrder = changes
    .map((ch, i) => ({ start: ch.range.start, text: texts[i] }))
    .sort((a, b) => (a.start.line !== b.start.line ? a.start.line - b.start.line : a.start.character - b.start.character))
    .map((x) => x.text)
    .join('');
  if (inOrder === expected) return insertedRanges(changes);
  // Whole copies (one per cursor); other changes of the same event are left out.
  if (!texts.some((t) => t === expected)) return undefined;
  return insertedRanges(changes, (_, i) => texts[i] === expected);
}
