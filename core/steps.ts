// Long work in the service (tokenizing a big prompt or a long stored conversation) is written as a
// generator: each `yield` hands out how much work was just done (characters tokenized) and is a point where
// the host may pause — the server yields to its event loop there, so other requests are answered — or stop,
// when the result is no longer wanted. The service itself stays synchronous and pure (no clock, no
// connection); callers that just want the answer run the steps to the end.

export type Steps<T> = Generator<number, T, void>;

/** Runs steps to the end without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
