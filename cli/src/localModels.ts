// `prompt-chain models pull|list|rm`: the cache of local model files (core/model/local/cache.ts), in the
// folder every host uses (localModelsDir: PROMPT_CHAIN_MODELS_DIR, else the platform's cache). `pull`
// downloads what a turn on `model: local…` would (core/model/local/download.ts), so a first turn can be
// made ready ahead of time, on a machine with a network; `list` and `rm` show and free the disk it takes.
// A NAME is written as `run --model` takes it: `local`, `local:owner/repo/file.gguf`, or without `local:`.

import { stat } from 'node:fs/promises';
import { failureOf } from '../../core/chain/failure';
import { isCancelled } from '../../core/model/errors';
import { cachedModelName, cachedModelPath, listCachedModels, localModelsDir, partialSuffix, removeCachedModel, type CachedModel } from '../../core/model/local/cache';
import { localModelFile, megabytes } from '../../core/model/local/download';
import { defaultLocalModel, isLocalModelName, LocalModelNameError, localModelRef, type HubModel, type LocalModelRef } from '../../core/model/local/modelRef';
import { has, UsageError, type ParsedArgs } from './args';
import { CliError, ExitCode, json, type Io } from './output';
import { downloadProgressBar } from './progressBar';
import { installRuntime } from './installRuntime';

export const localModelActions = ['pull', 'list', 'rm', 'install-runtime'] as const;
export type LocalModelAction = (typeof localModelActions)[number];

export function isLocalModelAction(word: string | undefined): word is LocalModelAction {
  return (localModelActions as readonly string[]).includes(word ?? '');
}

export async function localModelsCommand(action: LocalModelAction, names: string[], args: ParsedArgs, io: Io): Promise<number> {
  const asJson = has(args, 'json');
  const modelsDir = localModelsDir(io.env);
  if (action === 'install-runtime') {
    if (names.length > 0) throw new UsageError(`models install-runtime takes no NAME; unexpected "${names[0]}"`);
    return installRuntime(io);
  }
  if (action === 'list') {
    if (names.length > 0) throw new UsageError(`models list takes no NAME; unexpected "${names[0]}"`);
    await listModels(modelsDir, asJson, io);
    return ExitCode.ok;
  }
  if (names.length > 1) throw new UsageError(`models ${action} takes one NAME; unexpected "${names[1]}"`);
  if (action === 'rm' && names[0] === undefined) throw new UsageError('models rm needs a NAME (see "prompt-chain models list")');
  const ref = modelRefOf(names[0], io);
  try {
    return action === 'pull' ? await pull(ref, modelsDir, asJson, io) : await remove(ref, modelsDir, asJson, io);
  } catch (error) {
    const failure = asJson && !isCancelled(error) ? failureOf(error) : undefined;
    if (failure) io.out(json({ error: { kind: failure.kind, ...(failure.reason && { reason: failure.reason }), message: failure.message } }));
    throw error;
  }
}

/** The model a NAME means; no NAME is `local`: PROMPT_CHAIN_LOCAL_MODEL, else the default model. */
function modelRefOf(name: string | undefined, io: Io): LocalModelRef {
  const text = name?.trim() || 'local';
  try {
    return localModelRef(isLocalModelName(text) ? text : `local:${text}`, io.env.PROMPT_CHAIN_LOCAL_MODEL);
  } catch (error) {
    if (error instanceof LocalModelNameError) throw new UsageError(error.message);
    throw error;
  }
}

