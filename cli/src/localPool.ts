// The CLI's local models: one pool for the run (a model is loaded once, whatever the number of turns, tests
// or summary calls), a progress bar on stderr while a model file downloads (only where stderr is a
// terminal: a pipe gets one line when the download starts), llama.cpp's warnings under --verbose only.

import { createLocalPool } from '../../core/model/local/pool';
import type { LocalModelPool } from '../../core/model/local/localModel';
import { downloadProgress } from './downloadProgress';
import type { Io } from './output';

const pools = new WeakMap<Io, LocalModelPool>();

export function cliLocalPool(io: Io): LocalModelPool {
  let pool = pools.get(io);
  if (!pool) {
    pool = createLocalPool({ env: io.env, onProgress: downloadProgress(io) });
    pools.set(io, pool);
  }
  return pool;
}
