// Paste: annotates pasted text as `paste`, observing VS Code's paste without changing it.
import * as vscode from 'vscode';
import { isTracked, type Annotator } from './annotator';

/**
 * Where VS Code has the paste-edit API (1.97+), a provider that returns no edit sees every
 * paste with its text and arms a capture for the paste's own edit, the next change of the
 * document (`capture.ts`); VS Code then pastes as usual. Older versions get the
 * `provenant.paste` command instead, bound to the paste keys through the `provenant.wrapPaste`
 * context key, which reads the clipboard and runs the built-in paste with a capture armed.
 *
 * VS Code waits for every paste provider before it pastes, and cancels the paste when the text
 * or the cursor changes meanwhile: with the extension host busy, keys typed right after Ctrl+V
 * would cancel the person's paste. So where VS Code's edit-source labels name pastes
 * (`Annotator.labelsInUse`) the provider is not registered at all and the extension host is not
 * in the paste's path. (VS Code still pastes asynchronously, after reading the clipboard's
 * resources, unless `editor.pasteAs.enabled` is off: keys typed within that window cancel the
 * paste with no provider of ours; docs/vscode.md.)
 */
export function activate(context: vscode.ExtensionContext, annotator: Annotator): void {
  const enabled = () => vscode.workspace.getConfiguration('provenant').get<boolean>('capturePaste', true);
  const languages = vscode.languages as unknown as PasteApi;
  const kindApi = (vscode as unknown as { DocumentDropOrPasteEditKind?: { Text: { append(...parts: string[]): unknown } } }).DocumentDropOrPasteEditKind;
  const haveProvider = typeof languages.registerDocumentPasteEditProvider === 'function' && kindApi !== undefined;

  let provider: vscode.Disposable | undefined;
  const register = () => {
    if (!haveProvider || annotator.labelsInUse) {
      provider?.dispose();
      provider = undefined;
      return;
    }
    provider ??= languages.registerDocumentPasteEditProvider(
      { scheme: 'file' },
      {
        async provideDocumentPasteEdits(document: vscode.TextDocument, _ranges: unknown, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken) {
          if (!enabled() || !isTracked(document)) return undefined;
          const version = document.version;
          const text = await dataTransfer.get('text/plain')?.asString();
          // A change while we waited cancelled the paste: there is no edit of its to wait for.
          if (!text || token.isCancellationRequested || document.version !== version) return undefined;
          annotator.captures.arm(document.uri.toString(), { class: 'paste' }, { kind: 'paste', expectedText: text });
          return undefined; // no edit of ours: VS Code pastes the text itself
        },
      },
      { providedPasteEditKinds: [kindApi!.Text.append('provenant')], pasteMimeTypes: ['text/plain'] },
    );
  };
  register();
  context.subscriptions.push(annotator.onDidChangeLabelsInUse(register), { dispose: () => provider?.dispose() });
  void vscode.commands.executeCommand('setContext', 'provenant.wrapPaste', !haveProvider);

  context.subscriptions.push(
    vscode.commands.registerCommand('provenant.paste', async (...args: unknown[]) => {
      if (!enabled()) return vscode.commands.executeCommand('editor.action.clipboardPasteAction', ...args);
      const text = await vscode.env.clipboard.readText();
      return annotator.runCaptured(vscode.window.activeTextEditor, { class: 'paste' }, 'editor.action.clipboardPasteAction', args, {
        kind: 'paste',
        expectedText: text,
      });
    }),
  );
}

/** The part of the paste-edit API (stable since VS Code 1.97) used here; typed by hand for older @types/vscode. */
interface PasteApi {
  registerDocumentPasteEditProvider(
    selector: vscode.DocumentSelector,
    provider: {
      provideDocumentPasteEdits(document: vscode.TextDocument, ranges: unknown, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<undefined>;
    },
    metadata: { providedPasteEditKinds: unknown[]; pasteMimeTypes: string[] },
  ): vscode.Disposable;
}
