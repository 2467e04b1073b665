// Turns captured change events into `provenant/annotate` notifications.
import * as vscode from 'vscode';
import { Captures, type Annotation, type CaptureOptions } from './capture';
import { ANNOTATE, type AnnotateParams, type Origin } from './protocol';
import type { Rng } from './ranges';
import type { Sidecar } from './sidecar';

/**
 * The one listener that sees every change of a `file:` document and asks the open captures
 * whether it is theirs. Called on the extension host's thread only.
 */
export class Annotator implements vscode.Disposable {
  readonly captures = new Captures();
  private readonly listener: vscode.Disposable;
  /** Annotations sent, for the tests and the log. */
  sent = 0;

  constructor(private readonly sidecar: Sidecar) {
    this.listener = vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e));
  }

  /**
   * Runs `command` with a capture armed on `editor`'s document: the change(s) it makes are
   * annotated with `origin`. The capture closes when the command returns.
   */
  async runCaptured(editor: vscode.TextEditor | undefined, origin: Origin, command: string, args: unknown[], opts: CaptureOptions = {}): Promise<unknown> {
    const id = editor && isTracked(editor.document) ? this.captures.arm(editor.document.uri.toString(), origin, opts) : undefined;
    try {
      return await vscode.commands.executeCommand(command, ...args);
    } finally {
      if (id !== undefined) this.captures.settle(id);
    }
  }

  /** Sends an annotation for ranges of `document` at its current version. */
  annotateNow(document: vscode.TextDocument, origin: Origin, ranges: readonly vscode.Range[]): void {
    if (!isTracked(document) || ranges.length === 0) return;
    this.send({
      uri: document.uri.toString(),
      version: document.version,
      origin,
      ranges: ranges.map((r) => ({ start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } })),
    });
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!isTracked(e.document) || e.contentChanges.length === 0 || this.captures.size === 0) return;
    const annotation = this.captures.onChange({
      uri: e.document.uri.toString(),
      version: e.document.version,
      changes: e.contentChanges.map((c) => ({ range: toRng(c.range), text: c.text })),
    });
    if (annotation) this.send(annotation);
  }

  private send(a: Annotation): void {
    const params: AnnotateParams = { textDocument: { uri: a.uri, version: a.version }, origin: clean(a.origin), ranges: a.ranges };
    this.sent++;
    this.sidecar.notify(ANNOTATE, params);
  }

  dispose(): void {
    this.listener.dispose();
  }
}

export function isTracked(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file';
}

function toRng(r: vscode.Range): Rng {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/** Leaves out empty fields: the server treats absent and empty alike, and the log stays short. */
function clean(origin: Origin): Origin {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(origin)) if (typeof v === 'string' && v) out[k] = v;
  return out as unknown as Origin;
}
