// `history: FILE`: the conversation a test starts from, read from a LangChain FileChatMessageHistory JSON
// file by the shared-history reader (../history/stores/file.ts) and made entries as a session's are
// (sessionEntries.ts). Opened read-only: a test never writes the file; each run copies it into memory.

import { pathToFileURL } from 'node:url';
import type { HistoryEntry } from '../chain/types';
import { openFileHistory, FILE_SESSION } from '../history/stores/file';
import { sessionEntries } from '../history/sessionEntries';
import { HistoryStoreError, type HistoryTarget } from '../history/types';

/** The file's entries, oldest first; a missing file is an error here (an empty history is `[]`). */
export async function loadHistoryFile(path: string, shownAs: string, signal?: AbortSignal): Promise<readonly HistoryEntry[]> {
  const target: HistoryTarget = { kind: 'file', url: pathToFileURL(path).href, display: shownAs, path, options: { readonly: true } };
  const store = openFileHistory(target);
  try {
    if ((await store.sessions()).length === 0) throw new HistoryStoreError('invalid-data', `${shownAs}: no such file (history: names a FileChatMessageHistory JSON file, relative to the test file)`);
    return sessionEntries(await store.messages(FILE_SESSION, signal), undefined, shownAs).entries;
  } finally {
    await store.close();
  }
}
