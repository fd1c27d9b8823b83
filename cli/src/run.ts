// `prompt-chain run FILE --input TEXT ...`: one chat turn with the file's stored conversation, the reply
// streamed to stdout as it arrives. The key comes only from OPENAI_API_KEY and the endpoint only from
// --base-url, else OPENAI_BASE_URL, else OpenAI's (resolveEndpoint, the rule every host shares): a .prompt
// file (shared content) can never send the key elsewhere.

import { dirname, resolve } from 'node:path';
import type { ChainConfig, Conversation, HistoryEntry, LanguageModel, TurnResult } from '../../core/chain/types';
import { previewTurn, runTurn } from '../../core/chain/run';
import { shouldColor, traceEnd, traceStart } from '../../core/chain/trace';
import { ChainError, fileHasErrorsError } from '../../core/chain/errors';
import { otherToolRefusal } from '../../core/interop/otherTools';
import { failureOf, type FailureSources } from '../../core/chain/failure';
import { ModelError } from '../../core/model/errors';
import { endpointShown, localEndpointLabel, modelShown, problemFor, resolveEndpoint, type Endpoint } from '../../core/model/endpoint';
import { defaultMaxReplyChars, largestMaxReplyChars } from '../../core/model/limits';
import { createModel } from '../../core/model/createModel';
import { cliLocalPool } from './localPool';
import type { PromptContext } from '../../service/context';
import { has, nonEmptyValueOf, numberOf, parseArgs, valueOf, valuesOf, UsageError, type ParsedArgs } from './args';
import { memoryLocationFlags, memoryLocationOf } from './conversation';
import { historyAttachmentOf, historyFlags, withFileConversation, type SharedAttachment } from './history';
import { CliError, diagnosticLine, ExitCode, json, styled, type Io } from './output';
import { loadPrompt, problemsOf } from './prompt';
import { commandUsage } from './usage';
import { memoryCallJson, memoryCallLine, memoryCallWarning } from './memoryCalls';

const runFlags = [
  { name: 'input', value: true },
  { name: 'var', value: true, repeatable: true },
  { name: 'model', value: true },
  { name: 'base-url', value: true },
  { name: 'timeout', value: true },
  { name: 'max-reply-chars', value: true },
  ...memoryLocationFlags,
  ...historyFlags,
  { name: 'verbose' },
  { name: 'json' },
  { name: 'dry-run' },
  { name: 'help', short: 'h' },
];

/** How long a silent endpoint is waited for, before the first piece of the reply and between pieces. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** A day: longer is no timeout at all, and Node's timers stop at 2^31-1 ms (24.8 days). */
const MAX_TIMEOUT_SECONDS = 86_400;

/** What the command line says about the model call, checked before anything is read or sent. */
export interface ModelFlags {
  model?: string;
  baseUrl?: string;
  timeoutSeconds: number;
  maxReplyChars: number;
}

interface TurnRequest {
  file: string;
  ctx: PromptContext;
  config: ChainConfig;
  input: string;
  variables: Record<string, string>;
}

export async function runCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, runFlags);
  if (has(args, 'help')) {
    io.out(`${commandUsage.run}\n`);
    return ExitCode.ok;
  }
  const file = onlyFile(args);
  const input = valueOf(args, 'input');
  if (input === undefined) throw new UsageError('run needs --input TEXT');
  const variables = parseVariables(valuesOf(args, 'var'));
  const flags = modelFlags(args);
  memoryLocationOf(args); // checked now, even for a prompt without memory
  const ctx = await loadPrompt(file);
  const request: TurnRequest = { file, ctx, config: { ...ctx.config, model: flags.model ?? ctx.config.model }, input, variables };
  const endpoint = endpointOf(flags, io);
  try {
    refuseErrors(file, ctx, io);
    // A store or session that cannot be attached is refused before anything is sent.
    if (ctx.config.memory) historyAttachmentOf(args, io, ctx.config.memory.history);
    if (has(args, 'dry-run')) return await dryRun(request, args, io);
    return await runOnce(request, turnModel(endpoint, flags, io, request.config.model, request.file), endpoint, args, io);
  } catch (error) {
    const printed = timeoutAdvice(error, flags.timeoutSeconds);
    if (has(args, 'json')) printFailureJson(error, printed, failureSources(endpoint, request), io);
    // A base URL that is not one is a usage error (exit 2), like any other bad flag value.
    throw error instanceof ModelError && error === endpoint.problem && error.kind === 'bad-url' ? new UsageError(error.message) : printed;
  }
}

function modelFlags(args: ParsedArgs): ModelFlags {
  const timeoutSeconds = numberOf(args, 'timeout', { what: 'a number of seconds', min: 0.001, max: MAX_TIMEOUT_SECONDS, fractions: true });
  const maxReplyChars = numberOf(args, 'max-reply-chars', { what: 'a number of characters', min: 1, max: largestMaxReplyChars });
  return {
    model: nonEmptyValueOf(args, 'model', 'a model name'),
    baseUrl: nonEmptyValueOf(args, 'base-url', 'a URL'),
    timeoutSeconds: timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    maxReplyChars: maxReplyChars ?? defaultMaxReplyChars,
  };
}

