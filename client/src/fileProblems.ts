// A file whose errors stop something the user asked for: a turn (the client saw the errors first, or the
// server refused the turn with FailureData kind 'file-has-errors'), or a preview. One wording for all of
// them, and Show Problems from the one table of failure actions. The refusal is read from the error's typed
// `data` (errorMessage.ts failureOf), never its text. Pure.

import { failureActions } from './failureActions';
import type { Failure } from './errorMessage';
import type { Notice } from './panel/messages';

/** What the errors stop, as the sentence ends: "…to fix before a turn can run". */
export type BlockedByProblems = 'turn' | 'preview' | 'comparison';

const blockedText: Record<BlockedByProblems, { before: string; after: string }> = {
  turn: { before: 'a turn can run', after: ' Nothing was sent.' },
  preview: { before: 'its prompt can be previewed', after: '' },
  comparison: { before: 'it can be compared or replayed', after: ' Nothing was sent.' },
};

/** "chatbot.prompt has 2 problems to fix before a turn can run (see the Problems panel). Nothing was sent." */
export function problemsNotice(fileName: string, count: number, blocked: BlockedByProblems): Notice {
  const problems = `${count} ${count === 1 ? 'problem' : 'problems'}`;
  const { before, after } = blockedText[blocked];
  return {
    message: `${fileName} has ${problems} to fix before ${before} (see the Problems panel).${after}`,
    actions: failureActions({ kind: 'file-has-errors' }),
  };
}

/** How many errors a 'file-has-errors' refusal names (at least one); undefined for any other failure. */
export function refusedProblems(failure: Failure): number | undefined {
  if (failure.data?.kind !== 'file-has-errors') return undefined;
  return failure.data.diagnostics?.length || 1;
}
