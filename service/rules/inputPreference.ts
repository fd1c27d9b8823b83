// Which of several variables that could take the user's input most likely does, for the quick fix to
// preselect when `input_key` is missing: a name people give the human's words (`human_input`, `input`,
// `question`, … in that order, compared without case or separators), else the variable where the human
// speaks — the last one in the last human message of a chat prompt, or on the last `Human: …` line (the
// memory's human prefix) of a text prompt. Only a preference for the fix: LangChain itself never guesses,
// and the diagnostic stays until `input_key` is set.

import { lineStartOf } from '../../core/format/text';
import type { VariableRef } from '../../core/format/model';
import type { PromptContext } from '../context';
import { analyze } from './analysis';
import { normalize } from './names';

/** Names of the human's words, most telling first (LangChain's own examples use the first two). */
const humanInputNames = ['human_input', 'input', 'question', 'user_input', 'query'].map(normalize);

export function preferredInputKey(ctx: PromptContext, candidates: readonly string[]): string | undefined {
  for (const wanted of humanInputNames) {
    const named = candidates.find((candidate) => normalize(candidate) === wanted);
    if (named !== undefined) return named;
  }
  return spokenByHuman(ctx, candidates);
}

/** The candidate written last where the human speaks, if any is. */
function spokenByHuman(ctx: PromptContext, candidates: readonly string[]): string | undefined {
  const analysis = analyze(ctx);
  const isHuman = humanPosition(ctx);
  let last: { name: string; at: number } | undefined;
  for (const name of candidates) {
    for (const ref of analysis.refsByName.get(name) ?? []) {
      if (isHuman(ref) && (!last || ref.span.start > last.at)) last = { name, at: ref.span.start };
    }
  }
  return last?.name;
}

/** Whether a reference is in a human message (chat) or on a line starting with the human prefix (text). */
function humanPosition(ctx: PromptContext): (ref: VariableRef) => boolean {
  const body = ctx.prompt.body;
  if (body.kind === 'chat') {
    const human = body.messages.filter((message) => message.role === 'human').map((message) => message.span);
    return (ref) => human.some((span) => span.start <= ref.span.start && ref.span.end <= span.end);
  }
  const text = ctx.prompt.text;
  const prefix = `${ctx.config.memory?.humanPrefix ?? 'Human'}:`.toLowerCase();
  return (ref) => text.slice(lineStartOf(text, ref.span.start), ref.span.start).trimStart().toLowerCase().startsWith(prefix);
}
