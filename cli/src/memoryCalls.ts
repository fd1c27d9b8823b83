// What `run` says about the memory class's own model calls (a summary memory's summarizer): their JSON
// for --json, one line each for --verbose after LangChain's trace (its inner summary chain is not verbose,
// so the trace itself stays byte for byte LangChain's), and the one warning a failed summary call earns.

import type { MemoryCall, Usage } from '../../core/chain/types';
import { plural } from './output';

/** `{purpose, reason, model, prompt | messages, reply, usage, failure?}`: the prompt for a completion model, the messages for a chat one. */
export function memoryCallJson(call: MemoryCall): object {
  return {
    purpose: call.purpose,
    ...(call.reason && { reason: call.reason }),
    model: call.model,
    ...(call.messages ? { messages: call.messages } : { prompt: call.prompt }),
    reply: call.reply ?? null,
    usage: call.usage ?? null,
    ...(call.failure && { failure: { kind: call.failure.kind, message: call.failure.message } }),
  };
}

/** "memory: summary call to gpt-4o-mini: 152 prompt + 31 completion = 183 tokens" */
export function memoryCallLine(call: MemoryCall): string {
  const outcome = call.failure ? `failed (${call.failure.kind})` : usageText(call.usage);
  return `memory: ${call.purpose} call to ${call.model}: ${outcome}`;
}

function usageText(usage: Usage | undefined): string {
  if (!usage || (usage.promptTokens === undefined && usage.completionTokens === undefined && usage.totalTokens === undefined)) {
    return 'the endpoint reported no token usage';
  }
  const total = usage.totalTokens ?? (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
  const parts = [usage.promptTokens !== undefined && `${usage.promptTokens} prompt`, usage.completionTokens !== undefined && `${usage.completionTokens} completion`].filter(Boolean);
  return parts.length > 0 ? `${parts.join(' + ')} = ${plural(total, 'token')}` : plural(total, 'token');
}

/** The one line a failed or cancelled summary call earns: the turn is kept, the summary owed. */
export function memoryCallWarning(call: MemoryCall): string | undefined {
  if (!call.failure) return undefined;
  const reason = call.failure.message.replace(/\s*\n\s*/g, ' ');
  return `warning: the ${call.purpose} call to ${call.model} failed (${call.failure.kind}): ${reason}; the turn is kept and the summary is pending: it is made before the next turn`;
}
