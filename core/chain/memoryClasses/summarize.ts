// The summary call of SummarizerMixin.predict_new_summary: `new_lines` is get_buffer_string(messages,
// human_prefix, ai_prefix), the summary prompt is formatted with it and the existing summary, and
// LangChain's inner LLMChain(llm, prompt).predict sends it — the completion prompt as is, or one human
// message to a chat model — on the chain's endpoint, with `summary_model`/`summary_parameters` if given.
// The inner chain is not verbose: nothing is added to the main chain's trace.

import type { ChainConfig, ChatMessage, LanguageModel, MemoryCall, MemoryCallReason, MemoryConfig } from '../types';
import { ChainError } from '../errors';
import { failureOf } from '../failure';
import { getBufferString } from '../format';
import { pyList } from '../pyRepr';
import { scanFString } from '../../format/fstring';
import { FileOffsets } from '../../format/text';
import { cancelledError } from '../../model/errors';
import { SUMMARY_PROMPT, SUMMARY_PROMPT_VARIABLES } from './summaryPrompt';
import { summaryModelOf } from './kinds';

/** What a summary call is asked to fold into the summary. */
export interface SummaryJob {
  /** The messages to add (pruned ones, or the turn's two), oldest first. */
  messages: ChatMessage[];
  /** The summary so far ('' for none). */
  existing: string;
  reason: MemoryCallReason;
}

/**
 * Refuses a summary prompt LangChain would refuse when the memory is built (validate_prompt_input_variables),
 * or that does not read as an f-string; with LangChain's message.
 */
export function assertSummaryPrompt(template: string): void {
  const scan = scanFString(template, FileOffsets.from(0));
  const problem = scan.problems[0];
  if (problem) {
    throw new ChainError('summary-prompt', `summary_prompt: ${problem.message}`, 'Fix the summary prompt in the memory block.');
  }
  const names = [...new Set(scan.variables.map((variable) => variable.name))].sort();
  const expected = [...SUMMARY_PROMPT_VARIABLES].sort();
  if (names.length === expected.length && names.every((name, i) => name === expected[i])) return;
  throw new ChainError(
    'summary-prompt',
    `Got unexpected prompt input variables. The prompt expects ${pyList(names)}, but it should have {'summary', 'new_lines'}.`,
    'Use exactly {summary} and {new_lines} in `summary_prompt`.',
  );
}

/** PromptTemplate(summary_prompt).format(summary=…, new_lines=…). */
export function formatSummaryPrompt(template: string, existing: string, newLines: string): string {
  const values: Record<string, string> = { summary: existing, new_lines: newLines };
  let text = '';
  for (const part of scanFString(template, FileOffsets.from(0)).parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'variable') text += values[part.name] ?? '';
  }
  return text;
}

/** The request LangChain sends for `job`: its prompt text, and for a chat model the one human message. */
export function summaryRequest(job: SummaryJob, memory: MemoryConfig): { prompt: string; messages: ChatMessage[] } {
  const newLines = getBufferString(job.messages, memory.humanPrefix, memory.aiPrefix);
  const prompt = formatSummaryPrompt(memory.summaryPrompt ?? SUMMARY_PROMPT, job.existing, newLines);
  return { prompt, messages: [{ type: 'human', content: prompt }] };
}

export interface SummaryCallContext {
  memory: MemoryConfig;
  chain: Pick<ChainConfig, 'api' | 'model' | 'parameters'>;
  model: LanguageModel;
  signal?: AbortSignal;
}

/**
 * Makes the call. A failure (an endpoint error, a timeout, a cancel) is returned in the MemoryCall, never
 * thrown: the turn it belongs to is already stored, and the summary is owed to the next turn.
 */
export async function callSummary(job: SummaryJob, context: SummaryCallContext): Promise<MemoryCall> {
  const { memory, chain } = context;
  const modelName = summaryModelOf(memory, chain) ?? '';
  const request = summaryRequest(job, memory);
  const call: MemoryCall = { purpose: 'summary', reason: job.reason, model: modelName, prompt: request.prompt };
  if (chain.api === 'chat') call.messages = request.messages;
  try {
    if (context.signal?.aborted) throw cancelledError();
    const reply = await context.model.invoke({
      api: chain.api,
      model: modelName,
      ...(chain.api === 'chat' ? { messages: request.messages } : { prompt: request.prompt }),
      parameters: memory.summaryParameters ?? chain.parameters,
      signal: context.signal,
    });
    call.reply = reply.text;
    if (reply.usage) call.usage = reply.usage;
  } catch (error) {
    const failure = failureOf(error);
    if (!failure) throw error;
    call.failure = { kind: failure.kind, message: failure.message };
  }
  return call;
}
