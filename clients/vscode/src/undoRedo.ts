// Undo and redo: tells the sidecar a change's `reason`, so the text gets its origin back.
import * as vscode from 'vscode';
import { DidChangeTextDocumentNotification } from 'vscode-languageclient/node';
import type { Sidecar } from './sidecar';

/**
 * vscode-languageclient has no field for the reason of a change, so for undo and redo the
 * middleware sends the didChange itself, with `"reason": "undo" | "redo"` on each content
 * change (the provenant extension to didChange). Every other change goes the usual way.
 */
export function activate(_context: vscode.ExtensionContext, sidecar: Sidecar): void {
  sidecar.use({
    didChange: async (event, next) => {
      const client = sidecar.client;
      const reason =
        event.reason === vscode.TextDocumentChangeReason.Undo ? 'undo' : event.reason === vscode.TextDocumentChangeReason.Redo ? 'redo' : undefined;
      if (!reason || !client || !sidecar.incrementalSync) return next(event);
      const params = client.code2ProtocolConverter.asChangeTextDocumentParams(event, event.document.uri, event.document.version);
      const contentChanges = params.contentChanges.map((change) => ({ ...change, reason }));
      await client.sendNotification(DidChangeTextDocumentNotification.type, { ...params, contentChanges });
    },
  });
}
