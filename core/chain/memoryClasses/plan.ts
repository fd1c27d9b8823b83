// What a memory class owes the stored turns: the state it would have once up to date, and the summary call
// that takes (at most one, whatever the number of pending turns).

import type { MemoryState } from '../types';
import type { SummaryJob } from './summarize';

export interface MemoryPlan {
  /** The state once done; a summary kind's `summary` is the old one, replaced by the call's reply. */
  next: MemoryState;
  /** The summary call to make first; absent when none is owed. */
  summarize?: Omit<SummaryJob, 'reason'>;
}
