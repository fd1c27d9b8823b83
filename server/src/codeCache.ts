// Runs a CommonJS bundle with V8's code cache, kept per user in `$XDG_CACHE_HOME/prompt-chain/`. Compiling the
// server bundle (and each of its modules on first call) was a third of what a start costs before `initialize` is
// answered; with the cache V8 deserializes the compiled code instead. Node 20 has no module.enableCompileCache
// (22.1), hence vm.Script and cachedData.
//
// The cache is only ever an optimisation: missing, unreadable, not ours, rejected by V8 (another node, other V8
// flags, a truncated or foreign file) or unwritable, the bundle is compiled from source as without it. A file is
// named by the bundle's content hash and the runtime (node and V8 versions, architecture), so no cache is used for
// other code; V8 checks its own version, flags and the length of the source and payload again.

import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCacheLocation {
  readonly folder: string;
  /** `<name>-<bundle hash>-<runtime>.cache`. */
  readonly file: string;
  /** What every cache of this name and runtime starts and ends with, to find those of older bundles. */
  readonly prefix: string;
  readonly suffix: string;
}

/** Turned off with PROMPT_CHAIN_CODE_CACHE=off; undefined then, or when no home folder is known. */
export function codeCacheLocation(env: NodeJS.ProcessEnv, name: string, bundleHash: string): CodeCacheLocation | undefined {
  if (env.PROMPT_CHAIN_CODE_CACHE === 'off') return undefined;
  const cacheHome = env.XDG_CACHE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const home = env.HOME || env.USERPROFILE;
  const base = cacheHome && isAbsolute(cacheHome) ? cacheHome : home && isAbsolute(home) ? join(home, '.cache') : undefined;
  if (base === undefined) return undefined;
  const folder = join(base, 'prompt-chain');
  const runtime = `node${process.versions.node}-v8${process.versions.v8}-${process.arch}`.replace(/[^\w.-]/g, '_');
  const prefix = `${name}-`;
  const suffix = `-${runtime}.cache`;
  return { folder, file: join(folder, `${prefix}${bundleHash}${suffix}`), prefix, suffix };
}

/** What happened to the cache at this start, for the bench and the tests. */
export type CodeCacheUse = 'off' | 'none' | 'rejected' | 'used';

/**
 * Runs `bundle` as Node would run it as a module, from the cache if V8 accepts it. Without a usable cache, the
 * code compiled during this run is written at exit, so the next start finds it (every function this run
 * compiled: the start, and the first requests).
 */
export function runWithCodeCache(bundle: string, location: CodeCacheLocation | undefined): CodeCacheUse {
  const cached = location && readCache(location.file);
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData: cached });
  const use: CodeCacheUse = location === undefined ? 'off' : cached === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  if (location && use !== 'used') process.once('exit', () => writeCache(location, script));
  const module = new Module(bundle);
  module.filename = bundle;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return use;
}

/** The cache file's bytes if it is a regular file of this user's; anything else is no cache. */
function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size === 0 || (process.getuid && stats.uid !== process.getuid())) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes the cache whole or not at all: to a file of this process, renamed over the old one, so a concurrent
 * start reads the old cache or the new, never half of one. Runs in an exit handler: it must never throw.
 */
function writeCache(location: CodeCacheLocation, script: Script): void {
  const temp = `${location.file}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    mkdirSync(location.folder, { recursive: true, mode: 0o700 });
    writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    renameSync(temp, location.file);
    removeStale(location);
  } catch {
    // A read-only, full or foreign cache folder costs the next start its compile, nothing else.
    removeQuietly(temp);
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Not there, or in a folder that cannot be written: nothing to clean up.
  }
}

const staleTempMs = 10 * 60_000;

/** Caches of older bundles for this runtime (another runtime's may still be in use), and leftover temp files. */
function removeStale(location: CodeCacheLocation): void {
  const current = location.file.slice(location.folder.length + 1);
  for (const entry of readdirSync(location.folder)) {
    if (!entry.startsWith(location.prefix) || entry === current) continue;
    const path = join(location.folder, entry);
    const olderBundle = entry.endsWith(location.suffix);
    const leftOver = entry.endsWith('.tmp') && Date.now() - statSync(path).mtimeMs > staleTempMs;
    if (olderBundle || leftOver) rmSync(path, { force: true });
  }
}
