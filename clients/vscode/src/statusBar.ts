// The status bar item: the current file's AI share.
import * as vscode from 'vscode';
import type { ProvenanceView } from './provenanceView';
import type { Sidecar } from './sidecar';
import { statusText, summarize } from './summary';

export function activate(context: vscode.ExtensionContext, sidecar: Sidecar, view: ProvenanceView): void {
  const item = vscode.window.createStatusBarItem('provenant.aiShare', vscode.StatusBarAlignment.Right, 100);
  item.name = 'provenant: AI share';
  context.subscriptions.push(item);

  const render = () => {
    if (!vscode.workspace.getConfiguration('provenant').get<boolean>('statusBar.enabled', true)) {
      item.hide();
      return;
    }
    if (sidecar.problem) {
      item.text = '$(warning) provenant';
      item.tooltip = sidecar.problem.message;
      item.command = { title: 'Open Settings', command: 'workbench.action.openSettings', arguments: ['provenant.path'] };
      item.show();
      return;
    }
    const { provenance } = view.last;
    if (!provenance) {
      item.hide();
      return;
    }
    const { text, tooltip } = statusText(summarize(provenance));
    item.text = `$(sparkle) ${text}`;
    item.tooltip = tooltip;
    item.command = 'provenant.showDocumentProvenance';
    item.show();
  };
  context.subscriptions.push(
    view.onDidUpdate(render),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('provenant.statusBar') && render()),
  );
  render();
}
