// Every diagnostic rule, in the order their diagnostics are listed. Adding a rule: write it in its own
// file, add it here, document its code in docs/diagnostics.md, and give it a test with a firing and a
// non-firing case under test/service/rules/.

import type { Rule } from './rule';
import { memoryKeyUnused } from './memoryKeyUnused';
import { unprovidedVariable } from './unprovidedVariable';
import { ambiguousInputKey } from './ambiguousInputKey';
import { noInputVariable } from './noInputVariable';
import { inputKeyNotInTemplate } from './inputKeyNotInTemplate';
import { inputKeyIsMemoryKey } from './inputKeyIsMemoryKey';
import { placeholderNeedsMessages } from './placeholderNeedsMessages';
import { memoryMessagesInText } from './memoryMessagesInText';
import { undeclaredVariable } from './undeclaredVariable';
import { unusedDeclaredVariable } from './unusedDeclaredVariable';
import { stopVariable } from './stopVariable';
import { partialOverlap } from './partialOverlap';
import { headerLookalike } from './headerLookalike';
import { headerInCompletion } from './headerInCompletion';
import { contextWindowExceeded } from './contextWindow';
import { memoryKIgnored } from './memoryKIgnored';
import { memoryLimitIgnored } from './memoryLimitIgnored';
import { memorySummaryIgnored } from './memorySummaryIgnored';
import { summaryPromptVariables } from './summaryPromptVariables';
import { memoryLimitTooLow } from './memoryLimitTooLow';
import { memoryLimitWindow } from './memoryLimitWindow';
import { otherToolFile } from './otherToolFile';
import { localModelName } from './localModelName';

export const rules: readonly Rule[] = [
  otherToolFile,
  memoryKeyUnused,
  unprovidedVariable,
  ambiguousInputKey,
  noInputVariable,
  inputKeyNotInTemplate,
  inputKeyIsMemoryKey,
  placeholderNeedsMessages,
  memoryMessagesInText,
  summaryPromptVariables,
  memoryLimitTooLow,
  memoryKIgnored,
  memoryLimitIgnored,
  memorySummaryIgnored,
  undeclaredVariable,
  unusedDeclaredVariable,
  stopVariable,
  partialOverlap,
  headerLookalike,
  headerInCompletion,
  contextWindowExceeded,
  memoryLimitWindow,
  localModelName,
];

const byCode = new Map(rules.map((rule) => [rule.code, rule]));

export function ruleFor(code: string): Rule | undefined {
  return byCode.get(code);
}
