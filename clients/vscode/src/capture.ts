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
  /** Close the capture this many ms after arming, whatever happened (default 2000). */
  windowMs?: number;
  /** For a paste: the pasted text; only an insertion of (part of) it is annotated. */
  expectedText?: string;
}

interface Capture {
  id: number;
  uri: string;
  origin: Origin;
  deadline: number;
  maxEvents: number;
  seen: number;
  expected?: string;
}

/**
 * Open captures. `arm` opens one for a document; each following change event of that document
 * is annotated with the capture's origin until the capture is closed by `settle` (the command
 * that produced the edit has returned), by `maxEvents`, or by its deadline. Nothing outside an
 * open capture is ever annotated: a capture that saw nothing simply expires.
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
      deadline: this.now() + (opts.windowMs ?? 2000),
      maxEvents: opts.maxEvents ?? Number.POSITIVE_INFINITY,
      seen: 0,
      expected: opts.expectedText === undefined ? undefined : significant(opts.expectedText),
    });
    return id;
  }

  /**
   * The command behind capture `id` has returned. Its edit was reported before the return (the
   * extension host receives the change before the command's result), so a capture that saw an
   * event closes now; one that saw none stays open for at most `graceMs` more.
   */
  settle(id: number, graceMs = 0): void {
    const c = this.open.find((x) => x.id === id);
    if (!c) return;
    if (c.seen > 0 || graceMs <= 0) this.close(id);
    else c.deadline = Math.min(c.deadline, this.now() + graceMs);
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

  /** The annotation for `ev`, if an open capture claims it (the most recently armed one wins). */
  onChange(ev: ChangeEvent): Annotation | undefined {
    this.expire();
    for (let i = this.open.length - 1; i >= 0; i--) {
      const c = this.open[i];
      if (c.uri !== ev.uri) continue;
      const ranges = insertedRanges(ev.changes);
      if (ranges.length === 0) return undefined; // a pure deletion: nothing to annotate, keep waiting
      if (c.expected !== undefined) {
        // A paste inserts the clipboard text, maybe re-indented, or split over several cursors
        // (a line each), or once per cursor: every piece must come from the clipboard text.
        const expected = c.expected;
        const pieces = ev.changes.map((ch) => significant(ch.text)).filter((t) => t.length > 0);
        if (pieces.length === 0 || !pieces.every((t) => expected.includes(t))) return undefined;
      }
      c.seen++;
      if (c.seen >= c.maxEvents) this.close(c.id);
      return { uri: ev.uri, version: ev.version, origin: c.origin, ranges };
    }
    return undefined;
  }

  private expire(): void {
    const t = this.now();
    this.open = this.open.filter((c) => c.deadline > t);
  }
}
