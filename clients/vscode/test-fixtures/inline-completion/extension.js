// Test-only extension: on an empty line, when asked explicitly (Trigger Inline Suggestion), suggests a fixed two-line completion.
// F9 keeps the extension host's thread busy for a moment, as a loaded machine or a slow extension
// does: keys pressed meanwhile are handled by the workbench before any extension command runs.
const vscode = require('vscode');

const COMPLETION = 'def answer(question):\n    return 42';

const BUSY_MS = 400;

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