/**
 * With --json, a turn that failed in the chain, the model or the store prints an object too:
 * `{ "error": { "kind", "reason", "message", "setting"? } }` (kind and setting as the language server sends
 * them: core/chain/failure.ts; the message as printed on stderr), so a program acts on the kind.
 */
function printFailureJson(error: unknown, printed: unknown, sources: FailureSources, io: Io): void {
  const failure = failureOf(error, sources);
  if (!failure || !(printed instanceof Error)) return;
  const message = printed === error ? failure.message : printed.message;
  const { kind, reason, setting, retryAfterMs } = failure;
  io.out(json({ error: { kind, ...(reason && { reason }), message, ...(setting && { setting }), ...(retryAfterMs !== undefined && { retryAfterMs }) } }));
}

/** The settings a failure may name: --base-url or OPENAI_BASE_URL, OPENAI_API_KEY, --model. */
function failureSources(endpoint: Endpoint, request: TurnRequest): FailureSources {
  const namesModel = request.ctx.prompt.frontMatter?.model !== undefined;
  return { endpoint: endpoint.source, apiKey: endpoint.keySource, ...(!namesModel && { model: { kind: 'flag', name: '--model' } }) };
}

/** A timeout says how to wait longer, which only the command line can offer. */
function timeoutAdvice(error: unknown, seconds: number): unknown {
  if (!(error instanceof ModelError) || error.kind !== 'timeout') return error;
  return new CliError(
    `${error.endpoint ?? 'The endpoint'} sent nothing for ${seconds} s: check that the server is running and the model is loaded, or wait longer with --timeout SECONDS.`,
  );
}

function onlyFile(args: ParsedArgs): string {
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw new UsageError('run needs a FILE');
  if (extra.length > 0) throw new UsageError(`run takes one FILE; unexpected "${extra[0]}"`);
  return file;
}

function parseVariables(assignments: string[]): Record<string, string> {
  const variables = assignments.map((assignment): [string, string] => {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new UsageError(`--var needs NAME=VALUE, got "${assignment}"`);
    return [assignment.slice(0, equals), assignment.slice(equals + 1)];
  });
  // fromEntries defines own properties: `--var __proto__=x` is a variable like any other.
  return Object.fromEntries(variables);
}

/** A prompt with errors would not run as written: list them all, as `check` would, then refuse (core's words). */
function refuseErrors(file: string, ctx: PromptContext, io: Io): void {
  // Another tool's file shows no error (Prompt Chain leaves it alone), yet it is not ours to run: the server's refusal.
  const otherTool = otherToolRefusal(ctx.prompt.text, file, `\`prompt-chain import ${file}\``);
  if (otherTool !== undefined) throw new ChainError('invalid-prompt', otherTool);
  const errors = problemsOf(file, ctx).filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  for (const error of errors) io.err(`${diagnosticLine(error)}\n`);
  throw fileHasErrorsError(file, errors.length);
}

/** The endpoint by the rule every host shares; `--base-url` is the CLI's name for the user's setting. */
export function endpointOf(flags: ModelFlags, io: Io): Endpoint {
  return resolveEndpoint({ baseUrl: flags.baseUrl, baseUrlSource: { kind: 'flag', name: '--base-url' }, env: io.env });
}

/**
 * The model for the turns of `model`, where core/model/endpoint.ts sends them: in-process on the local
 * model, or to the endpoint. Refuses before anything is sent: a base URL that is not one (or holds a
 * password), OpenAI's endpoint without a key, a malformed local model name.
 */
export function turnModel(endpoint: Endpoint, flags: ModelFlags, io: Io, model: string | undefined, file?: string): LanguageModel {
  // The message names the URL without its credentials; a bad URL is a usage error (exit 2).
  const problem = problemFor(model, endpoint);
  if (problem) throw problem;
  return createModel(endpoint, { timeoutMs: flags.timeoutSeconds * 1000, maxReplyChars: flags.maxReplyChars, localPool: () => cliLocalPool(io), ...(file && { baseDir: dirname(resolve(file)) }) });
}

async function runOnce(request: TurnRequest, model: LanguageModel, endpoint: Endpoint, args: ParsedArgs, io: Io): Promise<number> {
  return withFileConversation(request.file, request.config.memory, args, io, (conversation, attachment) => runWith(request, conversation, attachment, model, endpoint, args, io));
}

/** Where the turn ran, for --verbose and --json: the model as shown, and the endpoint's label (`local` in-process). */
function ranOn(request: TurnRequest, endpoint: Endpoint): { model: string; endpoint: string } {
  return { model: modelShown(request.config.model, endpoint), endpoint: endpointShown(request.config.model, endpoint) };
}

