// Pure (no 'vscode' import): checks that the configured provenant program runs and is new enough.
import { execFile } from 'node:child_process';
import { MIN_SERVER_VERSION, parseVersion, versionAtLeast } from './protocol';

/** Why the sidecar is not running, with the fix to show the user. */
export interface SidecarProblem {
  message: string;
}

/** Runs `program --version`: its version, or a problem that says what to do. */
export function checkProgram(program: string): Promise<{ version: string } | { problem: SidecarProblem }> {
  return new Promise((resolve) => {
    execFile(program, ['--version'], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        const why = String(stderr).trim().split('\n')[0] || `exit code ${String(err.code ?? err.signal ?? '?')}`;
        const message = missing
          ? `provenant: the program "${program}" was not found. Install provenant (see its README) and put it on PATH, or set "provenant.path" to its full path.`
          : `provenant: "${program} --version" failed (${why}). Check the "provenant.path" setting.`;
        resolve({ problem: { message } });
        return;
      }
      const version = parseVersion(stdout);
      if (!version || !versionAtLeast(version, MIN_SERVER_VERSION)) {
        resolve({
          problem: {
            message: `provenant: "${program}" is version ${stdout.trim() || '(none)'}; this extension needs ${MIN_SERVER_VERSION} or newer. Upgrade provenant, or point "provenant.path" at a newer one.`,
          },
        });
        return;
      }
      resolve({ version: version.join('.') });
    });
  });
}
