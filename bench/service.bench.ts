// The language service on a 5,000-line `.prompt` (bench/largePrompt.ts): what an edit costs before the
// server adds transport — the parse, diagnostics (createContext + validate, the issue's ≤ 2 ms), and the
// features an editor asks for while typing: completion, hover, semantic tokens.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { parsePrompt } from '../core/format/parse';
import { createContext, getCompletions, getHover, getSemanticTokens, validate } from '../service/languageService';
import { largePrompt } from './largePrompt';
import { measure, report } from './lib';

const LINES = 5000;
const RUNS = 200;

export async function benchService(): Promise<void> {
  const { text, lines } = largePrompt(LINES);
  const document = TextDocument.create('file:///bench/support-bot.prompt', 'prompt', 1, text);
  const context = createContext(document);
  const at = (needle: string, from: number, inside: number) => document.positionAt(text.indexOf(needle, from) + inside);
  const variableCompletion = at('{question}', 0, 1);
  const partialHover = at('{company}', text.length >> 1, 2);
  const memoryHover = at('{chat_history}', 0, 2);
  const diagnostics = validate(context).length;

  const samples = [
    await measure('parsePrompt', RUNS, () => parsePrompt(text)),
    await measure('createContext (parse + config)', RUNS, () => createContext(document)),
    await measure('validate (context already built)', RUNS, () => validate(context)),
    await measure('createContext + validate (target <= 2 ms)', RUNS, () => validate(createContext(document))),
    await measure('completion of a variable inside {', RUNS, () => getCompletions(context, variableCompletion)),
    await measure('hover on a partial variable', RUNS, () => getHover(context, partialHover)),
    await measure('hover on the memory key', RUNS, () => getHover(context, memoryHover)),
    await measure('semantic tokens, whole document', RUNS, () => getSemanticTokens(context)),
  ];
  const messages = context.prompt.body.kind === 'chat' ? context.prompt.body.messages.length : 1;
  report(`language service, ${lines}-line .prompt (${(text.length / 1024).toFixed(0)} KiB, ${messages} messages, ${diagnostics} diagnostics)`, samples);
}
