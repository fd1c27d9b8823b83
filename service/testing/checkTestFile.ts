// The problems of a test file that need its prompt: the prompt cannot be read, has errors (what `run` would
// refuse: the language service's error diagnostics, such as no single input variable, or another tool's
// file), has no variable `vars:` sets, or needs one `vars:` does not set; and a `history:` file not there.
// The host reads files (an open editor's text before the disk's); the prompt's context comes back with the
// problems so a runner does not read and parse it again.

import type { Diagnostic } from 'vscode-languageserver-types';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { closestMatch } from '../../core/format/didYouMean';
import { turnInputsOf } from '../../core/chain/inputKey';
import { otherToolRefusal } from '../../core/interop/otherTools';
import { testRelativePath } from '../../core/testing/testPaths';
import type { TestConversation, TestFile, TestFileProblem } from '../../core/testing/types';
import { createContext, defaultServiceSettings, type PromptContext, type ServiceSettings } from '../context';
import { validate } from '../diagnostics';

export interface TestFileHost {
  /** The text of the file at an absolute path; throws an Error whose message is one line saying why not. */
  readText(path: string): Promise<string>;
  /** Whether a file is at an absolute path. */
  exists(path: string): Promise<boolean>;
  readonly settings?: ServiceSettings;
  /** The prompt's diagnostics (default: complete, `validate`; the server passes `validateNow`). */
  readonly diagnose?: (ctx: PromptContext) => Diagnostic[];
}

export interface TestFileCheck {
  readonly problems: readonly TestFileProblem[];
  /** Absolute; undefined when the file names no prompt. */
  readonly promptPath?: string;
  /** The prompt's context, when it could be read (with errors or not). */
  readonly prompt?: PromptContext;
}

export async function checkTestFile(file: TestFile, testFilePath: string, host: TestFileHost): Promise<TestFileCheck> {
  const problems: TestFileProblem[] = [];
  const histories = await historyProblems(file, testFilePath, host);
  if (file.prompt === '') return { problems: histories };
  const promptPath = testRelativePath(testFilePath, file.prompt);
  const prompt = await readPrompt(file, promptPath, host, problems);
  if (prompt) {
    const refusal = refusalOf(file, prompt, host);
    if (refusal) problems.push(refusal);
    else for (const conversation of file.conversations) problems.push(...variableProblems(conversation, prompt));
  }
  problems.push(...histories);
  return prompt ? { problems, promptPath, prompt } : { problems, promptPath };
}

async function readPrompt(file: TestFile, promptPath: string, host: TestFileHost, problems: TestFileProblem[]): Promise<PromptContext | undefined> {
  try {
    const text = await host.readText(promptPath);
    const document = TextDocument.create(pathToFileURL(promptPath).href, 'langchain-prompt', 0, text);
    return createContext(document, host.settings ?? defaultServiceSettings);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(`${promptPath}: `, '') : String(error);
    problems.push({ code: 'test-prompt-missing', message: `The prompt \`${file.prompt}\` cannot be read: ${reason}.`, span: file.promptSpan, severity: 'error' });
    return undefined;
  }
}

/** Why no turn of the prompt would run: another tool's file, or error diagnostics (`run` refuses both). */
function refusalOf(file: TestFile, prompt: PromptContext, host: TestFileHost): TestFileProblem | undefined {
  const refuse = (message: string): TestFileProblem => ({ code: 'test-prompt-has-errors', message, span: file.promptSpan, severity: 'error' });
  const otherTool = otherToolRefusal(prompt.prompt.text, file.prompt, '`prompt-chain import`');
  if (otherTool) return refuse(otherTool);
  const errors = (host.diagnose ?? validate)(prompt).filter((diagnostic) => diagnostic.severity === 1);
  const first = errors[0];
  if (first) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return refuse(`The prompt \`${file.prompt}\` has errors, so none of its tests can run: line ${first.range.start.line + 1}: ${plain(first)}${more}.`);
  }
  return undefined;
}

function plain(diagnostic: Diagnostic): string {
  const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  return message.replace(/\.$/, '');
}

function variableProblems(conversation: TestConversation, prompt: PromptContext): TestFileProblem[] {
  const inputs = turnInputsOf(prompt.prompt.body, prompt.config);
  const known = new Set(inputs.variables.map((variable) => variable.name));
  const problems: TestFileProblem[] = [];
  for (const [name, span] of Object.entries(conversation.varSpans)) {
    if (known.has(name)) continue;
    problems.push({ code: 'test-unknown-variable', message: unknownVariableMessage(name, inputs.inputKey, prompt, [...known]), span, severity: 'error' });
  }
  const missing = inputs.variables.filter((variable) => variable.required && !Object.hasOwn(conversation.vars, variable.name)).map((variable) => variable.name);
  if (missing.length > 0) {
    const names = missing.map((name) => `\`${name}\``).join(', ');
    const message = `The prompt needs ${names} besides the input: give ${missing.length === 1 ? 'it a value' : 'them values'} under \`vars:\`, or LangChain fails the first turn with "Missing some input keys".`;
    problems.push({ code: 'test-missing-variable', message, span: conversation.nameSpan, severity: 'error' });
  }
  return problems;
}

function unknownVariableMessage(name: string, inputKey: string | null, prompt: PromptContext, known: readonly string[]): string {
  if (name === inputKey) return `\`${name}\` is the prompt's input variable: each turn's \`input:\` gives it its value; remove it from \`vars:\`.`;
  if (name === prompt.config.memory?.key) return `\`${name}\` is the memory's variable: the conversation's memory fills it; remove it from \`vars:\`.`;
  const typo = closestMatch(name, known);
  const advice = typo ? `Did you mean \`${typo}\`?` : known.length > 0 ? `Its variables besides the input: ${known.join(', ')}.` : 'It takes no variable besides the input; remove it.';
  return `The prompt has no variable \`${name}\`. ${advice}`;
}

async function historyProblems(file: TestFile, testFilePath: string, host: TestFileHost): Promise<TestFileProblem[]> {
  const problems: TestFileProblem[] = [];
  for (const conversation of file.conversations) {
    if (conversation.history === undefined || !conversation.historySpan) continue;
    if (await host.exists(testRelativePath(testFilePath, conversation.history))) continue;
    const message = `No history file \`${conversation.history}\` (relative to this file): the memory would have nothing to start from. Fix the path, or remove \`history:\` to start from empty memory.`;
    problems.push({ code: 'test-history-missing', message, span: conversation.historySpan, severity: 'error' });
  }
  return problems;
}
