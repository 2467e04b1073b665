// Test-only extension: after a line that is exactly "def ", suggests a fixed two-line completion.
const vscode = require('vscode');

const COMPLETION = 'answer(question):\n    return 42';

function activate(context) {
  context.subscriptions.push(
    vscode.languages.registerInlineCompletionItemProvider({ scheme: 'file' }, {
      provideInlineCompletionItems(document, position) {
        const prefix = document.lineAt(position.line).text.slice(0, position.character);
        if (prefix !== 'def ') return [];
        return [new vscode.InlineCompletionItem(COMPLETION, new vscode.Range(position, position))];
      },
    }),
  );
}

module.exports = { activate };
