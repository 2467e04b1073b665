// End-to-end test of the VS Code extension: code-server + Debian's Chromium (playwright-core),
// the real provenant sidecar, a real git repository. Types, accepts an inline completion through
// VS Code's own accept command, pastes, undoes and redoes the paste, saves, commits with the git
// CLI and checks the note's lines. Every wait is on a condition, with a timeout.
//
// Environment (set by scripts/test-vscode.sh): E2E_NODE (Node 24), E2E_CODE_SERVER (its entry
// script), E2E_CHROMIUM, E2E_REPO (a git repository with `provenant install` done), E2E_FILE
// (the file to edit, relative to the repo, empty), E2E_USER_DATA, E2E_EXTENSIONS, E2E_PROFILE
// (Chromium's user-data-dir), E2E_ARTIFACTS (where to put a screenshot and logs on failure),
// PROVENANT (the binary).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`e2e: ${name} is not set`);
  return v;
};
const repo = env('E2E_REPO');
const file = env('E2E_FILE');
const provenant = env('PROVENANT');
const artifacts = env('E2E_ARTIFACTS');

let passed = 0;
let failed = 0;
function check(ok, what, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok - ${what}`);
  } else {
    failed++;
    console.log(`not ok - ${what}${detail ? `\n  ${String(detail).replace(/\n/g, '\n  ')}` : ''}`);
  }
  return ok;
}

/** Polls `fn` until it returns a truthy value; throws after `ms` naming `what`. */
async function waitFor(what, fn, ms = 30_000, every = 50) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, every)); // the poll interval of a condition wait
  }
}

/** An output channel of the extension ("provenant", "provenant pending"), as VS Code persists it. */
function outputLog(channel = 'provenant') {
  const logs = join(env('E2E_USER_DATA'), 'logs');
  let text = '';
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.replace(/^\d+-/, '') === `${channel}.log`) text += readFileSync(p, 'utf8');
    }
  };
  walk(logs);
  return text;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', ...opts });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

/** "1-3,7" (or an array of numbers / such strings) -> [1, 2, 3, 7]. */
function expand(ranges) {
  if (Array.isArray(ranges)) return ranges.flatMap((r) => (typeof r === 'number' ? [r] : expand(r)));
  const out = [];
  for (const part of String(ranges ?? '').split(',').filter(Boolean)) {
    const m = /^(\d+)-(\d+)$/.exec(part);
    if (m) for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(i);
    else out.push(Number(part));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
const started = Date.now();
// The other files the scenarios edit, there before the workbench starts (Quick Open finds a
// file created later only once the file watcher has seen it).
for (const name of ['race.txt', 'sort.txt', 'paste.txt', 'paste.ini', 'chat.txt', 'first.txt']) writeFileSync(join(repo, name), '');
// Labels on from the start, for step 0 (the session's first edit); the scenarios after it turn
// them off and on again.
for (const path of env('E2E_SETTINGS').split(':')) {
  const settings = JSON.parse(readFileSync(path, 'utf8'));
  settings['provenant.useEditSources'] = true;
  writeFileSync(path, JSON.stringify(settings, null, 2));
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let serverLog = '';
const server = spawn(
  env('E2E_NODE'),
  [
    env('E2E_CODE_SERVER'),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', env('E2E_USER_DATA'),
    '--extensions-dir', env('E2E_EXTENSIONS'),
  ],
  { stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
);
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
const serverExit = new Promise((resolve) => server.once('exit', resolve));

let context;
let page;
const want = {
  1: 'human', 2: 'human',
  3: 'ai', 4: 'ai',
  5: 'paste', 6: 'paste',
  7: 'human',
  8: 'ai', 9: 'ai',
};
const expectedText = [
  'human_line_one = 1',
  'human_line_two = 2',
  'def answer(question):',
  '    return 42',
  "pasted_value = 'from the clipboard'",
  'second_pasted = True',
  'human_tail = 3',
  'def answer(question):',
  '    return 42',
].join('\n') + '\n';

try {
  await waitFor('code-server to listen', () => /HTTP server listening on/.test(serverLog) || server.exitCode !== null, 120_000);
  if (server.exitCode !== null) throw new Error(`code-server exited (${server.exitCode}):\n${serverLog}`);

  context = await chromium.launchPersistentContext(env('E2E_PROFILE'), {
    executablePath: env('E2E_CHROMIUM'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    viewport: { width: 1400, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${base}/?folder=${encodeURIComponent(repo)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
  console.log(`# workbench up after ${Date.now() - started} ms`);

  // Open the file through Quick Open, as a person would.
  const openFile = async (name) => {
    await waitFor(`${name} to open`, async () => {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(name);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
      await row.waitFor({ state: 'visible', timeout: 5000 });
      await page.keyboard.press('Enter');
      await page.locator(`.tab.active[data-resource-name="${name}"]`).waitFor({ timeout: 5000 });
      return true;
    }, 60_000, 500);
  };
  // The session's first file: step 0 (below) pastes into it before anything else is edited.
  const firstFile = 'first.txt';
  await openFile(firstFile);
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').click();

  // The sidecar is up and knows the file once the status bar shows its AI share.
  const status = page.locator('.statusbar-item', { hasText: /AI \d+%/ });
  await status.first().waitFor({ timeout: 60_000 });
  check(true, 'the status bar shows the AI share once the sidecar runs');

  /** Runs a command through the command palette, as a person would. */
  const runCommand = async (title) => {
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^provenant: /, '') }).first().waitFor();
    await page.keyboard.press('Enter');
  };
  const viewText = async () => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');

  // ---- the edit-source setting, the note and the journal, for the scenarios below ----
  const labelLog = (on) => outputLog().split(`edit-source labels: ${on ? 'on' : 'off'}`).length - 1;
  const setEditSources = async (on) => {
    const before = labelLog(on);
    for (const path of env('E2E_SETTINGS').split(':')) {
      const settings = JSON.parse(readFileSync(path, 'utf8'));
      if (settings['provenant.useEditSources'] === on) continue;
      settings['provenant.useEditSources'] = on;
      writeFileSync(path, JSON.stringify(settings, null, 2));
    }
    await waitFor(`provenant.useEditSources = ${on}`, () => labelLog(on) > before, 30_000);
    // Labels are delivered in code-server (typing before this carried them): with them on, the
    // accept keys are VS Code's own; off, provenant's command (the context key is set first).
    const keys = on ? "accept keys: VS Code's own" : "accept keys: provenant's command";
    await waitFor(keys, () => outputLog().lastIndexOf(keys) > outputLog().lastIndexOf('accept keys: ' + (on ? "provenant's" : "VS Code's")), 30_000);
  };
  /** HEAD's note: line number -> class for `rel`, or undefined (with a failed check). */
  const noteLines = (rel) => {
    const r = run(provenant, ['show', '--json', 'HEAD']);
    if (!check(r.code === 0, `provenant show --json HEAD (${rel})`, r.out)) return undefined;
    const f = JSON.parse(r.stdout)?.files?.[rel];
    if (!check(f && typeof f.lines === 'object', `the note lists ${rel}'s lines`, r.stdout)) return undefined;
    const got = {};
    for (const [cls, ranges] of Object.entries(f.lines)) for (const n of expand(ranges)) got[n] = cls;
    return got;
  };
  /** The journal's paths -> texts (every entry file, parsed). */
  const journal = () => {
    const dir = join(repo, '.git', 'provenant', 'journal');
    const out = {};
    if (!existsSync(dir)) return out;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      try {
        const e = JSON.parse(readFileSync(join(dir, name), 'utf8'));
        out[e.path] = e.snapshot?.text ?? e.text ?? '';
      } catch {
        /* being replaced right now: the next poll reads it */
      }
    }
    return out;
  };
  const saveAndWait = async (rel, pred, what) => {
    await page.keyboard.press('Control+S');
    await waitFor(what, () => pred(readFileSync(join(repo, rel), 'utf8')), 30_000);
  };
  /** provenant.sync, then the journal holds `rel` as saved (the commit hook reads the journal). */
  const syncSidecar = async (rel) => {
    await runCommand('provenant: Write Pending Provenance Now');
    const disk = readFileSync(join(repo, rel), 'utf8');
    await waitFor(`the journal to hold ${rel} as saved`, () => journal()[rel] === disk, 30_000);
  };
  const commit = (rel, message) => {
    let c = run('git', ['add', '-A']);
    check(c.code === 0, `git add (${rel})`, c.out);
    c = run('git', ['commit', '-q', '-m', message]);
    check(c.code === 0, `git commit (${rel})`, c.out);
  };


  // 0. A paste that is the very first edit of a session, labels on (set before code-server
  // started). Where VS Code granted the labels' API proposal (code-server does) the extension
  // knows at activation that labels will name the paste, so no provider of provenant's is
  // registered even before the first edit: the paste lands while the fixture's Shift+F9 holds
  // the extension host blocked, and is paste.
  await waitFor('the extension to say at activation that labels are granted', () => outputLog().includes('edit-source labels: granted ('), 60_000).catch((e) =>
    check(false, 'the extension says at activation that labels are granted', `${e.message}\n${outputLog()}`),
  );
  await page.evaluate((t) => navigator.clipboard.writeText(t), "first_pasted = 'first edit of the session'\n");
  const blockedMarker = join(repo, '.git', 'provenant-test-blocked');
  await page.keyboard.press('Shift+F9');
  await waitFor('the extension host to be blocked', () => existsSync(blockedMarker), 30_000);
  await page.keyboard.press('Control+V');
  const firstLanded = await waitFor('the first paste to land, the host blocked', async () => (await viewText()).includes('first_pasted ='), 15_000).then(
    () => existsSync(blockedMarker), // still blocked when it landed
    () => false,
  );
  writeFileSync(join(repo, '.git', 'provenant-test-release'), '');
  await waitFor('the extension host to be released', () => !existsSync(blockedMarker), 30_000);
  await waitFor('the first paste in the editor', async () => (await viewText()).includes('first_pasted ='), 30_000);
  await page.keyboard.type('typed_after_first = 1\n');
  await saveAndWait(firstFile, (t) => t.includes('typed_after_first = 1\n'), `${firstFile} saved`);
  await syncSidecar(firstFile);
  commit(firstFile, 'a paste as the first edit of a session');
  const firstNote = noteLines(firstFile);
  if (firstNote) {
    check(firstLanded === true && firstNote[1] === 'paste' && firstNote[2] === 'human',
      'with labels, a paste that is the first edit of a session lands while the extension host is blocked (no provider of provenant\'s registered at activation), as paste',
      `landed while blocked: ${firstLanded}\n${JSON.stringify(firstNote)}\n${readFileSync(join(repo, firstFile), 'utf8')}`);
  }
  // The scenarios below start without labels.
  await setEditSources(false);
  await openFile(file);
  await editor.locator('.view-lines').click();


  // 1. A person types two lines.
  await page.keyboard.type('human_line_one = 1\nhuman_line_two = 2\n');
  await waitFor('typed lines in the editor', async () => (await viewText()).includes('human_line_two = 2'));

  // 2. An inline completion from the test extension on the empty third line, accepted with Tab:
  // VS Code's own accept command, reached through the extension's keybinding.
  await runCommand('Trigger Inline Suggestion'); // editor.action.inlineSuggest.trigger
  await editor.locator('.ghost-text-decoration, .ghost-text').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Tab');
  await waitFor('the accepted completion in the editor', async () => (await viewText()).includes('return 42'));

  // 3. A paste of two lines.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  const clip = "pasted_value = 'from the clipboard'\nsecond_pasted = True\n";
  await page.evaluate((t) => navigator.clipboard.writeText(t), clip);
  await page.keyboard.press('Control+V');
  await waitFor('the pasted text in the editor', async () => (await viewText()).includes('second_pasted = True'));

  // 4. Undo the paste and redo it: the sidecar gets reason undo/redo and restores the origin.
  await page.keyboard.press('Control+Z');
  await waitFor('the paste to be undone', async () => !(await viewText()).includes('second_pasted'));
  await page.keyboard.press('Control+Shift+Z');
  await waitFor('the paste to be redone', async () => (await viewText()).includes('second_pasted = True'));

  // 5. A person types the last line.
  await page.keyboard.type('human_tail = 3\n');
  await waitFor('the last line in the editor', async () => (await viewText()).includes('human_tail = 3'));

  // 6. The same completion again, now with VS Code's own edit-source label turned on
  // (provenant.useEditSources; code-server enables the API proposal): the label names the
  // extension that provided the completion.
  for (const path of env('E2E_SETTINGS').split(':')) {
    const settings = JSON.parse(readFileSync(path, 'utf8'));
    settings['provenant.useEditSources'] = true;
    writeFileSync(path, JSON.stringify(settings, null, 2));
  }
  await waitFor('the extension to see provenant.useEditSources', () => outputLog().includes('edit-source labels: on'), 30_000);
  await runCommand('Trigger Inline Suggestion'); // editor.action.inlineSuggest.trigger
  await editor.locator('.ghost-text-decoration, .ghost-text').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Tab');
  await waitFor('the second accepted completion', async () => (await viewText()).split('return 42').length === 3);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');

  // The status bar follows: 4 AI lines of 9.
  await waitFor('the status bar to show AI 44%', async () => (await page.locator('.statusbar-item', { hasText: 'AI 44%' }).count()) > 0, 30_000).then(
    () => check(true, 'the status bar shows the file\'s AI share (4 of 9 lines)'),
    async (e) => check(false, 'the status bar shows the file\'s AI share (4 of 9 lines)', `${e.message}; shown: ${await status.first().innerText().catch(() => '?')}`),
  );

  // The gutter marks the AI and paste lines.
  const marks = await waitFor('gutter marks', async () => {
    const n = await editor.locator('.cgmr').count();
    return n >= 6 ? n : 0;
  }, 30_000).catch(() => 0);
  check(marks === 6, 'the gutter marks the 4 ai and 2 paste lines', `marks: ${marks}`);

  // Save, wait for the sidecar to write its journal (provenant.sync), check the file on disk.
  await page.keyboard.press('Control+S');
  await waitFor('the file saved to disk', () => readFileSync(join(repo, file), 'utf8') === expectedText, 30_000).catch((e) =>
    check(false, 'the saved file has the expected text', `${e.message}\n${readFileSync(join(repo, file), 'utf8')}`),
  );
  await runCommand('provenant: Write Pending Provenance Now');
  await page.locator('.notifications-toasts', { hasText: 'pending provenance written' }).waitFor({ timeout: 30_000 });

  // provenant.showPending: `provenant status` in the "provenant: pending" output.
  await runCommand('provenant: Show Pending Provenance');
  await waitFor('provenant status in the pending output', () => outputLog('provenant pending').includes(file), 30_000).then(
    () => check(true, 'provenant.showPending shows the pending provenance of the file'),
    (e) => check(false, 'provenant.showPending shows the pending provenance of the file', `${e.message}\n${outputLog('provenant pending')}`),
  );

  // Commit with the git CLI; the hook installed by `provenant install` writes the note.
  let r = run('git', ['add', file]);
  check(r.code === 0, 'git add', r.out);
  r = run('git', ['commit', '-q', '-m', 'edits from VS Code']);
  check(r.code === 0, 'git commit', r.out);
  r = run(provenant, ['show', '--json', 'HEAD']);
  if (check(r.code === 0, 'provenant show --json HEAD', r.out)) {
    let note;
    try {
      note = JSON.parse(r.stdout);
    } catch (e) {
      check(false, 'the note is JSON', r.out);
    }
    const f = note?.files?.[file];
    if (check(f && typeof f.lines === 'object', `the note lists ${file}'s lines`, r.stdout)) {
      const got = {};
      for (const [cls, ranges] of Object.entries(f.lines)) for (const n of expand(ranges)) got[n] = cls;
      check(JSON.stringify(got) === JSON.stringify(want), 'note classes: typed lines human, the accepted completion ai, the paste (undone and redone) paste',
        `got  ${JSON.stringify(got)}\nwant ${JSON.stringify(want)}\n${r.stdout}`);
      const origins = {};
      for (const [id, ranges] of Object.entries(f.by_origin ?? {})) {
        const o = note.origins?.[id]?.record ?? note.origins?.[id] ?? {};
        for (const n of expand(ranges)) origins[n] = `${o.class ?? 'ai'}/${o.kind}/${o.tool}`;
      }
      // Through the accept keybinding alone the fixture is no tool the extension knows:
      // `unknown`, never a guess; VS Code's edit-source label names the providing extension.
      const wantOrigins = { 3: 'ai/completion/unknown', 4: 'ai/completion/unknown', 8: 'ai/completion/provenant-test.inline-fixture', 9: 'ai/completion/provenant-test.inline-fixture' };
      check(JSON.stringify(origins) === JSON.stringify(wantOrigins), 'the AI lines name their completion: tool unknown from the accept key, the extension from the edit-source label',
        `got  ${JSON.stringify(origins)}\nwant ${JSON.stringify(wantOrigins)}`);
    }
  }

  // 7. Issue 9 §2: Tab, End, Enter and `typed_now = 1` with no pause between keys, right after a
  // suggestion shows, many times, without and with VS Code's edit-source labels. The workbench
  // handles the keys while the extension host runs the accept command; the typed line must
  // never be credited to the AI, and an accepted completion must still be.
  // Without labels, Tab goes through provenant's accept command on the extension host: when
  // that host is busy (the fixture's F9, or a loaded machine) the keys after Tab dismiss the
  // suggestion first and the accept may not happen at all, so those rounds prove only that what
  // was accepted is ai; two more rounds wait for the accept to land before typing. With labels,
  // Tab is VS Code's own accept, in the editor at the key: every one of those rounds accepts.
  const race = 'race.txt';
  await openFile(race);
  await editor.locator('.view-lines').click();
  const rounds = Number(process.env.E2E_ACCEPT_ROUNDS ?? 8);
  const plan = [];
  for (const labels of [false, true]) {
    for (let i = 0; i < rounds; i++) plan.push({ labels, busy: i % 2 === 1, waited: false });
    if (!labels) for (let i = 0; i < 2; i++) plan.push({ labels, busy: false, waited: true });
  }
  const kindOf = (p) => (p.labels ? 'labels' : p.waited ? 'waited' : 'race');
  let typedLines = 0;
  const accepts = () => readFileSync(join(repo, race), 'utf8').split('def answer(question):').length - 1;
  for (const p of plan) {
    if (typedLines === 0 || plan[typedLines - 1].labels !== p.labels) await setEditSources(p.labels);
    // editor.action.inlineSuggest.trigger through a key (Alt+F9, the fixture's keybinding: VS Code
    // gives it none); the scenarios above and below reach it through the command palette, which
    // costs about a second a time, and here it is done 18 times.
    await page.keyboard.press('Alt+F9');
    await editor.locator('.ghost-text-decoration, .ghost-text').first().waitFor({ timeout: 30_000 });
    // The extension host kept busy when Tab is pressed: the keys after it are handled before
    // a wrapped accept command runs.
    if (p.busy) await page.keyboard.press('F9');
    const before = (await viewText()).split('return 42').length;
    await page.keyboard.press('Tab');
    if (p.waited) await waitFor('the accept to land', async () => (await viewText()).split('return 42').length > before, 30_000);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('typed_now = 1');
    await page.keyboard.press('Enter');
    typedLines++;
    await saveAndWait(race, (t) => t.split('typed_now = 1').length - 1 === typedLines, `round ${typedLines} saved`);
  }
  await syncSidecar(race);
  commit(race, 'keys typed right after accepts');
  const raceNote = noteLines(race);
  if (raceNote) {
    const text = readFileSync(join(repo, race), 'utf8');
    const lines = text.split('\n');
    const typedWrong = [];
    const accepted = { race: [0, 0], waited: [0, 0], labels: [0, 0] }; // kind -> [ai, accepted]
    const perKind = { race: 0, waited: 0, labels: 0 };
    for (const p of plan) perKind[kindOf(p)]++;
    let round = 0;
    for (let i = 0; i < lines.length; i++) {
      const n = i + 1;
      if (lines[i] === 'typed_now = 1') {
        if (raceNote[n] !== 'human') typedWrong.push(`${n}:${raceNote[n]}`);
        round++;
      } else if (lines[i] === 'def answer(question):' && round < plan.length) {
        const a = accepted[kindOf(plan[round])];
        a[1]++;
        if (raceNote[n] === 'ai' && raceNote[n + 1] === 'ai') a[0]++;
      }
    }
    const said = Object.entries(accepted).map(([k, [ai, n]]) => `${k} ${ai} of ${n} ai (${perKind[k]} rounds)`).join(', ');
    console.log(`# accepts: ${said}; ${accepts()} completions in the file`);
    const detail = `${said}\n${JSON.stringify(raceNote)}\n${JSON.stringify(text)}`;
    check(round === plan.length && typedWrong.length === 0, `no line typed right after an accept is credited to the AI (${plan.length} rounds)`,
      `wrong: ${typedWrong.join(' ')}\n${detail}`);
    check(Object.values(accepted).every(([ai, n]) => ai === n), 'every accepted completion is ai (the accept\'s own edit is captured)', detail);
    check(accepted.waited[1] === perKind.waited, 'without labels, an accept waited for lands (provenant\'s accept command)', detail);
    check(accepted.labels[1] === perKind.labels, 'with labels, every Tab accepts at once, the extension host busy or not (VS Code\'s own accept)', detail);
  }

  /** provenant.useEditSources set to `on`, if it is not already (setEditSources waits for a change). */
  const ensureEditSources = async (on) => {
    const now = JSON.parse(readFileSync(env('E2E_SETTINGS').split(':')[0], 'utf8'))['provenant.useEditSources'];
    if (now !== on) await setEditSources(on);
  };
  /** HEAD's note: line number -> `class/tool` of the line's origin record, for `rel`. */
  const noteTools = (rel) => {
    const note = JSON.parse(run(provenant, ['show', '--json', 'HEAD']).stdout || '{}');
    const out = {};
    for (const [id, ranges] of Object.entries(note?.files?.[rel]?.by_origin ?? {})) {
      const o = note.origins?.[id]?.record ?? note.origins?.[id] ?? {};
      for (const n of expand(ranges)) out[n] = `${o.class ?? 'ai'}/${o.tool}`;
    }
    return out;
  };

  // 7b. Issue 9: a paste, then keys typed at once (no pause), with and without VS Code's
  // edit-source labels, the extension host idle and busy (F9). The first key, `}`, is a
  // character of the pasted text. VS Code's editor pastes asynchronously while
  // `editor.pasteAs.enabled` is on (its default): it first reads the clipboard's resources
  // (`navigator.clipboard.read()` in the browser) and runs the paste providers, and cancels the
  // paste when the text or the cursor changes meanwhile, whatever extensions are installed. So
  // in paste.txt a paste followed at once by keys may be lost (a gap), with labels too; only the
  // rounds that wait for the paste must land. In paste.ini `editor.pasteAs.enabled` is off
  // (a language setting from scripts/test-vscode.sh): VS Code pastes in the key's own event
  // and, with labels, every paste there lands at once, host busy or not. Whatever was pasted
  // is `paste`; nothing typed is.
  const pasteStarted = Date.now();
  const pasteFile = 'paste.txt';
  const atKeyFile = 'paste.ini';
  const pastePlan = [];
  const raceRounds = Number(process.env.E2E_PASTE_ROUNDS ?? 1); // per combination of labels and busy
  for (const labels of [false, true]) for (const busy of [false, true]) for (let i = 0; i < raceRounds; i++) pastePlan.push({ file: pasteFile, labels, busy, kind: 'race' });
  for (const labels of [false, true]) pastePlan.push({ file: pasteFile, labels, busy: false, kind: 'waited' });
  // With labels provenant registers no paste provider: the paste needs nothing of the extension
  // host, and lands while the fixture's Shift+F9 holds that host blocked.
  pastePlan.push({ file: pasteFile, labels: true, busy: false, kind: 'blocked' });
  let landedWhileBlocked;
  for (let i = 0; i < 4; i++) pastePlan.push({ file: atKeyFile, labels: true, busy: i % 2 === 1, kind: 'atKey' });
  const pasteRound = async (n, p) => {
    await ensureEditSources(p.labels);
    await page.keyboard.press('Control+End');
    await page.evaluate((t) => navigator.clipboard.writeText(t), `pasted_${n} = {'k': ${n}}\n`);
    if (p.busy) await page.keyboard.press('F9');
    if (p.kind === 'blocked') {
      await page.keyboard.press('Shift+F9');
      await waitFor('the extension host to be blocked', () => existsSync(blockedMarker), 30_000);
    }
    await page.keyboard.press('Control+V');
    if (p.kind === 'waited') await waitFor(`paste ${n} to land`, async () => (await viewText()).includes(`pasted_${n} =`), 30_000);
    if (p.kind === 'blocked') {
      landedWhileBlocked = await waitFor(`paste ${n} to land, the host blocked`, async () => (await viewText()).includes(`pasted_${n} =`), 15_000).then(
        () => existsSync(blockedMarker), // still blocked when it landed
        () => false,
      );
      writeFileSync(join(repo, '.git', 'provenant-test-release'), '');
      await waitFor('the extension host to be released', () => !existsSync(blockedMarker), 30_000);
    }
    await page.keyboard.type(`}\ntyped_after_${n} = 1\n`);
    await saveAndWait(p.file, (t) => t.includes(`typed_after_${n} = 1\n`), `paste round ${n} saved`);
  };
  await openFile(pasteFile);
  await editor.locator('.view-lines').click();
  for (const [i, p] of pastePlan.entries()) if (p.file === pasteFile) await pasteRound(i + 1, p);
  // Two cursors, a two-line clipboard, no labels: VS Code spreads a line to each cursor in one
  // change event; that is the paste's own edit, and both lines are paste.
  await ensureEditSources(false);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('a=\nb=');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await runCommand('Add Cursor Below'); // editor.action.insertCursorBelow
  await page.evaluate((t) => navigator.clipboard.writeText(t), "'spread over the first cursor'\n'spread over the second cursor'");
  await page.keyboard.press('Control+V');
  await waitFor('the paste spread over two cursors', async () => (await viewText()).includes("b='spread over the second cursor'"), 30_000);
  await page.keyboard.press('Escape');
  await saveAndWait(pasteFile, (t) => t.endsWith("b='spread over the second cursor'"), 'the multi-cursor paste saved');
  await openFile(atKeyFile);
  await editor.locator('.view-lines').click();
  for (const [i, p] of pastePlan.entries()) if (p.file === atKeyFile) await pasteRound(i + 1, p);
  await syncSidecar(pasteFile);
  await syncSidecar(atKeyFile);
  commit(pasteFile, 'pastes with keys typed right after');
  const pasteNotes = { [pasteFile]: noteLines(pasteFile), [atKeyFile]: noteLines(atKeyFile) };
  if (pasteNotes[pasteFile] && pasteNotes[atKeyFile]) {
    const typedWrong = [];
    const pastes = { race: [0, 0], waited: [0, 0], blocked: [0, 0], atKey: [0, 0] }; // kind -> [landed as paste, rounds]
    for (const p of pastePlan) pastes[p.kind][1]++;
    const texts = [];
    for (const rel of [pasteFile, atKeyFile]) {
      const note = pasteNotes[rel];
      const text = readFileSync(join(repo, rel), 'utf8');
      texts.push(`${rel}: ${JSON.stringify(note)}\n${text}`);
      for (const [i, line] of text.split('\n').entries()) {
        const cls = note[i + 1];
        if (line === '}' || /^typed_after_\d+ = 1$/.test(line)) {
          if (cls !== 'human') typedWrong.push(`${rel}:${i + 1}:${line}:${cls}`);
        } else if (/^pasted_(\d+) = /.test(line)) {
          const p = pastePlan[Number(/^pasted_(\d+)/.exec(line)[1]) - 1];
          if (cls === 'paste') pastes[p.kind][0]++;
          else typedWrong.push(`${rel}:${i + 1}:${line}:${cls} (pasted)`);
        }
      }
    }
    const lines = readFileSync(join(repo, pasteFile), 'utf8').split('\n');
    const spread = lines.flatMap((l, i) => (/^[ab]='spread/.test(l) ? [pasteNotes[pasteFile][i + 1]] : []));
    check(JSON.stringify(spread) === '["paste","paste"]', 'a paste spread over two cursors is paste on both lines', JSON.stringify(spread));
    const said = Object.entries(pastes).map(([k, [ok, n]]) => `${k} ${ok} of ${n}`).join(', ');
    const raceSaid = pastePlan.flatMap((p, i) => (p.kind === 'race' ? [`${i + 1}(${p.labels ? 'labels' : 'no labels'}${p.busy ? ', busy' : ''}): ${texts.join('\n').includes(`pasted_${i + 1} =`) ? 'landed' : 'lost'}`] : []));
    console.log(`# pastes landed as paste: ${said}; keys at once, pasteAs on: ${raceSaid.join(', ')} (${Date.now() - pasteStarted} ms)`);
    const detail = `${said}\n${texts.join('\n')}`;
    check(typedWrong.length === 0, `keys typed right after a paste are human, what was pasted is paste (${pastePlan.length} rounds)`, `wrong: ${typedWrong.join(' ')}\n${detail}`);
    check(pastes.waited[0] === pastes.waited[1], 'a paste waited for lands as paste, with and without labels', detail);
    check(landedWhileBlocked === true && pastes.blocked[0] === pastes.blocked[1],
      'with labels, a paste lands while the extension host is blocked (no provider of provenant\'s in its path), as paste', `landed while blocked: ${landedWhileBlocked}\n${detail}`);
    check(pastes.atKey[0] === pastes.atKey[1],
      'with editor.pasteAs.enabled off and labels, every paste followed at once by keys lands, as paste (host busy or not)', detail);
  }

  // 7c. Issue 9: a chat agent's command run through provenant.runAs (the fixture's F10) edits
  // the file while the person types a line into it: the agent's two lines are ai (its origin),
  // the typed line human, with and without labels, the extension host idle and busy.
  const chatStarted = Date.now();
  const chatFile = 'chat.txt';
  await openFile(chatFile);
  await editor.locator('.view-lines').click();
  const chatPlan = [];
  for (const labels of [false, true]) for (const busy of [false, true]) chatPlan.push({ labels, busy });
  for (const [i, p] of chatPlan.entries()) {
    const n = i + 1;
    await ensureEditSources(p.labels);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('F10');
    await waitFor(`the agent's first line (${n})`, async () => (await viewText()).includes(`agent_first_${n} = 1`), 30_000);
    if (p.busy) await page.keyboard.press('F9');
    await page.keyboard.type(`typed_during_${n} = ${n}\n`);
    await waitFor(`the agent's second line (${n})`, async () => (await viewText()).includes(`agent_second_${n} = 2`), 30_000);
    await saveAndWait(chatFile, (t) => t.includes(`agent_second_${n} = 2`) && t.includes(`typed_during_${n} = ${n}\n`), `chat round ${n} saved`);
  }
  await syncSidecar(chatFile);
  commit(chatFile, 'a chat agent edits while the person types');
  const chatNote = noteLines(chatFile);
  console.log(`# runAs rounds: ${Date.now() - chatStarted} ms`);
  if (chatNote) {
    const tools = noteTools(chatFile);
    const lines = readFileSync(join(repo, chatFile), 'utf8').split('\n');
    const wrong = [];
    for (const [i, line] of lines.entries()) {
      const n = i + 1;
      if (/^typed_during_/.test(line) && chatNote[n] !== 'human') wrong.push(`${n}:${line}:${chatNote[n]}`);
      if (/^agent_/.test(line) && (chatNote[n] !== 'ai' || tools[n] !== 'ai/test-agent')) wrong.push(`${n}:${line}:${chatNote[n]}:${tools[n]}`);
    }
    check(lines.filter((l) => /^(typed_during|agent)_/.test(l)).length === 3 * chatPlan.length && wrong.length === 0,
      `runAs: the command's edits are ai (its origin), keys typed while it runs human (${chatPlan.length} rounds)`,
      `wrong: ${wrong.join(' ')}\n${JSON.stringify(chatNote)}\n${JSON.stringify(tools)}\n${lines.join('\n')}`);
  }

  // 8. Issue 9 §5: Sort Lines Ascending over an ai, a paste and a human line, its undo and its
  // redo, then the commit: every line keeps its class (no new characters).
  await setEditSources(false);
  const sorted = 'sort.txt';
  await openFile(sorted);
  await editor.locator('.view-lines').click();
  await page.keyboard.type('zeta_human = 1\n');
  await page.evaluate((t) => navigator.clipboard.writeText(t), 'beta_paste = 2\n');
  await page.keyboard.press('Control+V');
  await waitFor('the pasted line', async () => (await viewText()).includes('beta_paste = 2'));
  await runCommand('Trigger Inline Suggestion');
  await editor.locator('.ghost-text-decoration, .ghost-text').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Tab');
  await waitFor('the accepted completion', async () => (await viewText()).includes('return 42'));
  const sortedText = '    return 42\nbeta_paste = 2\ndef answer(question):\nzeta_human = 1';
  await page.keyboard.press('Control+A');
  await runCommand('Sort Lines Ascending'); // editor.action.sortLinesAscending
  await waitFor('the sorted lines', async () => (await viewText()).startsWith('    return 42'));
  await page.keyboard.press('Control+Z');
  await waitFor('the sort undone', async () => (await viewText()).startsWith('zeta_human'));
  await page.keyboard.press('Control+Shift+Z');
  await waitFor('the sort redone', async () => (await viewText()).startsWith('    return 42'));
  await saveAndWait(sorted, (t) => t === sortedText, 'sort.txt saved sorted');
  await syncSidecar(sorted);
  commit(sorted, 'sorted lines');
  const sortNote = noteLines(sorted);
  if (sortNote) {
    const wantSort = { 1: 'ai', 2: 'paste', 3: 'ai', 4: 'human' };
    check(JSON.stringify(sortNote) === JSON.stringify(wantSort),
      'Sort Lines Ascending, its undo and its redo keep every line\'s class, into the note',
      `got  ${JSON.stringify(sortNote)}\nwant ${JSON.stringify(wantSort)}`);
  }

  // 9. Issue 9 §6: rename the file in the explorer with pending work (a completion and a typed
  // line): the provenance moves to the new name (workspace/didRenameFiles, or close + open of
  // the same text), nothing stays under the old one, and the commit's note has it.
  await editor.locator('.view-lines').click(); // focus back in the editor after the palette, no selection
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await runCommand('Trigger Inline Suggestion');
  await editor.locator('.ghost-text-decoration, .ghost-text').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Tab');
  await waitFor('the accepted completion', async () => (await viewText()).split('return 42').length === 3);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('moved_human = 5');
  await saveAndWait(sorted, (t) => t.endsWith('moved_human = 5'), 'sort.txt saved with pending work');
  await syncSidecar(sorted);
  const renamed = 'moved.txt';
  await page.keyboard.press('Control+Shift+E'); // the explorer
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: sorted }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.keyboard.press('F2');
  const box = page.locator('.explorer-folders-view .monaco-inputbox input');
  await box.waitFor({ timeout: 10_000 });
  await box.fill(renamed);
  await page.keyboard.press('Enter');
  await waitFor('the file renamed on disk', () => existsSync(join(repo, renamed)) && !existsSync(join(repo, sorted)), 30_000);
  await page.locator(`.tab.active[data-resource-name="${renamed}"]`).waitFor({ timeout: 30_000 });
  await editor.locator('.view-lines').click(); // back from the explorer: the palette opens from the editor
  await runCommand('provenant: Write Pending Provenance Now');
  await waitFor('the journal entry under the new name only', () => {
    const j = journal();
    return j[renamed] !== undefined && j[sorted] === undefined;
  }, 30_000).then(
    () => check(true, 'an explorer rename moves the pending provenance and leaves no entry under the old name'),
    (e) => check(false, 'an explorer rename moves the pending provenance and leaves no entry under the old name', `${e.message}\n${JSON.stringify(Object.keys(journal()))}`),
  );
  commit(renamed, 'renamed in the explorer');
  const movedNote = noteLines(renamed);
  if (movedNote) {
    check(movedNote[5] === 'ai' && movedNote[6] === 'ai' && movedNote[7] === 'human',
      'after the rename the note has the pending completion (ai) and the typed line (human)', JSON.stringify(movedNote));
  }

} catch (e) {
  check(false, 'the scenario ran to the end', e.stack ?? String(e));
} finally {
  if (failed && page) {
    await page.screenshot({ path: join(artifacts, 'e2e-failure.png') }).catch(() => {});
    writeFileSync(join(artifacts, 'code-server.log'), serverLog);
    console.log(`# screenshot and code-server log in ${artifacts}; extension logs under ${env('E2E_USER_DATA')}/logs`);
  }
  await context?.close().catch(() => {});
  server.kill('SIGTERM');
  await Promise.race([serverExit, new Promise((r) => setTimeout(r, 5000))]);
  if (server.exitCode === null) server.kill('SIGKILL');
}
console.log(`# ${Date.now() - started} ms`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
