// `snapshot: true`: the reply equals the baseline recorded by `--update` (../snapshots.ts); the runner
// compares the turn once and hands the comparison in, with its line diff for the report.

import { outcome, type Evaluate } from './context';

export const evaluateSnapshot: Evaluate<'snapshot'> = (assertion, ctx) => {
  const snapshot = ctx.snapshot;
  if (snapshot?.updated) return outcome(assertion, true, 'reply recorded as the new baseline', { actual: ctx.reply });
  if (snapshot?.recorded === undefined) return outcome(assertion, false, 'no baseline recorded for this turn: run with --update to record the reply', { actual: ctx.reply });
  const pass = snapshot.recorded === ctx.reply;
  const changed = snapshot.diff.filter((line) => line.op !== 'same').length;
  const message = pass ? 'reply equals the recorded baseline' : `reply differs from the recorded baseline (${changed} line${changed === 1 ? '' : 's'} changed)`;
  return outcome(assertion, pass, message, { expected: snapshot.recorded, actual: ctx.reply });
};
