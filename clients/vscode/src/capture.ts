// Pure: one-shot captures that turn the next change event(s) of a document into an annotation.
import type { Origin } from './protocol';
import { insertedRanges, significant, type Change, type Rng } from './ranges';

/** One change event of one document, as the editor reports it. */
export interface ChangeEvent {
  uri: string;
  /** The document's version after the event. */
  version: number;
  changes: readonly Change[];
}

export interface Annotation {
  uri: string;
  version: number;
  origin: Origin;
  ranges: Rng[];
}

export interface CaptureOptions {
  /** Close the capture after this many annotated events (default: no limit while open). */
  maxEvents?: number;
  /**
   * Close the capture this many ms after arming, for a capture that nothing settles (the paste
   * provider's). Default: no deadline; `settle` closes it.
   */
  windowMs?: number;
  /** For a paste: the pasted text; only an insertion of (part of) it is annotated. */
  expectedText?: string;
  /**
   * The capture is for one command's own edit (an inline-completion accept): it claims the first
   * change of the document and no other, and that change is annotated only once it is known not
   * to be a person's keystroke (see `Captures`).
   */
  ownEdit?: boolean;
}

/** Who moved a document's cursor: a person (keyboard, mouse) or anything else (a command, an edit). */
export type SelectionBy = 'person' | 'other';

interface Capture {
  id: number;
  uri: string;
  origin: Origin;
  deadline: number;
  maxEvents: number;
  seen: number;
  expected?: string;
  ownEdit: boolean;
  /** ownEdit: the claimed change, held until the next signal says whose it was. */
  held?: Annotation;
}

/**
 * Open captures. `arm` opens one for a document; each following change event of that document
 * is annotated with the capture's origin until the capture is closed by `settle` (the command
 * that produced the edit has returned), by `maxEvents`, or by its deadline. Nothing outside an
 * open capture is ever annotated: a capture that saw nothing simply expires.
 *
 * An `ownEdit` capture (inline-completion accepts) is closed by the accept's own edit, never by
 * time. Keys a person presses after the accept key are handled by the workbench while the
 * extension host runs our command, so their edits can reach us after `arm` and *before* the
 * accept's edit (or instead of it: typing may dismiss the suggestion, and the accept then does
 * nothing). The workbench reports a keystroke as a content change followed by a selection change
 * made by the keyboard; the accept's edit is followed by a selection change of its own (not the
 * keyboard's), by the command's return, or by nothing. So the first change is held: a person's
 * selection change next discards it (it was a keystroke) and closes the capture; anything else
 * next (the command returning, another kind of selection change, another change) releases it as
 * the accept's, and the capture takes nothing more. A missed accept is a gap; a keystroke
 * credited to the AI would be a misattribution.
 *
 * Single-threaded (the extension host's event loop); `now` is injected for tests.
 */
export class Captures {
  private open: Capture[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  arm(uri: string, origin: Origin, opts: CaptureOptions = {}): number {
    const id = this.nextId++;
    this.open.push({
      id,
      uri,
      origin,
      deadline: opts.windowMs === undefined ? Number.POSITIVE_INFINITY : this.now() + opts.windowMs,
      maxEvents: opts.maxEvents ?? Number.POSITIVE_INFINITY,
      seen: 0,
      expected: opts.expectedText === undefined ? undefined : significant(opts.expectedText),
      ownEdit: opts.ownEdit ?? false,
    });
    return id;
  }

  /**
   * The command behind capture `id` has returned. Its edit was reported before the return (the
   * extension host receives the change before the command's result), so a capture that saw an
   * event closes now; one that saw none stays open for at most `graceMs` more. Returns the held
   * change of an `ownEdit` capture: the command's return says it was the command's.
   */
  settle(id: number, graceMs = 0): Annotation[] {
    const c = this.open.find((x) => x.id === id);
    if (!c) return [];
    if (c.held) {
      this.close(id);
      return [c.held];
    }
    if (c.seen > 0 || graceMs <= 0 || c.ownEdit) this.close(id);
    else c.deadline = Math.min(c.deadline, this.now() + graceMs);
    return [];
  }

  /**
   * A selection change of an editor on `uri`: releases or discards the held change of each
   * `ownEdit` capture on it (see the class comment). Returns the released annotations.
   */
  onSelection(uri: string, by: SelectionBy): Annotation[] {
    const out: Annotation[] = [];
    for (const c of this.open.filter((x) => x.uri === uri && x.held)) {
      if (by === 'other') out.push(c.held!);
      this.close(c.id);
    }
    return out;
  }

  /**
   * VS Code labelled a change of `uri` as an accept (`editSources.ts`); the label annotates it,
   * so the `ownEdit` captures on `uri` close without claiming anything.
   */
  labelledAccept(uri: string): void {
    this.open = this.open.filter((c) => !(c.ownEdit && c.uri === uri));
  }

  close(id: number): void {
    this.open = this.open.filter((c) => c.id !== id);
  }

  isOpen(id: number): boolean {
    this.expire();
    return this.open.some((c) => c.id === id);
  }

  get size(): number {
    this.expire();
    return this.open.length;
  }

  /**
   * The annotation(s) due after `ev`: `ev`'s own, if an open capture claims it (the most recently
   * armed one wins), and an `ownEdit` capture's held change that `ev` releases.
   */
  onChange(ev: ChangeEvent): Annotation[] {
    this.expire();
    for (let i = this.open.length - 1; i >= 0; i--) {
      const c = this.open[i];
      if (c.uri !== ev.uri) continue;
      if (c.held) {
        // A second change with no keystroke's selection change between: the held one was no keystroke.
        this.close(c.id);
        return [c.held];
      }
      const ranges = insertedRanges(ev.changes);
      if (ranges.length === 0) return []; // a pure deletion: nothing to annotate, keep waiting
      if (c.expected !== undefined) {
        // A paste inserts the clipboard text, maybe re-indented, or split over several cursors
        // (a line each), or once per cursor: every piece must come from the clipboard text.
        const expected = c.expected;
        const pieces = ev.changes.map((ch) => significant(ch.text)).filter((t) => t.length > 0);
        if (pieces.length === 0 || !pieces.every((t) => expected.includes(t))) return [];
      }
      const annotation = { uri: ev.uri, version: ev.version, origin: c.origin, ranges };
      if (c.ownEdit) {
        c.held = annotation;
        return [];
      }
      c.seen++;
      if (c.seen >= c.maxEvents) this.close(c.id);
      return [annotation];
    }
    return [];
  }

  private expire(): void {
    const t = this.now();
    this.open = this.open.filter((c) => c.deadline > t);
  }
}
