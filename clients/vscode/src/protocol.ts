// The provenant-specific LSP messages, as plain types (no 'vscode' import).
import type { Rng } from './ranges';

export type OriginClass = 'ai' | 'paste' | 'human';
export type AiKind = 'completion' | 'chat' | 'agent';
export type LineClass = 'ai' | 'ai_modified' | 'human' | 'paste' | 'unknown' | 'blank';

/** Who wrote some text. Only `class` is required; empty fields are left out. */
export interface Origin {
  class: OriginClass;
  tool?: string;
  kind?: AiKind;
  model?: string;
  session?: string;
  request?: string;
}

/** `provenant/annotate`: `ranges` are in the coordinates of the document at `version`. */
export const ANNOTATE = 'provenant/annotate';
export interface AnnotateParams {
  textDocument: { uri: string; version: number };
  origin: Origin;
  ranges: Rng[];
}

/** `provenant/documentProvenance`: one class per line of the document at `version`. */
export const DOCUMENT_PROVENANCE = 'provenant/documentProvenance';
export interface DocumentProvenanceParams {
  textDocument: { uri: string };
}
/** The shape `provenant status --json` gives per file too (docs/editors.md): `lineOrigins[i]`
 *  is the index in `origins` of line i's origin, null when it has none. */
export interface DocumentProvenance {
  uri: string;
  version: number;
  lines: string[];
  lineOrigins?: (number | null)[];
  origins?: Origin[];
  chars?: Record<string, number>;
}

/** `provenant/sync`: answers once every queued piece of work is done. */
export const SYNC = 'provenant/sync';

/** The oldest `provenant` whose sidecar speaks the messages above. */
export const MIN_SERVER_VERSION = '0.1.0';

/** Reads "provenant 1.2.3" (as `provenant --version` prints it) into [1, 2, 3]. */
export function parseVersion(output: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Whether version `v` is at least `min` ("X.Y.Z"). */
export function versionAtLeast(v: readonly number[], min: string): boolean {
  const m = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((v[i] ?? 0) !== (m[i] ?? 0)) return (v[i] ?? 0) > (m[i] ?? 0);
  }
  return true;
}

const KINDS: readonly AiKind[] = ['completion', 'chat', 'agent'];

/** Callers are other extensions: take only well-formed origins. */
export function checkOrigin(origin: unknown): Origin {
  const o = origin as Partial<Record<keyof Origin, unknown>> | undefined;
  if (!o || typeof o !== 'object') throw new Error('provenant: origin must be an object');
  if (o.class !== 'ai' && o.class !== 'paste' && o.class !== 'human') throw new Error('provenant: origin.class must be ai, paste or human');
  if (o.kind !== undefined && !KINDS.includes(o.kind as AiKind)) throw new Error('provenant: origin.kind must be completion, chat or agent');
  const out: Origin = { class: o.class };
  for (const key of ['tool', 'kind', 'model', 'session', 'request'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length > 200) throw new Error(`provenant: origin.${key} must be a short string`);
    (out as unknown as Record<string, string>)[key] = v;
  }
  return out;
}
