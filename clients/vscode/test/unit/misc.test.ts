// Unit tests of tool detection, version checks and the status bar summary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelDelivery, editLabel, labelsGranted, originFromEditSource } from '../../src/editSources';
import { parseVersion, versionAtLeast } from '../../src/protocol';
import { decoratedLines, statusText, summarize } from '../../src/summary';
import { CHAT_TOOLS, COMPLETION_TOOLS, detectTool } from '../../src/tools';

test('detectTool: one known active extension names the tool; none or several is unknown', () => {
  assert.equal(detectTool(['vscode.git', 'GitHub.copilot', 'GitHub.copilot-chat'], COMPLETION_TOOLS), 'copilot');
  assert.equal(detectTool(['vscode.git'], COMPLETION_TOOLS), 'unknown');
  assert.equal(detectTool(['GitHub.copilot', 'Codeium.codeium'], COMPLETION_TOOLS), 'unknown');
  assert.equal(detectTool(['GitHub.copilot', 'Codeium.codeium'], COMPLETION_TOOLS, ' codeium '), 'codeium');
  assert.equal(detectTool(['GitHub.copilot-chat'], CHAT_TOOLS), 'copilot');
});

test('versions', () => {
  assert.deepEqual(parseVersion('provenant 0.1.0\n'), [0, 1, 0]);
  assert.equal(parseVersion('garbage'), undefined);
  assert.equal(versionAtLeast([0, 1, 0], '0.1.0'), true);
  assert.equal(versionAtLeast([0, 0, 9], '0.1.0'), false);
  assert.equal(versionAtLeast([1, 0, 0], '0.9.9'), true);
});

test('summarize and decoratedLines', () => {
  const p = { uri: 'file:///a', version: 3, lines: ['human', 'ai', 'blank', 'ai_modified', 'paste', 'unknown', 'ai'], chars: { ai: 30, human: 10, paste: 0, unknown: 0 } };
  const s = summarize(p);
  assert.deepEqual(s.counts, { ai: 2, ai_modified: 1, human: 1, paste: 1, unknown: 1 });
  assert.equal(s.lines, 6);
  assert.equal(s.aiShare, 0.5);
  assert.equal(s.aiCharShare, 0.75);
  assert.equal(statusText(s).text, 'AI 50%');
  assert.deepEqual(decoratedLines(p), { ai: [1, 6], ai_modified: [3], paste: [4] });
  assert.equal(summarize({ uri: 'x', version: 1, lines: [] }).aiShare, 0);
});

test('originFromEditSource: VS Code labels of AI edits and pastes become origins; everything else is no claim', () => {
  assert.deepEqual(
    originFromEditSource({ source: 'Chat.applyEdits', metadata: { source: 'Chat.applyEdits', $extensionId: 'GitHub.copilot-chat', $modelId: 'copilot|gpt-4o', $$sessionId: 's1', $$requestId: 'r1' } }),
    { class: 'ai', kind: 'chat', tool: 'copilot', model: 'copilot/gpt-4o', session: 's1', request: 'r1' },
  );
  assert.deepEqual(originFromEditSource({ source: 'inlineCompletionAccept', metadata: { $extensionId: 'GitHub.copilot' } }), { class: 'ai', kind: 'completion', tool: 'copilot' });
  assert.deepEqual(originFromEditSource({ source: 'inlineCompletionPartialAccept', metadata: { $extensionId: 'acme.autocomplete' } }), {
    class: 'ai',
    kind: 'completion',
    tool: 'acme.autocomplete',
  });
  assert.deepEqual(originFromEditSource({ source: 'inlineChat.applyEdits', metadata: {} }), { class: 'ai', kind: 'chat', tool: 'unknown' });
  assert.deepEqual(originFromEditSource({ source: 'cursor', metadata: { source: 'cursor', kind: 'paste' } }), { class: 'paste' });
  assert.equal(originFromEditSource({ source: 'cursor', metadata: { source: 'cursor', kind: 'type' } }), undefined, 'typing makes no claim');
  for (const source of ['cursor', 'reloadFromDisk', 'Chat.undoEdits', 'rename', 'unknown', 42]) {
    assert.equal(originFromEditSource({ source, metadata: {} }), undefined, String(source));
  }
  assert.equal(originFromEditSource(undefined), undefined);
  assert.equal(originFromEditSource({ source: 'Chat.applyEdits', metadata: { $extensionId: 7 } })?.tool, 'unknown');
});

test("editLabel: a person's typing and paste, an extension's API edit, and everything else", () => {
  const label = (metadata: Record<string, unknown>) => editLabel({ source: metadata.source, metadata });
  for (const kind of ['type', 'compositionType', 'compositionEnd', 'cut', 'executeCommand']) assert.equal(label({ source: 'cursor', kind }), 'typing', kind);
  assert.equal(label({ source: 'cursor', kind: 'paste' }), 'paste');
  assert.equal(label({ source: 'unknown', name: 'MainThreadTextEditor' }), 'extension', 'TextEditor.edit');
  assert.equal(label({ source: 'unknown', name: 'pushEditOperation' }), 'extension', 'workspace.applyEdit');
  assert.equal(label({ source: 'unknown', name: 'executeCommands' }), 'other', "an editor command a person ran");
  for (const source of ['inlineCompletionAccept', 'Chat.applyEdits', 'suggest', 'snippet', 'applyEdits', 'reloadFromDisk', 'setValue'])
    assert.equal(label({ source }), 'other', source);
  assert.equal(editLabel(undefined), undefined);
});

test('labelsGranted: the labels\' proposal in the enabledApiProposals VS Code left the extension', () => {
  assert.equal(labelsGranted({ enabledApiProposals: ['textDocumentChangeReason'] }), true);
  assert.equal(labelsGranted({ enabledApiProposals: ['other', 'textDocumentChangeReason'] }), true);
  assert.equal(labelsGranted({ enabledApiProposals: [] }), false); // not allowed: VS Code emptied it
  assert.equal(labelsGranted({ enabledApiProposals: ['other'] }), false);
  assert.equal(labelsGranted({ enabledApiProposals: 'textDocumentChangeReason' }), false);
  assert.equal(labelsGranted({}), false);
  assert.equal(labelsGranted(undefined), false);
  assert.equal(labelsGranted(null), false);
});

test('LabelDelivery: a grant counts from activation until an unlabelled first change refutes it; a labelled change proves it', () => {
  // Granted: delivered before any edit; a labelled first change changes nothing.
  let d = new LabelDelivery(true);
  assert.equal(d.delivered, true);
  assert.equal(d.onChange(true), false);
  assert.equal(d.delivered, true);
  assert.equal(d.onChange(false), false); // proven: a later unlabelled change does not undo it
  assert.equal(d.delivered, true);
  // Granted, but the first change carries no label: not delivered, until a change carries one.
  d = new LabelDelivery(true);
  assert.equal(d.onChange(false), true);
  assert.equal(d.delivered, false);
  assert.equal(d.refuted, true);
  assert.equal(d.onChange(false), false);
  assert.equal(d.onChange(true), true);
  assert.equal(d.delivered, true);
  assert.equal(d.refuted, false);
  // Not granted: only a labelled change proves it.
  d = new LabelDelivery(false);
  assert.equal(d.delivered, false);
  assert.equal(d.onChange(false), false);
  assert.equal(d.delivered, false);
  assert.equal(d.refuted, false);
  assert.equal(d.onChange(true), true);
  assert.equal(d.delivered, true);
});
