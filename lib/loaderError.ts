// The one error `prompt-chain/langchain` raises of its own; `kind` is stable, for a program to act on.

export type LoaderErrorKind =
  /** @langchain/core or @langchain/classic is not installed. */
  | 'missing-peer'
  /** The file's memory class needs a model (summary, summary_buffer, token_buffer) and none was given. */
  | 'needs-llm'
  /** The file says `memory: false`: there is no memory object, and no history key. */
  | 'no-memory';

export class LoaderError extends Error {
  override readonly name = 'LoaderError';
  constructor(
    readonly kind: LoaderErrorKind,
    message: string,
  ) {
    super(message);
  }
}
