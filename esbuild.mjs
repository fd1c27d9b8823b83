// Bundles every entry point into dist/. Type-checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const common = { bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

// Packages the server and the CLI load only when first used, from dist/vendor/: the openai SDK (a turn),
// yaml (the first document parsed), and the history stores' drivers, pg and @redis/client (a postgres or
// redis store opened; together 1.5 times the CLI). Bundled in, V8 would compile them on every start
// before `initialize` is answered (about a third of the bundle).
const lazyPackages = ['openai', 'yaml', 'pg', '@redis/client'];

// Node built-ins the server bundle requires at its top but uses only later: child_process (vscode-languageserver's
// global-module lookup, never called here), crypto and os (a conversation's file name, a lock), fs/promises (reading
// a file, storing a turn). Node does not preload them, and loading them took 10-20 ms of every start before
// `initialize` was answered (measured on Node 20). net is left out: stdin and the IPC channel load it anyway.
const lazyBuiltins = ['child_process', 'crypto', 'os', 'fs/promises'];

// Native addons cannot be bundled: left to `require` at run time (core/history/stores/sqlite.ts loads
// better-sqlite3 only when a sqlite history URL is used, and says so clearly where it cannot load).
const nativeAddons = ['better-sqlite3'];
// node-llama-cpp is never bundled nor installed with Prompt Chain: core/model/local/runtime.ts finds and imports it
// on the first local turn (beside Prompt Chain, or in the user's runtime folder).

/**
 * Replaces each lazy module with a stand-in whose exports are getters that require the real one on first access.
 * esbuild reads an imported name at each use (`import_yaml.isMap(x)`), never at import, so no source file changes
 * and nothing is loaded until a function of the module is called.
 */
function lazyRequire(packages, builtins = []) {
  const escape = (name) => name.replace(/[/.]/g, '\\$&');
  return {
    name: 'lazy-require',
    setup(build) {
      const packageFilter = new RegExp(`^(${packages.map(escape).join('|')})$`);
      build.onResolve({ filter: packageFilter, namespace: 'file' }, (args) => ({ path: `./vendor/${args.path}.js`, namespace: 'lazy-require', pluginData: args.path }));
      if (builtins.length > 0) {
        const builtinFilter = new RegExp(`^(node:)?(${builtins.map(escape).join('|')})$`);
        build.onResolve({ filter: builtinFilter, namespace: 'file' }, (args) => ({ path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'lazy-require', pluginData: args.path }));
      }
      // The stand-ins' own requires: the real module, at run time.
      build.onResolve({ filter: /^(\.\/vendor\/|node:)/, namespace: 'lazy-require' }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({ contents: standIn(args.pluginData, args.path), loader: 'js' }));
    },
  };
}

/** A module whose exports load `target` on first access; the names are those of `name` as installed here. */
function standIn(name, target) {
  const real = createRequire(import.meta.url)(name);
  const getters = Object.keys(real).map((key) => `Object.defineProperty(exports, ${JSON.stringify(key)}, { enumerable: true, get: () => load()[${JSON.stringify(key)}] });`);
  const esModule = real.__esModule ? 'Object.defineProperty(exports, "__esModule", { value: true });' : '';
  return `let loaded;\nconst load = () => (loaded ??= require(${JSON.stringify(target)}));\n${esModule}\n${getters.join('\n')}\n`;
}

// CommonJS packages our modules import names from. esbuild gives each importing file its own copy of such a
// package's exports (__toESM: a getter per name, 306 names for vscode-languageserver, imported by 9 files): 4,000
// property definitions before `initialize`. Each is imported once instead, by a module that takes the names out.
const sharedImports = ['vscode-languageserver', 'vscode-languageserver/node'];

