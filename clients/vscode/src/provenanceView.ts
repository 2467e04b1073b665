// Keeps the active editor's provenance fresh (debounced) for the status bar and the gutter.
import * as vscode from 'vscode';
import { isTracked } from './annotator';
import { DOCUMENT_PROVENANCE, type DocumentProvenance, type DocumentProvenanceParams } from './protocol';
import type { Sidecar } from './sidecar';

export interface ProvenanceUpdate {
  editor: vscode.TextEditor | undefined;
  /** Undefined when there is nothing to show (no tracked editor, or no sidecar). */
  provenance: DocumentProvenance | undefined;
}

/**
 * Asks the sidecar for the active document's provenance after the editor changes, after a
 * save, and once edits have been quiet for `provenant.refreshDelay` ms: never per keystroke.
 * Called on the extension host's thread only.
 */
export class ProvenanceView implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ProvenanceUpdate>();
  readonly onDidUpdate = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Read once and on change: `schedule` runs on every keystroke. */
  private delay = readDelay();
  last: ProvenanceUpdate = { editor: undefined, provenance: undefined };

  constructor(private readonly sidecar: Sidecar) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidSaveTextDocument((d) => this.isActive(d) && this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => this.isActive(e.document) && this.schedule()),
      sidecar.onDidChangeClient(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('provenant.refreshDelay')) this.delay = readDelay();
      }),
    );
  }

  private isActive(document: vscode.TextDocument): boolean {
    return vscode.window.activeTextEditor?.document === document;
  }

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, this.delay);
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    let provenance: DocumentProvenance | undefined;
    if (editor && isTracked(editor.document) && this.sidecar.running) {
      const params: DocumentProvenanceParams = { textDocument: { uri: editor.document.uri.toString() } };
      provenance = await this.sidecar.request<DocumentProvenance>(DOCUMENT_PROVENANCE, params);
      if (provenance && !Array.isArray(provenance.lines)) provenance = undefined; // not what we asked for
    }
    if (generation !== this.generation) return; // a newer refresh started meanwhile
    this.last = { editor, provenance };
    this.emitter.fire(this.last);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function readDelay(): number {
  const ms = vscode.workspace.getConfiguration('provenant').get<number>('refreshDelay', 400);
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 50), 10_000) : 400;
}
