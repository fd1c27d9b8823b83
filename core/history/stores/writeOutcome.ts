// A write whose last step (Redis EXEC, Postgres COMMIT) was sent when the connection dropped: the server
// may have applied it before the connection went, or never received it, and no client can tell which.
// The failure says so in one line and says what to check, because sending the turn again when it was
// stored stores it twice; Prompt Chain does not retry on its own for the same reason.

import { HistoryStoreError } from '../types';

/** `error` (connection-lost) said as a write whose outcome is unknown; any other error as it is. */
export function outcomeUnknown(error: unknown, lastStep: 'EXEC' | 'COMMIT'): unknown {
  if (!(error instanceof HistoryStoreError) || error.kind !== 'connection-lost') return error;
  return new HistoryStoreError(
    'connection-lost',
    `${error.message} — after its ${lastStep} was sent, so whether the turn was stored is unknown: look at the session's last messages (memory show, or the chat panel) before sending it again, or it may be stored twice.`,
  );
}
