// Long work in the service (tokenizing a big prompt or a long stored conversation) is written as a
// generator: each `yield` hands out how much work was just done (characters tokenized) and is a point where
// the host may pause — the server yields to its event loop there, so other requests are answered — or stop,
// when the result is no longer wanted. A step may also hand out a promise: the work waits on something
// outside this thread (the language server's tokenizer loading in a worker) and resumes once it settles.
// The service itself stays synchronous and pure (no clock, no connection); callers that just want the
// answer run the steps to the end.

export type Steps<T> = Generator<number | Promise<unknown>, T, void>;

/**
 * Runs steps to the end without pausing. Only for steps that never wait: a host whose tokenizer loads in
 * this thread (the CLI, tests). A step that waits is a host's mistake, reported as such.
 */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (typeof step.value !== 'number') {
      steps.return(undefined as T);
      throw new Error('work that waits on another thread was run to the end at once: run it in steps');
    }
  }
}