async function runWith(request: TurnRequest, conversation: Conversation<HistoryEntry> | undefined, attachment: SharedAttachment | undefined, model: LanguageModel, endpoint: Endpoint, args: ParsedArgs, io: Io): Promise<number> {
  const asJson = has(args, 'json');
  const trace = has(args, 'verbose') ? { color: shouldColor({ isTTY: io.stderrIsTTY }, io.env) } : undefined;
  const reply = wholeCharacters((text) => io.out(text));
  let streamed = false;
  let result: TurnResult;
  try {
    result = await runTurn({
      prompt: request.ctx.prompt,
      config: request.config,
      input: request.input,
      variables: request.variables,
      conversation,
      model,
      signal: io.signal,
      onPrompt: (prompt) => {
        if (trace) io.errStyled(styled((safe) => traceStart(safe(prompt), trace)));
      },
      onToken: (token) => {
        if (asJson) return;
        streamed = true;
        reply.write(token);
      },
    });
  } catch (error) {
    // A reply cut off mid-stream still ends its line, so the error that follows starts on its own.
    reply.flush();
    if (streamed) io.out('\n');
    throw error;
  }
  reply.flush();
  if (!asJson) io.out(`${streamed ? '' : result.reply}\n`);
  if (trace) io.errStyled(styled(() => traceEnd(trace)));
  const where = ranOn(request, endpoint);
  // After the trace, which stays LangChain's own: which model answered, and where.
  if (trace) io.errStyled(styled((safe) => `model: ${safe(where.model)}${where.endpoint === localEndpointLabel ? ' (in-process)' : ` at ${safe(where.endpoint)}`}\n`));
  reportMemoryCalls(result, trace !== undefined, io);
  // A read-only attachment ran the turn and kept nothing: said whatever the flags.
  if (result.notSaved) io.err(`${result.notSaved}\n`);
  if (asJson) io.out(json(turnJson(result, attachment, where)));
  return ExitCode.ok;
}

/** After the trace, one line per memory call (--verbose); a failed summary call is said whatever the flags. */
function reportMemoryCalls(result: TurnResult, verbose: boolean, io: Io): void {
  for (const call of result.memoryCalls ?? []) {
    if (verbose) io.err(`${memoryCallLine(call)}\n`);
    const warning = memoryCallWarning(call);
    if (warning) io.err(`${warning}\n`);
  }
}

/**
 * Passes streamed pieces on whole characters at a time. A server may split a UTF-16 surrogate pair (an
 * emoji) across two events, and a lone half written to stdout becomes U+FFFD: a trailing high surrogate
 * waits for the next piece. `flush` writes whatever is held (a truly lone half is then what it is).
 */
function wholeCharacters(write: (text: string) => void): { write(piece: string): void; flush(): void } {
  let held = '';
  return {
    write(piece) {
      const text = held + piece;
      const last = text.charCodeAt(text.length - 1);
      const splitPair = last >= 0xd800 && last <= 0xdbff;
      held = splitPair ? text.slice(-1) : '';
      const whole = splitPair ? text.slice(0, -1) : text;
      if (whole) write(whole);
    },
    flush() {
      if (held) write(held);
      held = '';
    },
  };
}

/** Formats exactly what `run` would send, with the stored memory, by the turn's own steps; neither calls the model nor saves. */
async function dryRun(request: TurnRequest, args: ParsedArgs, io: Io): Promise<number> {
  return withFileConversation(request.file, request.config.memory, args, io, (conversation) => dryRunWith(request, conversation, args, io));
}

async function dryRunWith(request: TurnRequest, conversation: Conversation<HistoryEntry> | undefined, args: ParsedArgs, io: Io): Promise<number> {
  const preview = await previewTurn({ prompt: request.ctx.prompt, config: request.config, input: request.input, variables: request.variables, conversation });
  const pendingSummary = preview.pendingSummary === true;
  if (has(args, 'json')) io.out(json({ prompt: preview.prompt, messages: preview.messages ?? null, reply: null, usage: null, memoryCalls: [], pendingSummary }));
  else io.out(`${preview.prompt}\n`);
  // The preview never calls the model: a summary owed by earlier turns is made by the next real turn, first.
  if (pendingSummary && !has(args, 'json')) io.err('summary pending: the next run makes it before formatting, so its prompt will show the new summary\n');
  return ExitCode.ok;
}

/** `history` (attached runs only): the store's display URL, the session, and whether the turn was saved. */
function turnJson(result: TurnResult, attachment: SharedAttachment | undefined, where: { model: string; endpoint: string }): object {
  return {
    model: where.model,
    endpoint: where.endpoint,
    prompt: result.prompt,
    messages: result.messages ?? null,
    reply: result.reply,
    usage: result.usage ?? null,
    memoryCalls: (result.memoryCalls ?? []).map(memoryCallJson),
    ...(attachment && { history: { store: attachment.target.display, session: attachment.sessionId, saved: result.notSaved === undefined } }),
  };
}
