// Chat and agent edits: the API through which AI extensions say which edits are theirs.
import * as vscode from 'vscode';
import type { Annotator } from './annotator';
import { checkOrigin, type Origin } from './protocol';

/**
 * VS Code's stable API does not say which extension or chat session made an edit, and a
 * workspace edit from a refactoring looks the same as one from a chat apply, so nothing is
 * ever guessed to be `ai` here. Instead AI extensions (or a user's own glue) give the signal:
 *
 *  - `extensions.getExtension('provenant.provenant').exports.runAs(origin, document, fn)`,
 *    `exports.annotate(document, ranges, origin)`;
 *  - or, with no dependency on this extension, the command
 *    `provenant.runAs(origin, uri, command, ...args)` that runs another command and
 *    annotates the edits it makes to `uri` (e.g. a chat's "apply" command).
 *
 * Agent edits made by coding agents with hooks (Copilot agent mode, Claude Code, …) are
 * recorded by `provenant hook`, whichever editor shows them.
 */
export interface ProvenantApi {
  /**
   * Runs `fn` with a capture armed on `document`: the edits it makes there get `origin`, until it
   * returns. Edits a person makes meanwhile (typing, pasting) are not `fn`'s and keep their own
   * origin; an edit of `fn`'s that cannot be told from a keystroke is left unannotated.
   */
  runAs<T>(origin: Origin, document: vscode.TextDocument | vscode.Uri, fn: () => Thenable<T>): Promise<T>;
  /** Annotates `ranges` of `document` as they are now. */
  annotate(document: vscode.TextDocument, ranges: readonly vscode.Range[], origin: Origin): void;
}

export function activate(context: vscode.ExtensionContext, annotator: Annotator): ProvenantApi {
  const api: ProvenantApi = {
    async runAs(origin, document, fn) {
      const checked = checkOrigin(origin);
      const uri = document instanceof vscode.Uri ? document : document.uri;
      // Only the edits that are not a person's (capture.ts): keys typed meanwhile stay the person's.
      const id = uri.scheme === 'file' ? annotator.captures.arm(uri.toString(), checked, { kind: 'command' }) : undefined;
      try {
        return await fn();
      } finally {
        if (id !== undefined) for (const a of annotator.captures.settle(id)) annotator.sendAnnotation(a);
      }
    },
    annotate(document, ranges, origin) {
      annotator.annotateNow(document, checkOrigin(origin), ranges);
    },
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('provenant.runAs', (origin: unknown, uri: unknown, command: unknown, ...args: unknown[]) => {
      if (typeof command !== 'string') throw new Error('provenant.runAs: expected (origin, uri, command, ...args)');
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined;
      if (!target) throw new Error('provenant.runAs: uri must be a string or a Uri');
      return api.runAs(origin as Origin, target, () => vscode.commands.executeCommand(command, ...args));
    }),
  );
  return api;
}
