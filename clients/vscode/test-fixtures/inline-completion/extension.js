// Test-only extension: on an empty line, when asked explicitly (Trigger Inline Suggestion), suggests a fixed two-line completion.
// F9 keeps the extension host's thread busy for a moment, as a loaded machine or a slow extension
// does: keys pressed meanwhile are handled by the workbench before any extension command runs.
// Shift+F9 blocks that thread until the test releases it (a file in the repository's .git), so
// that the test can do something while the host certainly cannot take part.
// F10 plays a chat agent through `provenant.runAs`: it inserts a line at the top of the active
// file (TextEditor.edit), waits until the person has typed a line of their own, then inserts a
// second line (a workspace edit) and returns, so the person types while the command runs.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const COMPLETION = 'def answer(question):\n    return 42';

const BUSY_MS = 400;
/** The longest Shift+F9 blocks when nobody releases it: a failed test must not hang the host. */
const BLOCK_MAX_MS = 60_000;

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('provenantTest.busyHost', () => {
      const until = Date.now() + BUSY_MS;
      while (Date.now() < until) {
        // blocking on purpose: the point is a thread that cannot take messages
      }
    }),
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('provenantTest.blockHost', () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return;
      // <repo>/.git/provenant-test-blocked exists while blocked; the test creates ...-release.
      const blocked = path.join(folder.uri.fsPath, '.git', 'provenant-test-blocked');
      const release = path.join(folder.uri.fsPath, '.git', 'provenant-test-release');
      fs.rmSync(release, { force: true });
      fs.writeFileSync(blocked, '');
      const pause = new Int32Array(new SharedArrayBuffer(4));
      const until = Date.now() + BLOCK_MAX_MS;
      while (!fs.existsSync(release) && Date.now() < until) Atomics.wait(pause, 0, 0, 10); // blocks the thread, on purpose
      fs.rmSync(release, { force: true });
      fs.rmSync(blocked, { force: true });
    }),
  );
  let agentRound = 0;
  context.subscriptions.push(
    vscode.commands.registerCommand('provenantTest.agentEdit', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const uri = editor.document.uri.toString();
      const origin = { class: 'ai', kind: 'chat', tool: 'test-agent' };
      await vscode.commands.executeCommand('provenant.runAs', origin, uri, 'provenantTest.agentWork', uri, ++agentRound);
    }),
    vscode.commands.registerCommand('provenantTest.agentWork', async (uri, n) => {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      if (!editor) throw new Error(`agentWork: no editor shows ${uri}`);
      const doc = editor.document;
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), `agent_first_${n} = 1\n`));
      // The person's line, typed while this command runs (an event, not a time).
      const typed = () => doc.getText().includes(`typed_during_${n} = ${n}\n`);
      if (!typed()) {
        await new Promise((resolve) => {
          const sub = vscode.workspace.onDidChangeTextDocument((e) => {
            if (e.document === doc && typed()) {
              sub.dispose();
              resolve();
            }
          });
        });
      }
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(0, 0), `agent_second_${n} = 2\n`);
      await vscode.workspace.applyEdit(edit);
    }),
  );
  context.subscriptions.push(
    vscode.languages.registerInlineCompletionItemProvider({ scheme: 'file' }, {
      provideInlineCompletionItems(document, position, context) {
        // Only when invoked: typing never brings up a suggestion that a key could accept by accident.
        if (context.triggerKind !== vscode.InlineCompletionTriggerKind.Invoke) return [];
        if (document.lineAt(position.line).text !== '') return [];
        return [new vscode.InlineCompletionItem(COMPLETION, new vscode.Range(position, position))];
      },
    }),
  );
}

module.exports = { activate };