/** Resolves each shared package, imported from our sources, to one module exporting its names as constants. */
function importOnce(packages) {
  const filter = new RegExp(`^(${packages.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'import-once',
    setup(build) {
      build.onResolve({ filter, namespace: 'file' }, (args) => (/node_modules/.test(args.importer) ? undefined : { path: args.path, namespace: 'import-once' }));
      build.onLoad({ filter: /.*/, namespace: 'import-once' }, (args) => {
        const names = Object.keys(createRequire(import.meta.url)(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
        const contents = `const shared = require(${JSON.stringify(args.path)});\nexport const { ${names.join(', ')} } = shared;\n`;
        return { contents, loader: 'js', resolveDir: process.cwd() };
      });
    },
  };
}

/** Builds dist/server.js, the boot, after each build of dist/serverMain.js (in watch mode too), keyed by its hash. */
const bootAfterServer = {
  name: 'boot-after-server',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      const fs = await import('node:fs');
      const { createHash } = await import('node:crypto');
      const bundleHash = createHash('sha256').update(fs.readFileSync('dist/serverMain.js')).digest('hex').slice(0, 16);
      await esbuild.build({
        ...common,
        sourcemap: false,
        entryPoints: { server: 'server/src/boot.ts' },
        outdir: 'dist',
        banner: { js: '#!/usr/bin/env node' },
        define: { SERVER_BUNDLE_HASH: JSON.stringify(bundleHash) },
      });
      fs.chmodSync('dist/server.js', 0o755);
    });
  },
};

const builds = [
  // VS Code extension host: `vscode` is provided by the host.
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  // Language server: stdio or node-ipc; runnable as `prompt-chain-language-server --stdio`. The server itself is
  // dist/serverMain.js; dist/server.js, the entry point, runs it through V8's code cache (server/src/boot.ts) and is
  // built once serverMain.js is written, with that bundle's hash (the cache's key).
  { ...common, entryPoints: { serverMain: 'server/src/main.ts' }, external: nativeAddons, plugins: [importOnce(sharedImports), lazyRequire(lazyPackages, lazyBuiltins), bootAfterServer] },
  // The server's tokenizer worker (server/src/tokenizer/worker.ts): loads one encoding and counts for the server.
  { ...common, entryPoints: { tokenizerWorker: 'server/src/tokenizer/worker.ts' } },
  // CLI: `prompt-chain check|run|memory`.
  { ...common, entryPoints: { cli: 'cli/src/main.ts' }, external: nativeAddons, banner: { js: '#!/usr/bin/env node' }, plugins: [lazyRequire(lazyPackages)] },
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

// ─── The package as a library (`prompt-chain`, `prompt-chain/langchain`) ──────────────────────────────────────
// Each entry twice: dist/<name>.mjs (ESM) and dist/<name>.cjs (CommonJS), next to cli.js so they share its
// dist/vendor/ (openai and yaml, loaded on first use) and dist/tokenizer/. The LangChain.js packages are the
// consumer's (optional peer dependencies): left external, and loaded the way the consumer loads them
// (lib/peers.ts, keyed by PROMPT_CHAIN_MODULE_FORMAT). The ESM bundle gets the `require`, `__filename` and
// `__dirname` its CommonJS dependencies and the tokenizer's lookup use. Types: dist/types/ (libraryTypes below).
const libraryEntries = { lib: 'lib/index.ts', langchain: 'lib/langchain.ts' };
const esmShims = [
  "import { createRequire as __pcCreateRequire } from 'node:module';",
  "import { fileURLToPath as __pcFileURLToPath } from 'node:url';",
  "import { dirname as __pcDirname } from 'node:path';",
  'const require = __pcCreateRequire(import.meta.url);',
  'const __filename = __pcFileURLToPath(import.meta.url);',
  'const __dirname = __pcDirname(__filename);',
].join('\n');
const libraryBuilds = Object.entries(libraryEntries).flatMap(([name, entry]) =>
  ['cjs', 'esm'].map((format) => ({
    ...common,
    sourcemap: false,
    format,
    entryPoints: { [name]: entry },
    outExtension: { '.js': format === 'esm' ? '.mjs' : '.cjs' },
    external: ['@langchain/*', ...nativeAddons],
    define: { PROMPT_CHAIN_MODULE_FORMAT: JSON.stringify(format) },
    plugins: [lazyRequire(lazyPackages)],
    ...(format === 'esm' && { banner: { js: esmShims } }),
  })),
);
// The declarations, emitted while the other bundles build (a one-off build only: watch mode leaves them as they are).
const libraryTypesAfterBuild = {
  name: 'library-types',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length === 0 && !watch) await libraryTypes(await import('node:fs'), await import('node:path'));
    });
  },
};
libraryBuilds[0].plugins.push(libraryTypesAfterBuild);
builds.push(...libraryBuilds);

/**
 * The library's declarations: tsc emits those of lib/ and everything it imports (lib/tsconfig.json, incremental,
 * into out/lib-types/), and only the files the two entries' types reach are copied to dist/types/, twice: as
 * .d.ts (CommonJS, the `require` condition) and as .d.mts with `.mjs` specifiers (ES module, the `import`
 * condition). One set would not do: the types of LangChain.js's classes differ by how they are resolved
 * (its .d.cts or its .d.ts), and a CommonJS declaration read by an ES module consumer would hand it the
 * other copy's ChatPromptTemplate, which TypeScript refuses to mix with its own.
 */
async function libraryTypes(fs, path) {
  const { execFile } = await import('node:child_process');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await new Promise((resolve, reject) => {
    execFile(process.execPath, [tsc, '-p', 'lib/tsconfig.json'], (error, stdout) => (error ? reject(new Error(`tsc -p lib/tsconfig.json failed:\n${stdout}`)) : resolve()));
  });
  const emitted = 'out/lib-types';
  fs.rmSync('dist/types', { recursive: true, force: true });
  const pending = ['lib/index', 'lib/langchain'];
  const copied = new Set();
  while (pending.length > 0) {
    const module = pending.pop();
    if (copied.has(module)) continue;
    copied.add(module);
    const text = fs.readFileSync(path.join(emitted, `${module}.d.ts`), 'utf8');
    const relative = /((?:from\s+|import\()\s*')(\.{1,2}\/[^']+)'/g;
    const targetOf = (specifier) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(module), specifier));
      return fs.existsSync(path.join(emitted, `${target}.d.ts`)) ? target : `${target}/index`;
    };
    const esm = text.replace(relative, (_, head, specifier) => {
      const target = targetOf(specifier);
      pending.push(target);
      return `${head}${path.posix.relative(path.posix.dirname(module), target).replace(/^(?!\.)/, './')}.mjs'`;
    });
    fs.mkdirSync(path.dirname(path.join('dist/types', module)), { recursive: true });
    fs.writeFileSync(path.join('dist/types', `${module}.d.ts`), text);
    fs.writeFileSync(path.join('dist/types', `${module}.d.mts`), esm);
  }
}

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
