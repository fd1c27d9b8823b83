// The judge: a model asked, through the same endpoint as the conversation, whether a reply meets a rubric.
// It answers with one JSON object, `{"reasoning": "...", "pass": true|false}`; the reasoning comes first so
// the verdict follows from it. A reply that holds no such object is no verdict (the assertion fails and
// shows what the judge said). Failures of the call other than a cancel are no verdict either; a cancel
// cancels the turn.

import type { Api } from '../format/model';
import type { ChatMessage, LanguageModel } from '../chain/types';
import { failureOf } from '../chain/failure';
import { cancelledError } from '../model/errors';

export type JudgeVerdict =
  | { readonly model: string; readonly pass: boolean; readonly reasoning: string }
  | { readonly model: string; readonly problem: string; readonly reply?: string };

export interface JudgeRequest {
  readonly model: LanguageModel;
  readonly modelName: string;
  /** The prompt's api when the judge is the conversation's own model (a completion model cannot chat); else chat. */
  readonly api: Api;
  readonly rubric: string;
  readonly input: string;
  readonly reply: string;
  readonly signal?: AbortSignal;
}

const instructions = [
  'You grade one reply of an assistant against a rubric.',
  'Read the rubric, the input the assistant was given and its reply, and decide whether the reply meets every point of the rubric.',
  'Answer with exactly one JSON object and nothing else: {"reasoning": "<why, in at most three sentences>", "pass": <true or false>}',
].join('\n');

export function judgeMessages(rubric: string, input: string, reply: string): ChatMessage[] {
  return [
    { type: 'system', content: instructions },
    { type: 'human', content: `Rubric:\n${rubric}\n\nInput:\n${input}\n\nReply:\n${reply}` },
  ];
}

export async function judgeReply(req: JudgeRequest): Promise<JudgeVerdict> {
  const messages = judgeMessages(req.rubric, req.input, req.reply);
  const asText = messages.map((message) => message.content).join('\n\n');
  let text: string;
  try {
    const request = req.api === 'chat' ? { messages } : { prompt: asText };
    text = (await req.model.invoke({ api: req.api, model: req.modelName, ...request, parameters: { temperature: 0 }, ...(req.signal && { signal: req.signal }) })).text;
  } catch (error) {
    const failure = failureOf(error);
    if (failure?.kind === 'cancelled' || req.signal?.aborted) throw cancelledError();
    if (!failure) throw error;
    return { model: req.modelName, problem: `the call failed (${failure.kind}): ${failure.message}` };
  }
  return verdictOf(text, req.modelName);
}

/** The first `{` to the last `}` of the reply, read as the verdict (models add words or fences around it). */
export function verdictOf(text: string, model: string): JudgeVerdict {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  const noVerdict = (why: string): JudgeVerdict => ({ model, problem: why, reply: text });
  if (start < 0 || end < start) return noVerdict('its reply holds no JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return noVerdict('its reply holds no JSON object');
  }
  const verdict = value as { pass?: unknown; reasoning?: unknown };
  if (typeof verdict.pass !== 'boolean') return noVerdict('its answer has no boolean "pass"');
  return { model, pass: verdict.pass, reasoning: typeof verdict.reasoning === 'string' ? verdict.reasoning : '' };
}
