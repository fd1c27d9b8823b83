// Failures of the durable memory store, worded for the person who has to act on them.

/** The store could not be read or written, or a conversation stayed locked too long. */
export class MemoryStoreError extends Error {
  override readonly name = 'MemoryStoreError';
}

/** Another turn held the conversation's lock for longer than the caller was willing to wait. */
export class LockTimeoutError extends MemoryStoreError {}

/** "cannot save the turn to /x/y.jsonl: permission denied (EACCES)" from a Node fs error. */
export function storeFailure(action: string, path: string, error: unknown): MemoryStoreError {
  const e = error as NodeJS.ErrnoException;
  const reason = e.code ? `${describeCode(e.code)} (${e.code})` : String(e?.message ?? error);
  return new MemoryStoreError(`cannot ${action} ${path}: ${reason}`);
}

function describeCode(code: string): string {
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on the device',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a parent path is not a folder',
    EISDIR: 'it is a folder',
    EDQUOT: 'disk quota exceeded',
  };
  return known[code] ?? 'file system error';
}
