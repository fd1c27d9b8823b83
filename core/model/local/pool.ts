// The one way a host builds its local models: the cache and runtime folders decided by cache.ts, model
// files fetched by download.ts, the binding found by runtime.ts. The CLI makes one pool per run, the
// language server one for its lifetime, so a model is loaded once and kept while the host lives.

import { localModelsDir, localRuntimeDir, type CacheEnv } from './cache';
import { localModelFile, type DownloadProgress } from './download';
import { LocalModelPool } from './localModel';

export interface LocalHostOptions {
  /** HF_ENDPOINT, HF_TOKEN, PROMPT_CHAIN_MODELS_DIR, XDG_CACHE_HOME… (the host's environment). */
  env: CacheEnv;
  /** A model file being downloaded (a progress bar, a notification). */
  onProgress?: (progress: DownloadProgress) => void;
  /** llama.cpp's warnings, for the host's log. */
  log?: (message: string) => void;
  /** Generation threads (default: localThreads()). */
  threads?: number;
}

export function createLocalPool(options: LocalHostOptions): LocalModelPool {
  const modelsDir = localModelsDir(options.env);
  return new LocalModelPool({
    runtimeDir: localRuntimeDir(options.env),
    modelFile: (ref, signal, baseDir) =>
      localModelFile(ref, {
        modelsDir,
        env: options.env,
        ...(signal && { signal }),
        ...(baseDir && { baseDir }),
        ...(options.onProgress && { onProgress: options.onProgress }),
      }),
    ...(options.log && { log: options.log }),
    ...(options.threads !== undefined && { threads: options.threads }),
  });
}