async function pull(ref: LocalModelRef, modelsDir: string, asJson: boolean, io: Io): Promise<number> {
  if (ref.kind === 'path') return checkOwnFile(ref, modelsDir, asJson, io);
  const name = cachedModelName(ref);
  const target = cachedModelPath(ref, modelsDir);
  const cached = await sizeOf(target);
  if (cached === undefined && !io.stderrIsTTY && !asJson) io.err(`downloading ${name}${ref.size ? ` (${megabytes(ref.size)})` : ''} to ${target}\n`);
  const started = Date.now();
  const outcome = cached === undefined ? await fetchWithProgress(ref, name, modelsDir, io) : 'cached';
  const size = (await sizeOf(target)) ?? 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (asJson) io.out(json({ name, path: target, size, downloaded: outcome === 'downloaded' }));
  else if (outcome === 'cached') io.out(`${name} is already cached (${megabytes(size)}): ${target}\n`);
  else if (outcome === 'by-another') io.out(`${name} was downloaded by the other process (${megabytes(size)}): ${target}\n`);
  else io.out(`downloaded ${name} (${megabytes(size)} in ${seconds} s): ${target}\n`);
  return ExitCode.ok;
}

/** A path names the user's own file: nothing to download, but it is checked as a turn would check it. */
async function checkOwnFile(ref: LocalModelRef, modelsDir: string, asJson: boolean, io: Io): Promise<number> {
  const file = await localModelFile(ref, { modelsDir, env: io.env, baseDir: io.cwd });
  if (asJson) io.out(json({ name: `local:${file}`, path: file, size: (await sizeOf(file)) ?? 0, downloaded: false }));
  else io.out(`${file} is a GGUF file on disk: nothing to download\n`);
  return ExitCode.ok;
}

/**
 * The download with the progress bar. 'by-another' when this process only waited for another one's
 * download (it never received a byte itself); that one may also have failed, and this one resumed it.
 */
async function fetchWithProgress(ref: HubModel, name: string, modelsDir: string, io: Io): Promise<'downloaded' | 'by-another'> {
  const bar = downloadProgressBar(io);
  let waited = false;
  let received = false;
  try {
    await localModelFile(ref, {
      modelsDir,
      env: io.env,
      signal: io.signal,
      onProgress: (progress) => {
        received = true;
        bar.update(progress);
      },
      onWaitForOtherDownload: () => {
        waited = true;
        io.err(`another prompt-chain process is downloading ${name}; waiting for it\n`);
      },
    });
  } finally {
    bar.end();
  }
  return waited && !received ? 'by-another' : 'downloaded';
}

async function sizeOf(file: string): Promise<number | undefined> {
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}

async function remove(ref: LocalModelRef, modelsDir: string, asJson: boolean, io: Io): Promise<number> {
  if (ref.kind === 'path') throw new UsageError(`${ref.path} is your own file, not a cached download: prompt-chain never deletes it`);
  const name = cachedModelName(ref);
  const target = cachedModelPath(ref, modelsDir);
  const sizes = await Promise.all([target, `${target}${partialSuffix}`].map(sizeOf));
  if (!(await removeCachedModel(ref, modelsDir))) throw new CliError(`${name} is not in the model cache (${modelsDir}); "prompt-chain models list" shows what is`);
  const freed = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
  if (asJson) io.out(json({ removed: name, freed }));
  else io.out(`removed ${name} (${megabytes(freed)} freed)\n`);
  return ExitCode.ok;
}

async function listModels(modelsDir: string, asJson: boolean, io: Io): Promise<void> {
  const models = await listCachedModels(modelsDir);
  const defaultName = cachedModelName(defaultLocalModel);
  if (asJson) {
    io.out(json({ modelsDir, models: models.map((model) => ({ ...model, default: model.name === defaultName })) }));
    return;
  }
  if (models.length === 0) {
    io.err(`no local models in ${modelsDir} (the cache; PROMPT_CHAIN_MODELS_DIR moves it): "prompt-chain models pull" downloads the default one\n`);
    return;
  }
  const width = Math.max(...models.map((model) => model.name.length));
  io.out(models.map((model) => `${listLine(model, width, defaultName)}\n`).join(''));
}

/** `local:owner/repo/file.gguf  468.6 MB  (default)`, `(partial)` for a download that has not finished. */
function listLine(model: CachedModel, width: number, defaultName: string): string {
  const marks = [model.name === defaultName && 'default', model.partial && 'partial'].filter(Boolean).join(', ');
  return `${model.name.padEnd(width)}  ${megabytes(model.size).padStart(9)}${marks ? `  (${marks})` : ''}`;
}
