// Accepted inline completions: wraps VS Code's accept commands so the insertion is annotated ai/completion.
import * as vscode from 'vscode';
import type { Annotator } from './annotator';
import { COMPLETION_TOOLS, detectTool } from './tools';

/** Our command -> the built-in command it wraps. Our keybindings take the same keys first. */
export const WRAPPED: ReadonlyArray<[string, string]> = [
  ['provenant.inlineSuggest.commit', 'editor.action.inlineSuggest.commit'],
  ['provenant.inlineSuggest.acceptNextWord', 'editor.action.inlineSuggest.acceptNextWord'],
  ['provenant.inlineSuggest.acceptNextLine', 'editor.action.inlineSuggest.acceptNextLine'],
];

export function activate(context: vscode.ExtensionContext, annotator: Annotator): void {
  for (const [ours, builtin] of WRAPPED) {
    context.subscriptions.push(
      vscode.commands.registerCommand(ours, (...args: unknown[]) =>
        annotator.runCaptured(vscode.window.activeTextEditor, { class: 'ai', kind: 'completion', tool: completionTool() }, builtin, args, { kind: 'accept' }),
      ),
    );
  }
}

/** The tool whose suggestion is being accepted: the setting, else the one active completion extension. */
export function completionTool(): string {
  const override = vscode.workspace.getConfiguration('provenant').get<string>('completionTool', '');
  return detectTool(activeExtensionIds(), COMPLETION_TOOLS, override);
}

export function activeExtensionIds(): string[] {
  return vscode.extensions.all.filter((e) => e.isActive).map((e) => e.id);
}
