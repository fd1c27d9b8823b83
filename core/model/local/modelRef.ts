// Which local model a name means, decided once for every host: `local` (the setting's model, else the
// default below), `local:<owner>/<repo>/<file>.gguf` (a file of a Hugging Face model repository, downloaded
// into the cache on first use) or `local:/path/to/model.gguf` (a file on disk, never downloaded). The
// setting `promptChain.localModel` and PROMPT_CHAIN_LOCAL_MODEL take the same forms, without `local:`.

import { homedir } from 'node:os';
import { resolve } from 'node:path';

/** The model `local` means when nothing names another: small, instruction-tuned, Apache-2.0. */
export const defaultLocalModel: HubModel = {
  kind: 'hub',
  repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
  file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
  revision: 'main',
  // Published by the repository (Hugging Face's LFS pointer); the download is checked against both.
  sha256: '74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db',
  size: 491_400_032,
  license: 'Apache-2.0',
};

/** A GGUF file in a Hugging Face model repository, fetched from `${HF_ENDPOINT}/${repo}/resolve/${revision}/${file}`. */
export interface HubModel {
  kind: 'hub';
  /** `owner/name`. */
  repo: string;
  /** The file's path in the repository (may hold folders). */
  file: string;
  revision: string;
  /** Known in advance for the default model; else the hub's own checksum (X-Linked-Etag) is checked. */
  sha256?: string;
  size?: number;
  license?: string;
}

/** A GGUF file the user already has. */
export interface PathModel {
  kind: 'path';
  path: string;
}

export type LocalModelRef = HubModel | PathModel;

/** The file a path model names: `~/` from the home folder, a relative path from `baseDir` (the prompt's folder). */
export function modelFilePath(ref: PathModel, baseDir = process.cwd()): string {
  return resolve(baseDir, ref.path.replace(/^~(?=[\\/])/, homedir()));
}

export const localModelPrefix = 'local';

/** True for `local` and `local:…`: a model name that runs in-process. */
export function isLocalModelName(model: string | undefined): boolean {
  return model?.trim() === localModelPrefix || namesLocalFile(model);
}

/** True for `local:…`: a model name that names its own file (a bare `local` means the configured one). */
export function namesLocalFile(model: string | undefined): boolean {
  return model?.trim().startsWith(`${localModelPrefix}:`) === true;
}

export class LocalModelNameError extends Error {
  override readonly name = 'LocalModelNameError';
}

/**
 * The model a local name means. `configured` is the user's setting or PROMPT_CHAIN_LOCAL_MODEL (the host
 * decides which wins); it answers for a bare `local` and for any name when turns run locally because
 * nothing else is configured. Throws LocalModelNameError with a one-line reason for a malformed name.
 */
export function localModelRef(model: string | undefined, configured?: string): LocalModelRef {
  const name = model?.trim();
  if (name && namesLocalFile(name)) return parseLocation(name.slice(localModelPrefix.length + 1), name);
  const setting = configured?.trim();
  if (setting) return parseLocation(namesLocalFile(setting) ? setting.slice(localModelPrefix.length + 1) : setting, setting);
  return defaultLocalModel;
}

function parseLocation(location: string, whole: string): LocalModelRef {
  if (!location) throw new LocalModelNameError(`"${whole}" names no model: write local, local:/path/to/model.gguf or local:owner/repo/file.gguf`);
  if (isFilePath(location)) {
    if (!location.toLowerCase().endsWith('.gguf')) throw new LocalModelNameError(`"${whole}" is not a .gguf file: local models are GGUF files (llama.cpp's format)`);
    return { kind: 'path', path: location };
  }
  const parts = location.split('/');
  if (parts.length < 3 || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new LocalModelNameError(`"${whole}" is neither a path nor owner/repo/file.gguf: write local:/path/to/model.gguf or local:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf`);
  }
  const file = parts.slice(2).join('/');
  if (!file.toLowerCase().endsWith('.gguf')) throw new LocalModelNameError(`"${whole}" is not a .gguf file: local models are GGUF files (llama.cpp's format)`);
  const repo = `${parts[0]}/${parts[1]}`;
  if (repo === defaultLocalModel.repo && file === defaultLocalModel.file) return defaultLocalModel;
  return { kind: 'hub', repo, file, revision: 'main' };
}

/** An absolute or explicitly relative path (`/…`, `./…`, `../…`, `~/…`, `C:\…`, `\\server\…`). */
function isFilePath(location: string): boolean {
  return /^(\/|\.{1,2}[\\/]|~[\\/]|[A-Za-z]:[\\/]|\\\\)/.test(location);
}

/** How a local model is shown (status bar, panel, --verbose): `local:qwen2.5-0.5b-instruct-q4_k_m.gguf`. */
export function localModelLabel(ref: LocalModelRef): string {
  const file = ref.kind === 'hub' ? ref.file : ref.path;
  return `${localModelPrefix}:${file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)}`;
}
