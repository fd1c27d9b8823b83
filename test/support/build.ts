// Integration tests run the bundles in dist/. Each suite makes sure its bundle is current: `npm test` has
// just built it, and test files running side by side must not rewrite a bundle another one is running.

import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');

/** Builds dist/ (`npm run build`) unless `bundle` is newer than every file under `sources` (repo-relative). */
export function ensureBuilt(bundle: string, sources: readonly string[]): void {
  const bundled = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sourcePaths = [...sources, 'package.json'].map((p) => path.join(repoRoot, p));
  if (sourcePaths.some((source) => newestChange(source) > bundled)) {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  }
}

function newestChange(fileOrFolder: string): number {
  const stats = statSync(fileOrFolder, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(fileOrFolder).map((name) => newestChange(path.join(fileOrFolder, name))));
}
