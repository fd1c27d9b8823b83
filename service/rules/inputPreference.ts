// Which of several variables that could take the user's input most likely does, for the quick fix to
// preselect when `input_key` is missing: a name people give the human's words (`human_input`, `input`,
// `question`, … in that order, compared without case or separators), else the variable where the human
// speaks — the last one in the last human message of a chat prompt, or on the last `Human: …` line (the
// memory's human prefix) of a text prompt. Only a preference for the fix: LangChain itself never guesses,
// and the diagnostic stays until `input_key` is set.

import { inputKeyByName } from '../../core/chain/inputKey';
import { LineIndex } from '../../core/format/lineIndex';
import type { Span, VariableRef } from '../../core/format/model';
import type { PromptContext } from '../context';
import { analyze } from './analysis';

export function preferredInputKey(ctx: PromptContext, candidates: readonly string[]): string | undefined {
  return inputKeyByName(candidates) ?? spokenByHuman(ctx, candidates);
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

/**
 * Whether a reference is in a human message (chat) or on a line starting with the human prefix (text).
 * Asked for every use of every candidate (tens of thousands in a hostile file): each answer costs a binary
 * search, and a line's prefix is read once, however long the line and however many uses it holds.
 */
function humanPosition(ctx: PromptContext): (ref: VariableRef) => boolean {
  const body = ctx.prompt.body;
  if (body.kind === 'chat') {
    const human = body.messages.filter((message) => message.role === 'human').map((message) => message.span);
    return (ref) => inSpans(human, ref.span);
  }
  const text = ctx.prompt.text;
  const prefix = `${ctx.config.memory?.humanPrefix ?? 'Human'}:`.toLowerCase();
  const lines = new LineIndex(text);
  const humanLines = new Map<number, boolean>();
  return (ref) => {
    const line = lines.positionAt(ref.span.start).line;
    let human = humanLines.get(line);
    if (human === undefined) humanLines.set(line, (human = startsWithPrefix(text, lines.offsetAt({ line, character: 0 }), ref.span.start, prefix)));
    return human;
  };
}

/** Whether text[from, to), past its leading white space, starts with `prefix` (compared in lower case). */
function startsWithPrefix(text: string, from: number, to: number, prefix: string): boolean {
  let at = from;
  while (at < to && /\s/.test(text[at]!)) at++;
  return to - at >= prefix.length && text.slice(at, at + prefix.length).toLowerCase() === prefix;
}

/** Whether `span` lies inside one of `spans` (in document order, not overlapping). */
function inSpans(spans: readonly Span[], span: Span): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = spans[middle]!;
    if (candidate.end < span.start) low = middle + 1;
    else if (candidate.start > span.start) high = middle - 1;
    else return span.end <= candidate.end;
  }
  return false;
}
