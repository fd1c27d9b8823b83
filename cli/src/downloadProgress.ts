// A model file's download during a turn, as the CLI shows it on stderr: a line when it starts and one when
// it ends (so a log says what the wait was), and between them, on a terminal, the progress bar that
// `models pull` draws (progressBar.ts).

import { basename } from 'node:path';
import type { DownloadProgress } from '../../core/model/local/download';
import { megabytes } from '../../core/model/local/download';
import type { Io } from './output';
import { downloadProgressBar } from './progressBar';

export function downloadProgress(io: Io): (progress: DownloadProgress) => void {
  const started = new Set<string>();
  const bar = downloadProgressBar(io);
  return (progress) => {
    const name = basename(progress.file);
    if (!started.has(progress.file)) {
      started.add(progress.file);
      io.err(`downloading ${name}${progress.total !== undefined ? ` (${megabytes(progress.total)})` : ''} into ${progress.file}\n`);
    }
    bar.update(progress);
    if (progress.total !== undefined && progress.received >= progress.total) {
      bar.end();
      io.err(`downloaded ${name}\n`);
      started.delete(progress.file);
    }
  };
}
