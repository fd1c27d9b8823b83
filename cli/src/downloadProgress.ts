// A model file's download as the CLI shows it, on stderr: on a terminal, one line redrawn in place (percent,
// megabytes, speed) at most every 100 ms and ended when the file is complete; on a pipe, a line when the
// download starts and one when it ends, so a log holds no carriage returns.

import { basename } from 'node:path';
import type { DownloadProgress } from '../../core/model/local/download';
import { styled, type Io } from './output';

const redrawMs = 100;
const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);

export function downloadProgress(io: Io, now: () => number = Date.now): (progress: DownloadProgress) => void {
  let started: { at: number; received: number } | undefined;
  let drawn = 0;
  return (progress) => {
    const name = basename(progress.file);
    const done = progress.total !== undefined && progress.received >= progress.total;
    const first = !started;
    started ??= { at: now(), received: progress.received };
    const since = started;
    if (first) {
      if (!io.stderrIsTTY) io.err(`downloading ${name}${progress.total !== undefined ? ` (${mb(progress.total)} MB)` : ''}\n`);
    }
    if (io.stderrIsTTY && (done || now() - drawn >= redrawMs)) {
      drawn = now();
      // The carriage return is this program's own; the file's name is escaped like any content.
      io.errStyled(styled((safe) => `\r${safe(bar(name, progress, since, now()))}${done ? '\n' : ''}`));
    } else if (done && !io.stderrIsTTY) {
      io.err(`downloaded ${name}\n`);
    }
  };
}

function bar(name: string, progress: DownloadProgress, started: { at: number; received: number }, at: number): string {
  const seconds = Math.max(0.001, (at - started.at) / 1000);
  const speed = `${mb((progress.received - started.received) / seconds)} MB/s`;
  if (progress.total === undefined || progress.total === 0) return `downloading ${name}: ${mb(progress.received)} MB, ${speed}`;
  const percent = Math.min(100, Math.floor((progress.received / progress.total) * 100));
  const width = 20;
  const filled = Math.round((percent / 100) * width);
  return `downloading ${name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${mb(progress.received)}/${mb(progress.total)} MB, ${speed}`;
}
