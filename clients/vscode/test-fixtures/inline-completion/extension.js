// Test-only extension: on an empty line, when asked explicitly (Trigger Inline Suggestion), suggests a fixed two-line completion.
const vscode = require('vscode');

const COMPLETION = 'def answer(question):\n    return 42';

function activate(context) {
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
