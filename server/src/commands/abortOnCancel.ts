// An LSP cancellation token as the engine's AbortSignal: a turn or a test run stops its model calls when the
// client sends $/cancelRequest.

import type { CancellationToken } from 'vscode-languageserver';

export function abortControllerFor(token: CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}
