// Re-listing a test file on every keystroke would queue one server request per key. Asks for the same key
// are coalesced instead: one task runs at a time per key, and any number of asks while it runs make one
// more run after it, which then sees the latest text. No timer: nothing waits longer than the work takes.

/** `task`, run for a key when asked, at most once at a time per key and at most once more after that. */
export function coalescing(task: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const running = new Map<string, Promise<void>>();
  const again = new Map<string, Promise<void>>();
  const start = (key: string): Promise<void> => {
    const run = task(key).finally(() => running.delete(key));
    running.set(key, run);
    return run;
  };
  return (key) => {
    const current = running.get(key);
    if (!current) return start(key);
    const queued = again.get(key);
    if (queued) return queued;
    const next = current.catch(() => undefined).then(() => {
      again.delete(key);
      return start(key);
    });
    again.set(key, next);
    return next;
  };
}
