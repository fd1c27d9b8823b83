// Why a turn could not be prepared: the prompt, the inputs or the configuration, never the model (that is
// ../model/errors.ts). Raised before any model call, so nothing was sent and nothing was saved.
// Where LangChain has an error for the same case, `message` is LangChain's exact text (users search for
// it) and `hint` says what to change.

export type ChainErrorKind =
  /** The document has error-severity problems. */
  | 'invalid-prompt'
  /** No model named by the file or the host's default. */
  | 'no-model'
  /** LangChain's `One input key expected got [...]`. */
  | 'input-key'
  /** LangChain's `Missing some input keys: {...}`. */
  | 'missing-input'
  /** A placeholder's value is not a message list (LangChain's MessagesPlaceholder error). */
  | 'placeholder-not-list'
  /** A message list where a template expects text (return_messages with a text template). */
  | 'messages-in-text'
  /** A `summary_prompt` LangChain's summary memories refuse (other variables than {summary} and {new_lines}). */
  | 'summary-prompt';

export class ChainError extends Error {
  override readonly name = 'ChainError';

  constructor(
    readonly kind: ChainErrorKind,
    message: string,
    /** What to change, when `message` alone does not say it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * The refusal of a turn (or its preview, or an export: `doing` says which) on a file with error diagnostics,
 * the same in every host: the CLI prints the problems above it, the server sends them in the failure's data, a client offers Show Problems.
 */
export function fileHasErrorsError(file: string, errorCount: number, doing = 'running'): ChainError {
  const errors = `${errorCount} error${errorCount === 1 ? '' : 's'}`;
  return new ChainError('invalid-prompt', `${file}: ${errors}; fix ${errorCount === 1 ? 'it' : 'them'} before ${doing}`);
}
