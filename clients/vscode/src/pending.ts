// Commands that show provenance as text: the workspace's pending provenance, and this file's.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { SYNC } from './protocol';
import type { ProvenanceView } from './provenanceView';
import type { Sidecar } from './sidecar';

export function activate(context: vscode.ExtensionContext, sidecar: Sidecar, view: ProvenanceView): void {
  const channel = vscode.window.createOutputChannel('provenant: pending');
  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand('provenant.showPending', async () => {
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
      channel.clear();
      channel.show(true);
      if (folders.length === 0) {
        channel.appendLine('provenant: open a folder inside a git repository to see its pending provenance.');
        return;
      }
      for (const folder of folders) {
        channel.appendLine(`# ${folder.name} (${folder.uri.fsPath})`);
        channel.appendLine(await runStatus(sidecar.program(), folder.uri.fsPath));
      }
    }),
    vscode.commands.registerCommand('provenant.showDocumentProvenance', async () => {
      await view.refresh();
      const { editor, provenance } = view.last;
      channel.clear();
      channel.show(true);
      channel.appendLine(
        provenance ? JSON.stringify(provenance, null, 2) : `provenant: no provenance for ${editor ? editor.document.uri.toString() : 'this editor'}`,
      );
    }),
    vscode.commands.registerCommand('provenant.restartServer', () => sidecar.restart()),
    // Waits until the sidecar has written everything it was told (journal included): handy
    // before a commit from a script, and what the end-to-end test uses instead of sleeping.
    vscode.commands.registerCommand('provenant.sync', async () => {
      if (!sidecar.running) {
        void vscode.window.showWarningMessage(sidecar.problem?.message ?? 'provenant: the sidecar is not running.');
        return false;
      }
      const started = Date.now();
      const ok = (await sidecar.request<unknown>(SYNC, {})) !== undefined;
      if (ok) void vscode.window.showInformationMessage(`provenant: pending provenance written (${Date.now() - started} ms).`);
      else void vscode.window.showWarningMessage('provenant: the sidecar did not answer provenant/sync (see the "provenant" output).');
      return ok;
    }),
  );
}

/** `provenant status` in `cwd`: its output, or what went wrong. */
function runStatus(program: string, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(program, ['status'], { cwd, timeout: 30_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) resolve(`${stdout}${stderr}`.trim() || `provenant status failed: ${err.message}`);
      else resolve(stdout.trimEnd() || '(nothing pending)');
    });
  });
}
