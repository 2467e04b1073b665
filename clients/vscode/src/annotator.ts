// Turns captured change events into `provenant/annotate` notifications.
import * as vscode from 'vscode';
import { Captures, type Annotation, type CaptureOptions, type ChangeEvent } from './capture';
import { ANNOTATE, type AnnotateParams, type Origin } from './protocol';
import { LabelDelivery, editLabel, originFromEditSource, type DetailedReason } from './editSources';
import { insertedRanges, type Rng } from './ranges';
import type { Sidecar } from './sidecar';

/**
 * The one listener that sees every change of a `file:` document and asks the open captures
 * whether it is theirs. Called on the extension host's thread only.
 */
export class Annotator implements vscode.Disposable {
  readonly captures = new Captures();
  private readonly listener: vscode.Disposable;
  private readonly selections: vscode.Disposable;
  /** Annotations sent, for the tests and the log. */
  sent = 0;

  private useEditSources = readUseEditSources();
  private readonly config: vscode.Disposable;
  /**
   * Whether VS Code delivers edit-source labels to this extension: known at activation where
   * VS Code granted the API proposal (`labelsGranted`), confirmed or refuted by the first change
   * event (a keystroke is labelled too); otherwise set at the first change that carries one.
   * Never guessed from the version.
   */
  private readonly labels: LabelDelivery;
  /** The last value given to the `provenant.wrapAccept` context key. */
  private wrapAccept: boolean | undefined;
  private readonly labelsInUseChanged = new vscode.EventEmitter<boolean>();
  /** Fires when `labelsInUse` changes. */
  readonly onDidChangeLabelsInUse = this.labelsInUseChanged.event;

  constructor(
    private readonly sidecar: Sidecar,
    labelsGranted: boolean,
  ) {
    this.labels = new LabelDelivery(labelsGranted);
    sidecar.output.appendLine(`edit-source labels: ${labelsGranted ? 'granted (the API proposal is enabled)' : 'not granted; known at the first labelled edit'}`);
    this.listener = vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e));
    // Only while a capture is open: a keystroke is a change then a keyboard selection change.
    this.selections = vscode.window.onDidChangeTextEditorSelection((e) => {
      if (this.captures.size === 0 || !isTracked(e.textEditor.document)) return;
      const person = e.kind === vscode.TextEditorSelectionChangeKind.Keyboard || e.kind === vscode.TextEditorSelectionChangeKind.Mouse;
      for (const a of this.captures.onSelection(e.textEditor.document.uri.toString(), person ? 'person' : 'other')) this.sendAnnotation(a);
    });
    this.config = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('provenant.useEditSources')) return;
      this.useEditSources = readUseEditSources();
      sidecar.output.appendLine(`edit-source labels: ${this.useEditSources ? 'on' : 'off'}`);
      this.updateWrapAccept();
    });
    this.updateWrapAccept();
  }

  /** Whether VS Code's edit-source labels are delivered and used: they then name accepts and pastes. */
  get labelsInUse(): boolean {
    return this.useEditSources && this.labels.delivered;
  }

  /**
   * The accept keys (Tab, Ctrl+Right) go through provenant's wrapping commands only where no
   * edit-source label will name the accept. A wrapped accept runs on the extension host, so when
   * that host is busy the keys typed after Tab reach the editor first, move the cursor and
   * dismiss the suggestion: the accept is lost. VS Code's own accept runs in the editor at the
   * key, so where labels are delivered the built-in keybinding is left to do it.
   */
  private updateWrapAccept(): void {
    const wrap = !this.labelsInUse;
    if (wrap === this.wrapAccept) return;
    this.wrapAccept = wrap;
    this.labelsInUseChanged.fire(!wrap);
    void vscode.commands.executeCommand('setContext', 'provenant.wrapAccept', wrap).then(() =>
      this.sidecar.output.appendLine(`accept keys: ${wrap ? "provenant's command" : "VS Code's own (edit-source labels)"}`),
    );
  }

  /**
   * Runs `command` with a capture armed on `editor`'s document: the change(s) it makes are
   * annotated with `origin`. The capture closes at the command's own edit, or when the command
   * returns (`capture.ts`).
   */
  async runCaptured(editor: vscode.TextEditor | undefined, origin: Origin, command: string, args: unknown[], opts: CaptureOptions): Promise<unknown> {
    const id = editor && isTracked(editor.document) ? this.captures.arm(editor.document.uri.toString(), origin, opts) : undefined;
    try {
      return await vscode.commands.executeCommand(command, ...args);
    } finally {
      if (id !== undefined) for (const a of this.captures.settle(id)) this.sendAnnotation(a);
    }
  }

  /** Sends an annotation for ranges of `document` at its current version. */
  annotateNow(document: vscode.TextDocument, origin: Origin, ranges: readonly vscode.Range[]): void {
    if (!isTracked(document) || ranges.length === 0) return;
    this.sendAnnotation({
      uri: document.uri.toString(),
      version: document.version,
      origin,
      ranges: ranges.map((r) => ({ start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } })),
    });
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!isTracked(e.document) || e.contentChanges.length === 0) return;
    const reason = (e as { detailedReason?: DetailedReason }).detailedReason;
    if (this.labels.onChange(!!reason && typeof reason === 'object')) {
      if (this.labels.refuted) this.sidecar.output.appendLine('edit-source labels: granted, but the first edit carried none');
      this.updateWrapAccept();
    }
    // VS Code's own label of the edit (an API proposal: often absent) is the stronger signal;
    // an open capture is still consumed so that it cannot claim a later edit.
    let labelled = this.useEditSources ? originFromEditSource(reason) : undefined;
    if (labelled?.class === 'paste' && !vscode.workspace.getConfiguration('provenant').get<boolean>('capturePaste', true)) labelled = undefined;
    if (!labelled && this.captures.size === 0) return;
    const event: ChangeEvent = {
      uri: e.document.uri.toString(),
      version: e.document.version,
      changes: e.contentChanges.map((c) => ({ range: toRng(c.range), text: c.text })),
      label: this.useEditSources ? editLabel(reason) : undefined,
      undoRedo: e.reason === vscode.TextDocumentChangeReason.Undo || e.reason === vscode.TextDocumentChangeReason.Redo,
      // Keys reach only a document an editor shows.
      typable: vscode.window.visibleTextEditors.some((ed) => ed.document === e.document),
    };
    // An accept's label is the accept's own edit: the accept key's capture has nothing left to take.
    if (labelled?.class === 'ai' && labelled.kind === 'completion') this.captures.labelledAccept(event.uri);
    const captured = this.captures.size > 0 ? this.captures.onChange(event) : [];
    // A held change released by this one is an earlier version's; this one's label beats its capture.
    for (const a of captured) if (!labelled || a.version !== event.version) this.sendAnnotation(a);
    if (labelled) {
      const ranges = insertedRanges(event.changes);
      if (ranges.length > 0) this.sendAnnotation({ uri: event.uri, version: event.version, origin: labelled, ranges });
    }
  }

  /** Sends one annotation (`provenant/annotate`). */
  sendAnnotation(a: Annotation): void {
    const params: AnnotateParams = { textDocument: { uri: a.uri, version: a.version }, origin: clean(a.origin), ranges: a.ranges };
    this.sent++;
    this.sidecar.notify(ANNOTATE, params);
  }

  dispose(): void {
    this.listener.dispose();
    this.selections.dispose();
    this.config.dispose();
    this.labelsInUseChanged.dispose();
  }
}

function readUseEditSources(): boolean {
  return vscode.workspace.getConfiguration('provenant').get<boolean>('useEditSources', true);
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
