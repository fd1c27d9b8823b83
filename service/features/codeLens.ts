// Code lenses above the body: run a chat turn, and clear the stored conversation when the file has memory.
// The commands are the VS Code client's; other editors may offer them through their own command wiring.

import type { CodeLens, Range } from 'vscode-languageserver-types';
import type { PromptContext } from '../context';
import { rangeOf } from './spans';
import { otherToolIn } from '../rules/otherToolFile';

export const runChatTurnCommand = 'promptChain.runChatTurn';
export const clearConversationMemoryCommand = 'promptChain.clearConversationMemory';

export function getCodeLenses(ctx: PromptContext): CodeLens[] {
  // Another tool's file (Dotprompt, Continue) is not run here: its notice offers Import… instead.
  if (otherToolIn(ctx) !== undefined) return [];
  const range = bodyTop(ctx);
  const uri = ctx.textDocument.uri;
  const lenses: CodeLens[] = [{ range, command: { title: '▶ Run chat turn', command: runChatTurnCommand, arguments: [uri] } }];
  if (ctx.config.memory) {
    const turns = ctx.facts.storedTurns.length;
    const title = `Clear memory (${turns} ${turns === 1 ? 'turn' : 'turns'})`;
    lenses.push({ range, command: { title, command: clearConversationMemoryCommand, arguments: [uri] } });
  }
  return lenses;
}

/** The first message's header, or the start of the completion template. */
function bodyTop(ctx: PromptContext): Range {
  const body = ctx.prompt.body;
  const first = body.kind === 'chat' ? body.messages[0] : undefined;
  if (first) return rangeOf(ctx, first.header.span);
  const start = body.kind === 'completion' ? body.template.span.start : body.span.start;
  return rangeOf(ctx, { start, end: start });
}
