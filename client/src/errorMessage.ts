// The server answers failures with one clear sentence (core/model/errors.ts); show that, not a stack.

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' && error ? error : 'Prompt Chain: the request failed for an unknown reason.';
}
