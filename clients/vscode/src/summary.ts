// Pure: what the status bar and the gutter show from a documentProvenance answer.
import type { DocumentProvenance } from './protocol';

export interface Summary {
  /** Lines per class (blank lines excluded). */
  counts: Record<'ai' | 'ai_modified' | 'human' | 'paste' | 'unknown', number>;
  /** Non-blank lines. */
  lines: number;
  /** (ai + ai_modified) / non-blank lines, 0..1; 0 for an empty file. */
  aiShare: number;
  /** AI characters / all counted characters, 0..1, when the server sent character counts. */
  aiCharShare?: number;
}

export function summarize(p: DocumentProvenance): Summary {
  const counts = { ai: 0, ai_modified: 0, human: 0, paste: 0, unknown: 0 };
  for (const cls of p.lines) {
    if (cls in counts) counts[cls as keyof typeof counts]++;
  }
  const lines = counts.ai + counts.ai_modified + counts.human + counts.paste + counts.unknown;
  const summary: Summary = { counts, lines, aiShare: lines ? (counts.ai + counts.ai_modified) / lines : 0 };
  if (p.chars) {
    let total = 0;
    for (const v of Object.values(p.chars)) if (typeof v === 'number' && v > 0) total += v;
    if (total > 0) summary.aiCharShare = (p.chars.ai ?? 0) / total;
  }
  return summary;
}

/** Zero-based line numbers per decorated class. */
export function decoratedLines(p: DocumentProvenance): { ai: number[]; ai_modified: number[]; paste: number[] } {
  const out = { ai: [] as number[], ai_modified: [] as number[], paste: [] as number[] };
  p.lines.forEach((cls, i) => {
    if (cls === 'ai' || cls === 'ai_modified' || cls === 'paste') out[cls].push(i);
  });
  return out;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** The status bar text and its tooltip. */
export function statusText(s: Summary): { text: string; tooltip: string } {
  const c = s.counts;
  const tooltip = [
    `provenant: ${s.lines} non-blank lines`,
    `ai ${c.ai} · ai_modified ${c.ai_modified} · human ${c.human} · paste ${c.paste} · unknown ${c.unknown}`,
    s.aiCharShare !== undefined ? `AI characters: ${percent(s.aiCharShare)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { text: `AI ${percent(s.aiShare)}`, tooltip };
}
