// Pure: the origin that VS Code's own record of an edit's source implies (no 'vscode' import).
import type { Origin } from './protocol';
import { CHAT_TOOLS, COMPLETION_TOOLS } from './tools';

/**
 * `TextDocumentChangeEvent.detailedReason` of the `textDocumentChangeReason` API proposal:
 * VS Code's own label for who made an edit. Present where proposals are enabled for this
 * extension (code-server enables them; desktop VS Code with
 * `--enable-proposed-api provenant.provenant` or the same key in argv.json); absent elsewhere.
 */
export interface DetailedReason {
  source?: unknown;
  metadata?: unknown;
}

/** The AI or paste origin of an edit whose source VS Code names, or undefined (no claim). */
export function originFromEditSource(reason: DetailedReason | undefined): Origin | undefined {
  if (!reason || typeof reason !== 'object') return undefined;
  const meta = (reason.metadata && typeof reason.metadata === 'object' ? reason.metadata : {}) as Record<string, unknown>;
  const source = typeof reason.source === 'string' ? reason.source : typeof meta.source === 'string' ? meta.source : '';
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined);
  const extension = str(meta.$extensionId);
  switch (source) {
    case 'inlineCompletionAccept':
    case 'inlineCompletionPartialAccept':
      return { class: 'ai', kind: 'completion', tool: toolOf(extension, COMPLETION_TOOLS) };
    case 'Chat.applyEdits':
    case 'inlineChat.applyEdits': {
      const origin: Origin = { class: 'ai', kind: 'chat', tool: toolOf(extension ?? str(meta.$harness), CHAT_TOOLS) };
      // VS Code writes model ids with '|' for '/' ("copilot|gpt-4o").
      const model = str(meta.$modelId)?.replace(/\|/g, '/');
      if (model) origin.model = model;
      const session = str(meta.$$sessionId);
      if (session) origin.session = session;
      const request = str(meta.$$requestId);
      if (request) origin.request = request;
      return origin;
    }
    case 'cursor':
      // A person's paste through the editor (keys, menu or command), whatever the clipboard held.
      return meta.kind === 'paste' ? { class: 'paste' } : undefined;
    default:
      return undefined;
  }
}

/** A known extension's tool name; another extension's id as it is (a fact, not a guess). */
function toolOf(extensionId: string | undefined, table: Readonly<Record<string, string>>): string {
  if (!extensionId) return 'unknown';
  return table[extensionId.toLowerCase()] ?? extensionId;
}

/**
 * Who made an edit, as far as a capture needs to know: `typing` (a person at the editor: keys,
 * IME, cut, the editor's own commands), `paste` (a person's paste), `extension` (an edit made
 * through the extension API: `TextEditor.edit`, `workspace.applyEdit`, which VS Code labels
 * `unknown`), `other` (an accept, a chat apply, a suggestion, undo, a reload, …: each names
 * itself or is no command's). Undefined where VS Code delivered no label.
 */
export type EditLabel = 'typing' | 'paste' | 'extension' | 'other';

export function editLabel(reason: DetailedReason | undefined): EditLabel | undefined {
  if (!reason || typeof reason !== 'object') return undefined;
  const meta = (reason.metadata && typeof reason.metadata === 'object' ? reason.metadata : {}) as Record<string, unknown>;
  const source = typeof reason.source === 'string' ? reason.source : typeof meta.source === 'string' ? meta.source : '';
  switch (source) {
    case 'cursor':
      return meta.kind === 'paste' ? 'paste' : 'typing';
    case 'unknown':
      // `MainThreadTextEditor` (TextEditor.edit) and `pushEditOperation` (workspace edits and
      // other callers that give no reason); `executeCommands` is an editor command a person ran.
      return meta.name === undefined || meta.name === 'MainThreadTextEditor' || meta.name === 'pushEditOperation' ? 'extension' : 'other';
    default:
      return 'other';
  }
}

/** The API proposal that carries the labels (`TextDocumentChangeEvent.detailedReason`). */
export const LABELS_PROPOSAL = 'textDocumentChangeReason';

/**
 * Whether VS Code granted this extension the labels' proposal, from its own description
 * (`context.extension.packageJSON`): before activation VS Code drops from `enabledApiProposals`
 * every proposal it does not know and, where proposals are not allowed for the extension (no
 * `--enable-proposed-api`, no `argv.json` entry), empties the list.
 */
export function labelsGranted(packageJSON: unknown): boolean {
  const proposals = (packageJSON && typeof packageJSON === 'object' ? (packageJSON as Record<string, unknown>).enabledApiProposals : undefined);
  return Array.isArray(proposals) && proposals.includes(LABELS_PROPOSAL);
}

/**
 * Whether VS Code delivers edit-source labels, known before the first edit where the proposal
 * is granted (`labelsGranted`) and confirmed by it: a first change with no label refutes the
 * grant (the labels are then taken as delivered only once a change carries one); a change with
 * a label proves it for the rest of the session. Not granted, only a labelled change proves it.
 * Pure; called on the extension host's thread only.
 */
export class LabelDelivery {
  private state: 'granted' | 'unknown' | 'refuted' | 'seen';

  constructor(granted: boolean) {
    this.state = granted ? 'granted' : 'unknown';
  }

  /** Whether labels are (taken as) delivered. */
  get delivered(): boolean {
    return this.state === 'granted' || this.state === 'seen';
  }

  /** Whether the grant was refuted by an unlabelled change (for the log). */
  get refuted(): boolean {
    return this.state === 'refuted';
  }

  /** A change event with content, labelled or not; returns whether `delivered` changed. */
  onChange(labelled: boolean): boolean {
    const before = this.delivered;
    if (labelled) this.state = 'seen';
    else if (this.state === 'granted') this.state = 'refuted';
    return before !== this.delivered;
  }
}
