// The JSON reporter: the whole TestRunReport, as the runner made it (spans included, so a tool can point at
// the test file), one document. Nothing is left out: what a person reads in the other reporters is here.

import type { TestRunReport } from '../types';

export function jsonReport(report: TestRunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
