// Pure: which AI tool an installed, active extension is (no 'vscode' import).

/** Extensions that provide inline completions, by lower-case extension id. */
export const COMPLETION_TOOLS: Readonly<Record<string, string>> = {
  'github.copilot': 'copilot',
  'codeium.codeium': 'codeium',
  'codeium.windsurf': 'windsurf',
  'supermaven.supermaven': 'supermaven',
  'continue.continue': 'continue',
  'tabnine.tabnine-vscode': 'tabnine',
  'sourcegraph.cody-ai': 'cody',
  'amazonwebservices.amazon-q-vscode': 'amazon-q',
  'google.geminicodeassist': 'gemini',
  'tabbyml.vscode-tabby': 'tabby',
  'aminer.codegeex': 'codegeex',
  'fittentech.fitten-code': 'fitten',
  'rjmacarthy.twinny': 'twinny',
  'blackboxapp.blackbox': 'blackbox',
};

/** Extensions that apply chat answers to files, by lower-case extension id. */
export const CHAT_TOOLS: Readonly<Record<string, string>> = {
  'github.copilot-chat': 'copilot',
  'continue.continue': 'continue',
  'sourcegraph.cody-ai': 'cody',
  'codeium.codeium': 'codeium',
  'amazonwebservices.amazon-q-vscode': 'amazon-q',
  'google.geminicodeassist': 'gemini',
  'saoudrizwan.claude-dev': 'cline',
  'rooveterinaryinc.roo-cline': 'roo-code',
  'anthropic.claude-code': 'claude-code',
};

/**
 * The tool to record: `override` when set, else the one tool among `activeIds` that `table`
 * knows. Several different tools are ambiguous: the accept cannot tell whose suggestion it
 * was, so the answer is `unknown` rather than a guess.
 */
export function detectTool(activeIds: readonly string[], table: Readonly<Record<string, string>>, override = ''): string {
  const forced = override.trim();
  if (forced) return forced;
  const tools = new Set<string>();
  for (const id of activeIds) {
    const tool = table[id.toLowerCase()];
    if (tool) tools.add(tool);
  }
  return tools.size === 1 ? [...tools][0] : 'unknown';
}
