// Bundles every entry point into dist/. Type-checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

const builds = [
  // VS Code extension host: `vscode` is provided by the host.
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  // Language server: stdio or node-ipc; runnable as `prompt-chain-language-server --stdio`.
  { ...common, entryPoints: { server: 'server/src/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
  // CLI: `prompt-chain check|run|memory`.
  { ...common, entryPoints: { cli: 'cli/src/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
  // Chat panel script, runs inside the webview.
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { webview: 'client/webview/main.ts' } },
];

const existing = [];
for (const b of builds) {
  const entry = Object.values(b.entryPoints)[0];
  const fs = await import('node:fs');
  if (fs.existsSync(entry)) existing.push({ ...b, outdir: 'dist' });
}
if (watch) {
  for (const b of existing) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(existing.map((b) => esbuild.build(b)));
  const fs = await import('node:fs');
  for (const bin of ['dist/cli.js', 'dist/server.js']) if (fs.existsSync(bin)) fs.chmodSync(bin, 0o755);
}
