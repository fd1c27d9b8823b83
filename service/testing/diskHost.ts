// The TestFileHost of a host without open editors (the CLI, the runner): files as they are on disk, a
// prompt refused as `run` refuses it (readPromptFile: missing, a folder, binary, huge).

import { stat } from 'node:fs/promises';
import { readPromptFile } from '../../core/files/readPromptFile';
import type { ServiceSettings } from '../context';
import type { TestFileHost } from './checkTestFile';

export function diskTestFileHost(settings?: ServiceSettings): TestFileHost {
  const host: TestFileHost = {
    readText: (path) => readPromptFile(path),
    exists: async (path) => (await stat(path).catch(() => undefined))?.isFile() === true,
  };
  return settings ? { ...host, settings } : host;
}
