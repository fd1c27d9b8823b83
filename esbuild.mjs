// Bundles every entry point into dist/. Type-checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const common = { bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

// Packages the server and the CLI load only when first used, from dist/vendor/: the openai SDK (a turn)
// and yaml (the first document parsed). Bundled in, V8 would compile them on every start before
// `initialize` is answered (about a third of the bundle).
const lazyPackages = ['openai', 'yaml'];

/**
 * Replaces each lazy package with a stand-in whose exports are getters that require dist/vendor/<name>.js
 * on first access. esbuild reads an imported name at each use (`import_yaml.isMap(x)`), never at import,
 * so no source file changes and nothing is loaded until a function of the package is called.
 */
const lazyRequire = {
  name: 'lazy-require',
  setup(build) {
    const filter = new RegExp(`^(${lazyPackages.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-require' }));
    build.onResolve({ filter: /^\.\/vendor\// }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-require' }, async (args) => ({ contents: await standIn(args.path), loader: 'js' }));
  },
};

async function standIn(name) {
  const real = createRequire(import.meta.url)(name);
  const getters = Object.keys(real).map((key) => `Object.defineProperty(exports, ${JSON.stringify(key)}, { enumerable: true, get: () => load()[${JSON.stringify(key)}] });`);
  const esModule = real.__esModule ? 'Object.defineProperty(exports, "__esModule", { value: true });' : '';
  return `let loaded;\nconst load = () => (loaded ??= require("./vendor/${name}.js"));\n${esModule}\n${getters.join('\n')}\n`;
}

const builds = [
  // VS Code extension host: `vscode` is provided by the host.
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  // Language server: stdio or node-ipc; runnable as `prompt-chain-language-server --stdio`.
  { ...common, entryPoints: { server: 'server/src/main.ts' }, banner: { js: '#!/usr/bin/env node' }, plugins: [lazyRequire] },
  // CLI: `prompt-chain check|run|memory`.
  { ...common, entryPoints: { cli: 'cli/src/main.ts' }, banner: { js: '#!/usr/bin/env node' }, plugins: [lazyRequire] },
  // The lazy packages themselves, each bundled on its own.
  ...lazyPackages.map((name) => ({ ...common, sourcemap: false, entryPoints: { [`vendor/${name}`]: createRequire(import.meta.url).resolve(name) } })),
  // Tokenizer tables for the context-window rule, loaded at run time from dist/tokenizer/ (bundled into
  // the server they would add ~6 MB and ~40 ms to every start).
  ...['o200k_base', 'cl100k_base'].map((name) => ({
    ...common,
    sourcemap: false,
    entryPoints: { [`tokenizer/${name}`]: `node_modules/gpt-tokenizer/cjs/encoding/${name}.js` },
  })),
  // Chat panel script, runs inside the webview. In a folder of its own: the webview may load from that folder
  // (localResourceRoots) and from media/, never from the rest of dist/ (server.js, cli.js, the .vsix).
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { 'webview/main': 'client/webview/main.ts' } },
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
  linkOwnBins(fs);
}

// npm links the bins of dependencies into node_modules/.bin, never the package's own: link them, so that
// `npx prompt-chain` and `npx prompt-chain-language-server` work in this checkout after set-up.
function linkOwnBins(fs) {
  const { bin } = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  fs.mkdirSync('node_modules/.bin', { recursive: true });
  for (const [name, target] of Object.entries(bin)) {
    const link = `node_modules/.bin/${name}`;
    fs.rmSync(link, { force: true });
    fs.symlinkSync(`../../${target}`, link);
  }
}
