// The download's progress on a terminal: one line on stderr, redrawn in place with `\r` at most every
// 100 ms (percent, MB of total MB, speed), erased when the download ends so the final line stands alone.
// Not a terminal (a log, a pipe): nothing is drawn; `\r` lines would pile up there.

import type { DownloadProgress } from '../../core/model/local/download';
import { styled, type Io } from './output';

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export interface ProgressBar {
  update(progress: DownloadProgress): void;
  /** Erases the line (a terminal's cursor back at its start). */
  end(): void;
}

export function downloadProgressBar(io: Io, now: () => number = Date.now): ProgressBar {
  if (!io.stderrIsTTY) return { update: () => undefined, end: () => undefined };
  let started: { at: number; bytes: number } | undefined;
  let drawnAt = -Infinity;
  let width = 0;
  const draw = (line: string) => {
    const padded = line.padEnd(width);
    width = line.length;
    io.errStyled(styled((safe) => `\r${safe(padded)}`));
  };
  return {
    update(progress) {
      const at = now();
      started ??= { at, bytes: progress.received };
      const last = progress.total !== undefined && progress.received >= progress.total;
      if (at - drawnAt < REDRAW_MS && !last) return;
      drawnAt = at;
      draw(progressLine(progress, (progress.received - started.bytes) / Math.max((at - started.at) / 1000, 0.001)));
    },
    end() {
      if (width > 0) io.errStyled(styled(() => `\r${' '.repeat(width)}\r`));
      width = 0;
    },
  };
}

/** ` 42% [##########..............]  201.3/468.6 MB  12.3 MB/s`; without a total, the bytes and the speed. */
export function progressLine(progress: DownloadProgress, bytesPerSecond: number): string {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const speed = `${mb(Math.max(0, bytesPerSecond))} MB/s`;
  if (progress.total === undefined || progress.total <= 0) return `${mb(progress.received)} MB  ${speed}`;
  const fraction = Math.min(1, progress.received / progress.total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${percent} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]  ${mb(progress.received)}/${mb(progress.total)} MB  ${speed}`;
}
