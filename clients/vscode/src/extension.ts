// The provenant extension: wires the sidecar to one module per feature.
import * as vscode from 'vscode';
import { Annotator } from './annotator';
import { labelsGranted } from './editSources';
import * as chat from './chat';
import * as completions from './completions';
import * as decorations from './decorations';
import * as paste from './paste';
import * as pending from './pending';
import { ProvenanceView } from './provenanceView';
import { Sidecar } from './sidecar';
import * as statusBar from './statusBar';
import * as undoRedo from './undoRedo';

let sidecar: Sidecar | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<chat.ProvenantApi> {
  sidecar = new Sidecar(String(context.extension.packageJSON.version ?? ''));
  const annotator = new Annotator(sidecar, labelsGranted(context.extension.packageJSON));
  const view = new ProvenanceView(sidecar);
  context.subscriptions.push(annotator, view);

  undoRedo.activate(context, sidecar);
  completions.activate(context, annotator);
  paste.activate(context, annotator);
  const api = chat.activate(context, annotator);
  statusBar.activate(context, sidecar, view);
  decorations.activate(context, view);
  pending.activate(context, sidecar, view);

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('provenant.path')) void sidecar?.restart();
    }),
  );
  await sidecar.start();
  return api;
}

export function deactivate(): Thenable<void> | undefined {
  const s = sidecar;
  sidecar = undefined;
  return s?.client?.stop();
}
