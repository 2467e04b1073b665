// Gutter marks for ai, ai_modified and paste lines, and the command that toggles them.
import * as vscode from 'vscode';
import type { ProvenanceView } from './provenanceView';
import { decoratedLines } from './summary';

const STYLES = {
  ai: { icon: 'ai.svg', ruler: 'rgba(64, 156, 255, 0.8)', hover: 'provenant: AI' },
  ai_modified: { icon: 'ai-modified.svg', ruler: 'rgba(160, 110, 255, 0.8)', hover: 'provenant: AI, edited by a person' },
  paste: { icon: 'paste.svg', ruler: 'rgba(230, 160, 40, 0.8)', hover: 'provenant: pasted' },
} as const;

export function activate(context: vscode.ExtensionContext, view: ProvenanceView): void {
  const types = Object.fromEntries(
    Object.entries(STYLES).map(([cls, s]) => [
      cls,
      vscode.window.createTextEditorDecorationType({
        gutterIconPath: vscode.Uri.joinPath(context.extensionUri, 'media', s.icon),
        gutterIconSize: 'contain',
        overviewRulerColor: s.ruler,
        overviewRulerLane: vscode.OverviewRulerLane.Left,
      }),
    ]),
  ) as Record<keyof typeof STYLES, vscode.TextEditorDecorationType>;
  context.subscriptions.push(...Object.values(types));

  const enabled = () => vscode.workspace.getConfiguration('provenant').get<boolean>('decorations.enabled', true);
  const clear = (editor: vscode.TextEditor) => {
    for (const t of Object.values(types)) editor.setDecorations(t, []);
  };

  const render = () => {
    const { editor, provenance } = view.last;
    if (!editor) return;
    // Lines of another version would land on the wrong lines; VS Code moves the old marks
    // with the text meanwhile, and the next refresh (after the edits stop) is exact.
    if (provenance && provenance.version !== editor.document.version) return;
    if (!enabled() || !provenance) {
      clear(editor);
      return;
    }
    const lines = decoratedLines(provenance);
    for (const cls of Object.keys(STYLES) as (keyof typeof STYLES)[]) {
      editor.setDecorations(
        types[cls],
        lines[cls].filter((n) => n < editor.document.lineCount).map((n) => ({ range: new vscode.Range(n, 0, n, 0), hoverMessage: STYLES[cls].hover })),
      );
    }
  };

  context.subscriptions.push(
    view.onDidUpdate(render),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('provenant.decorations') && render()),
    vscode.commands.registerCommand('provenant.toggleDecorations', async () => {
      const config = vscode.workspace.getConfiguration('provenant');
      await config.update('decorations.enabled', !enabled(), vscode.ConfigurationTarget.Global);
      render();
    }),
  );
}
