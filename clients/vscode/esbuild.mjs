// Bundles the extension (dist/extension.js) and, with --tests, the unit tests (out/test/).
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const tests = process.argv.includes('--tests');
const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: true, logLevel: 'warning' };

if (tests) {
  const entries = readdirSync('test/unit').filter((f) => f.endsWith('.test.ts')).map((f) => `test/unit/${f}`);
  // The pure modules under test never import 'vscode'; marking it external makes any that do fail loudly.
  await esbuild.build({ ...common, entryPoints: entries, outdir: 'out/test', external: ['vscode'] });
} else {
  await esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: process.argv.includes('--minify'),
  });
}
