// Where local model files are kept, decided here and nowhere else: the CLI's `models pull|list|rm`, the
// language server and the download all ask these functions. A model of a Hugging Face repository lives at
// `<models dir>/<owner>/<repo>/<file>`, so the cache reads as the names users write (`local:owner/repo/file`)
// and two repositories' files of one name never meet. Beside a file may be its `.partial` (a download under
// way or cut, resumed by the next one) and its `.lock` (held by the process downloading it, see download.ts).

import { readdir, stat, unlink, rmdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { LockTimeoutError } from '../../memory/errors';
import { acquireLock } from '../../memory/lock';
import { ModelError } from '../errors';
import { localModelPrefix, type HubModel } from './modelRef';

export type CacheEnv = Readonly<Record<string, string | undefined>>;

export const partialSuffix = '.partial';
export const lockSuffix = '.lock';

/** The cache folder of Prompt Chain on this platform: XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows. */
export function promptChainCacheRoot(env: CacheEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return path.win32.join(local && path.win32.isAbsolute(local) ? local : path.win32.join(home, 'AppData', 'Local'), 'prompt-chain');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'prompt-chain');
  // The XDG spec says a relative value is invalid and must be ignored (as defaultStateDir does).
  const xdg = env.XDG_CACHE_HOME;
  return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.cache'), 'prompt-chain');
}

/** PROMPT_CHAIN_MODELS_DIR when set (tests, shared caches), else `<cache root>/models`. */
export function localModelsDir(env: CacheEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const configured = env.PROMPT_CHAIN_MODELS_DIR?.trim();
  if (configured) return path.resolve(configured);
  const root = promptChainCacheRoot(env, platform, home);
  return platform === 'win32' ? path.win32.join(root, 'models') : path.posix.join(root, 'models');
}

/** `<cache root>/runtime`: where node-llama-cpp is installed for hosts that cannot carry it (a .vsix), by `prompt-chain models install-runtime`. */
export function localRuntimeDir(env: CacheEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const root = promptChainCacheRoot(env, platform, home);
  return platform === 'win32' ? path.win32.join(root, 'runtime') : path.posix.join(root, 'runtime');
}

/**
 * `<modelsDir>/<owner>/<repo>/<file>`. The name parser already refuses `..`; a ref built elsewhere (a
 * host, a test) is checked again, since this path is written to and deleted: it must stay inside modelsDir.
 */
export function cachedModelPath(ref: HubModel, modelsDir: string): string {
  const repoParts = ref.repo.split('/');
  const fileParts = ref.file.split('/');
  if (repoParts.length !== 2 || ![...repoParts, ...fileParts].every(isPlainSegment)) {
    throw new ModelError('local-model', `"${ref.repo}/${ref.file}" is not a safe model location: each part of owner/repo/file must be a plain name (no "..", "\\" or empty parts)`);
  }
  const root = path.resolve(modelsDir);
  const file = path.join(root, ...repoParts, ...fileParts);
  if (!file.startsWith(root + path.sep)) throw new ModelError('local-model', `"${ref.repo}/${ref.file}" would be stored outside ${root}`);
  return file;
}

function isPlainSegment(part: string): boolean {
  return part !== '' && part !== '.' && part !== '..' && !/[\\\0:]/.test(part);
}

/** The name `local:owner/repo/file.gguf` a cached file answers to. */
export function cachedModelName(ref: HubModel): string {
  return `${localModelPrefix}:${ref.repo}/${ref.file}`;
}

export interface CachedModel {
  /** `local:owner/repo/file.gguf`, as `run --model` and `models rm` take it. */
  name: string;
  path: string;
  /** Bytes on disk (of the partial file, for a partial download). */
  size: number;
  /** A download that has not finished: the next pull or turn resumes it. */
  partial: boolean;
}

/** Every model file in the cache, complete or partial, sorted by name. An absent folder holds none. */
export async function listCachedModels(modelsDir: string): Promise<CachedModel[]> {
  const root = path.resolve(modelsDir);
  const files = await filesUnder(root);
  const models: CachedModel[] = [];
  for (const file of files) {
    const partial = file.endsWith(partialSuffix);
    const modelFile = partial ? file.slice(0, -partialSuffix.length) : file;
    const parts = path.relative(root, modelFile).split(path.sep);
    // Only owner/repo/…/file.gguf is ours; anything else a user put there is left alone and unlisted.
    if (parts.length < 3 || !modelFile.toLowerCase().endsWith('.gguf')) continue;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    models.push({ name: `${localModelPrefix}:${parts.join('/')}`, path: modelFile, size: info.size, partial });
  }
  return models.sort((a, b) => a.name.localeCompare(b.name) || Number(a.partial) - Number(b.partial));
}

/**
 * The local models a model list offers when no endpoint is configured, as the editor's picker and
 * `prompt-chain models` show them: `local` (the configured or default model), then each complete file in
 * the cache. A cache that cannot be read offers `local` alone.
 */
export async function localModelChoices(modelsDir: string): Promise<string[]> {
  const cached = await listCachedModels(modelsDir).catch((): CachedModel[] => []);
  return [localModelPrefix, ...cached.filter((model) => !model.partial).map((model) => model.name)];
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(folder, entry.name);
      return entry.isDirectory() ? filesUnder(full) : Promise.resolve(entry.isFile() ? [full] : []);
    }),
  );
  return nested.flat();
}

/**
 * Deletes a cached model and its partial download, under the download's lock, so a download under way in
 * another process is not pulled from under it (that is refused with a ModelError instead). Folders left
 * empty are removed up to modelsDir. True when anything was deleted.
 */
export async function removeCachedModel(ref: HubModel, modelsDir: string): Promise<boolean> {
  const file = cachedModelPath(ref, modelsDir);
  const release = await acquireLock(`${file}${lockSuffix}`, { timeoutMs: 0 }).catch((error: unknown) => {
    if (error instanceof LockTimeoutError) {
      throw new ModelError('local-model', `${cachedModelName(ref)} is being downloaded by another process: remove it when that download ends`);
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // no folder: nothing cached
    throw error;
  });
  if (!release) return false;
  let removed = false;
  try {
    for (const target of [file, `${file}${partialSuffix}`]) removed = (await unlinkIfPresent(target)) || removed;
  } finally {
    await release();
  }
  await removeEmptyFolders(path.dirname(file), path.resolve(modelsDir));
  return removed;
}

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** rmdir fails on a folder that is not empty, which is the test we want: another model lives there. */
async function removeEmptyFolders(folder: string, root: string): Promise<void> {
  for (let current = folder; current.startsWith(root + path.sep); current = path.dirname(current)) {
    if (!(await rmdir(current).then(() => true, () => false))) return;
  }
}
