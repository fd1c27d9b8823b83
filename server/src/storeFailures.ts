// The failures of where conversations are kept, local or shared: the user's to fix (a folder, a server, a
// password, a session to pick), answered with their kind by the command registry (commands/registry.ts).

import { MemoryStoreError } from '../../core/memory/errors';
import { HistoryStoreError } from '../../core/history/types';

export function isStoreFailure(error: unknown): error is MemoryStoreError | HistoryStoreError {
  return error instanceof MemoryStoreError || error instanceof HistoryStoreError;
}
