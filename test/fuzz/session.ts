// Drives one language server (over stdio, through test/server/lspClient.ts) through fuzzed files: each file
// is opened, exercised with every declared request, edited a few times (whole-text and incremental
// changes) and exercised again, then closed. Every answer is checked for its method (answers.ts) against
// the text it was asked on; every error must be one the request allows; the server must stay up, answer
// within the hang guard and log no error or stack trace. Findings are collected, not thrown, so one run
// reports everything it found, each with the seed and file number that reproduce it.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range, SemanticTokensLegend, ServerCapabilities } from 'vscode-languageserver';
import { CancellationTokenSource, fileUri, type LspClient } from '../server/lspClient';
import { answerChecks, type Asked } from './answers';
import { corpus, editText, mutate, type Scale } from './mutate';
import { Random } from './random';
import { codeActionRange, documentMethods, fuzzedCommands, malformedRequest, mangledDiagnostics, newNames, positionMethods, positions } from './requests';
import { LatencyStats } from './stats';
import * as path from 'node:path';

export type DiagnosticsMode = 'pull' | 'push';

export interface FuzzOptions {
  seed: number;
  scale: Scale;
  /** Folder of the file: URIs (the server's workspace folder); the others are untitled:. */
  workspaceFolder: string;
  /** How long one answer may take before the server is declared stuck: a hang guard, not a timing check. */
  hangMs: number;
  /** No request is sent after this moment (Date.now()): the file in progress is closed and the run ends. */
  deadline?: number;
}

export interface Finding {
  seed: number;
  file: number;
  version: number;
  mode: DiagnosticsMode;
  method: string;
  params: string;
  problem: string;
  /** The document's text when it happened: enough to reproduce most findings by hand. */
  text: string;
}

/** What a request may answer besides a valid result. */
type Expect = 'answer' | 'answer or RequestFailed' | 'answer or ContentModified' | 'InvalidParams';

/** How a request is named in figures and findings: malformed and stale ones apart from the rest. */
const labels: Record<Expect, (name: string) => string> = {
  answer: (name) => name,
  'answer or RequestFailed': (name) => name,
  'answer or ContentModified': (name) => `${name} (stale diagnostics)`,
  InvalidParams: (name) => `${name} (malformed)`,
};

const InvalidParams = -32602;
const RequestFailed = -32803;
const RequestCancelled = -32800;
const ContentModified = -32801;

/** The server went away or stopped answering: nothing more can be learnt from this session. */
class ServerGone extends Error {}

/** The run's time is up: the file in progress is abandoned. */
class OutOfTime extends Error {}

interface Version {
  readonly index: number;
  readonly doc: TextDocument;
  readonly bytes: number;
  diagnostics: Diagnostic[];
  stale: Diagnostic[];
}

const seeds = corpus();

export class FuzzSession {
  readonly findings: Finding[] = [];
  /** Methods sent well-formed and answered: the run checks these cover every declared method. */
  readonly exercised = new Set<string>(['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose']);
  private readonly legend: SemanticTokensLegend;
  private gone: Error | undefined;

  constructor(
    readonly client: LspClient,
    readonly mode: DiagnosticsMode,
    readonly options: FuzzOptions,
    readonly stats: LatencyStats,
  ) {
    const capabilities: ServerCapabilities = client.initializeResult.capabilities;
    this.legend = capabilities.semanticTokensProvider?.legend ?? { tokenTypes: [], tokenModifiers: [] };
  }

  /** The server died or hung: the reason, once it happened. */
  get failure(): Error | undefined {
    return this.gone;
  }

  /** Opens, exercises, edits and closes fuzzed file number `index`; false once the server is gone or time is up. */
  async runFile(index: number): Promise<boolean> {
    if (this.gone || this.outOfTime()) return false;
    const random = Random.forFile(this.options.seed, index);
    const uri = random.chance(0.5) ? `untitled:fuzz-${index}.prompt` : fileUri(path.join(this.options.workspaceFolder, `fuzz-${index}.prompt`));
    const logsBefore = this.client.logs.items.length;
    const stderrBefore = this.client.stderrText.length;
    let version = this.versionOf(index, TextDocument.create(uri, 'prompt', 1, initialText(random, this.options.scale)), []);
    try {
      if (random.chance(0.05)) await this.client.changeSettings(randomSettings(random));
      await this.notify(version, () => this.client.open(uri, version.doc.getText(), 1));
      await this.exercise(version, random, 4);
      for (let edits = random.between(1, 3); edits > 0; edits--) {
        version = await this.edit(version, random);
        await this.exercise(version, random, 2);
      }
      await this.client.close(uri);
    } catch (error) {
      if (error instanceof OutOfTime) await this.client.close(uri);
      else if (error instanceof ServerGone) this.gone = error;
      else throw error;
      if (this.gone) this.record(version, 'server', '', this.gone.message);
    }
    this.checkLogs(version, logsBefore, stderrBefore);
    return !this.gone && !this.outOfTime();
  }

  private outOfTime(): boolean {
    return this.options.deadline !== undefined && Date.now() > this.options.deadline;
  }

  private versionOf(index: number, doc: TextDocument, stale: Diagnostic[]): Version {
    return { index, doc, bytes: Buffer.byteLength(doc.getText(), 'utf8'), diagnostics: [], stale };
  }

  /** Sends a didOpen/didChange; in push mode waits for that version's diagnostics and checks them. */
  private async notify(version: Version, send: () => Promise<void>): Promise<void> {
    if (this.outOfTime()) throw new OutOfTime();
    const since = this.client.diagnostics.items.length;
    const started = performance.now();
    await send();
    if (this.mode === 'pull') return;
    const { uri, version: number } = version.doc;
    const published = await this.guard(this.client.diagnostics.waitFor((p) => p.uri === uri && p.version === number, since), 'textDocument/publishDiagnostics');
    this.stats.record('textDocument/publishDiagnostics', performance.now() - started, version.bytes, version.index, () => version.doc.getText());
    this.exercised.add('textDocument/publishDiagnostics');
    for (const problem of this.problemsOf(version, 'textDocument/publishDiagnostics', published.diagnostics, {})) {
      this.record(version, 'textDocument/publishDiagnostics', { uri, version: number }, problem);
    }
    version.diagnostics = Array.isArray(published.diagnostics) ? published.diagnostics : [];
  }

  /** A whole-text change (a mutation of the text) or one to three incremental edits. */
  private async edit(previous: Version, random: Random): Promise<Version> {
    const number = previous.doc.version + (random.chance(0.9) ? 1 : random.between(2, 50));
    const next = TextDocument.create(previous.doc.uri, 'prompt', previous.doc.version, previous.doc.getText());
    const uri = previous.doc.uri;
    let send: () => Promise<void>;
    if (random.chance(0.35)) {
      const text = mutate(previous.doc.getText(), random, this.options.scale, random.between(1, 3));
      TextDocument.update(next, [{ text }], number);
      send = () => this.client.change(uri, number, text);
    } else {
      const changes = Array.from({ length: random.between(1, 3) }, () => {
        const change = { range: editRange(next, random), text: editText(random) };
        TextDocument.update(next, [change], number);
        return change;
      });
      send = () => this.client.changeRanges(uri, number, changes);
    }
    const version = this.versionOf(previous.index, next, previous.diagnostics);
    await this.notify(version, send);
    return version;
  }

  /** Every request the server declares, at `positionCount` positions. */
  private async exercise(version: Version, random: Random, positionCount: number): Promise<void> {
    const textDocument = { uri: version.doc.uri };
    if (this.mode === 'pull') {
      const report = await this.ask(version, random, 'textDocument/diagnostic', { textDocument }, 'answer');
      const items = (report as { items?: unknown } | undefined)?.items;
      version.diagnostics = Array.isArray(items) ? (items as Diagnostic[]) : [];
    }
    for (const method of documentMethods) await this.ask(version, random, method, { textDocument }, 'answer');
    const candidates = positions(version.doc, random);
    const asking = Array.from({ length: positionCount }, () => candidates.splice(random.int(candidates.length), 1)[0]!);
    for (const position of asking) {
      const asked = { position: version.doc.positionAt(version.doc.offsetAt(position)) };
      for (const method of positionMethods) {
        const params = { textDocument, position, context: { includeDeclaration: random.chance(0.5) }, newName: random.pick(newNames) };
        await this.ask(version, random, method, params, method === 'textDocument/rename' ? 'answer or RequestFailed' : 'answer', asked);
      }
    }
    await this.askCodeActions(version, random);
    for (const { command, args } of fuzzedCommands) {
      await this.ask(version, random, 'workspace/executeCommand', { command, arguments: [args(textDocument.uri, random)] }, 'answer or RequestFailed');
    }
    for (let i = 0; i < 2; i++) {
      const { method, params } = malformedRequest(textDocument.uri, random, this.mode === 'pull');
      await this.ask(version, random, method, params, 'InvalidParams');
    }
  }

  /** Fixes of the diagnostics the server gave, of the previous version's (stale) and of mangled ones. */
  private async askCodeActions(version: Version, random: Random): Promise<void> {
    const textDocument = { uri: version.doc.uri };
    const around = version.diagnostics.length > 0 ? random.pick(version.diagnostics).range : undefined;
    const current = { textDocument, range: codeActionRange(version.doc, random, around), context: { diagnostics: version.diagnostics } };
    await this.ask(version, random, 'textDocument/codeAction', current, 'answer');
    // The previous version's diagnostics, as a client holds them until new ones arrive: their fixes must
    // apply to the current text or be refused (LSP's ContentModified).
    const odd = [...version.stale, ...mangledDiagnostics(random)];
    await this.ask(version, random, 'textDocument/codeAction', { ...current, context: { diagnostics: odd } }, 'answer or ContentModified');
  }

  /** Sends one request, times it, and checks what came back. */
  private async ask(version: Version, random: Random, method: string, params: unknown, expect: Expect, asked: Asked = {}): Promise<unknown> {
    const name = method === 'workspace/executeCommand' ? `${method} ${String((params as { command?: unknown }).command)}` : method;
    const label = labels[expect](name);
    if (this.outOfTime()) throw new OutOfTime();
    const cancellation = expect === 'answer' && random.chance(0.02) ? new CancellationTokenSource() : undefined;
    const started = performance.now();
    const sent = this.client.request<unknown>(method, params, cancellation);
    cancellation?.cancel();
    const answered = await this.guard(sent, label).then(
      (result) => ({ result }),
      (error: unknown) => {
        if (error instanceof ServerGone) throw error;
        return { error: error as { code?: unknown; message?: unknown } };
      },
    );
    if (!cancellation) this.stats.record(label, performance.now() - started, version.bytes, version.index, () => version.doc.getText(), answered);
    if ('error' in answered) return void this.checkError(version, name, label, params, expect, answered.error, cancellation !== undefined);
    const { result } = answered;
    if (expect === 'InvalidParams') {
      this.record(version, label, params, `answered ${JSON.stringify(result)?.slice(0, 200)} instead of InvalidParams`);
      return result;
    }
    this.exercised.add(name);
    for (const problem of this.problemsOf(version, name, result, asked)) this.record(version, label, params, problem);
    return result;
  }

  private checkError(version: Version, name: string, label: string, params: unknown, expect: Expect, error: { code?: unknown; message?: unknown }, cancelled: boolean): void {
    const { code, message } = error;
    const allowed =
      (cancelled && code === RequestCancelled) ||
      (expect === 'InvalidParams' && code === InvalidParams) ||
      (expect === 'answer or RequestFailed' && code === RequestFailed) ||
      (expect === 'answer or ContentModified' && code === ContentModified);
    if (!allowed) return this.record(version, label, params, `answered error ${String(code)} (${expect} expected): ${String(message)}`);
    if (expect !== 'InvalidParams') this.exercised.add(name);
    if (typeof message !== 'string' || message.length === 0 || /[\r\n]/.test(message)) {
      this.record(version, label, params, `error ${String(code)} has no one-line message: ${JSON.stringify(message)?.slice(0, 300)}`);
    }
  }

  private problemsOf(version: Version, name: string, result: unknown, asked: Asked): string[] {
    const check = answerChecks[name];
    return check ? check(version.doc, result, asked, this.legend) : [`no check for ${name}`];
  }

  /** Rejects with ServerGone when the server exits or does not answer within the hang guard. */
  private async guard<T>(answer: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ServerGone(`no answer to ${what} within ${this.options.hangMs} ms: the server is stuck`)), this.options.hangMs);
    });
    const exit = this.client.exited.catch((error: Error) => {
      throw new ServerGone(error.message);
    });
    try {
      return await Promise.race([answer, hang, exit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The server logs only what it cannot help: an error or a stack trace while fuzzing is a finding. */
  private checkLogs(version: Version, logsBefore: number, stderrBefore: number): void {
    for (const log of this.client.logs.items.slice(logsBefore)) {
      if (log.type === 1 || /\n\s+at /.test(log.message)) this.record(version, 'window/logMessage', '', `logged (type ${log.type}): ${log.message.slice(0, 2000)}`);
    }
    const stderr = this.client.stderrText.slice(stderrBefore);
    if (stderr.length > 0) this.record(version, 'stderr', '', `wrote to stderr: ${stderr.slice(0, 2000)}`);
  }

  private record(version: Version, method: string, params: unknown, problem: string): void {
    this.findings.push({
      seed: this.options.seed,
      file: version.index,
      version: version.doc.version,
      mode: this.mode,
      method,
      params: JSON.stringify(params)?.slice(0, 500) ?? '',
      problem,
      text: version.doc.getText(),
    });
  }
}

/** A file to start from: a seed as is, two seeds spliced together, or (mostly) a mutated seed. */
function initialText(random: Random, scale: Scale): string {
  const seed = random.pick(seeds);
  return random.weighted<() => string>([
    [1, () => seed],
    [1, () => {
      const other = random.pick(seeds);
      return seed.slice(0, random.int(seed.length + 1)) + other.slice(random.int(other.length + 1));
    }],
    [8, () => mutate(seed, random, scale)],
  ])();
}

/** A range of the text for an incremental edit: mostly short, sometimes long, now and then past the end. */
function editRange(doc: TextDocument, random: Random): Range {
  const length = doc.getText().length;
  const start = random.int(length + 1);
  const end = random.chance(0.8) ? Math.min(length, start + random.int(8)) : random.between(start, length);
  const past = (position: Position): Position => (random.chance(0.05) ? { line: position.line + random.int(3), character: position.character + random.int(1000) } : position);
  return { start: doc.positionAt(start), end: past(doc.positionAt(end)) };
}

function randomSettings(random: Random): Record<string, unknown> {
  return {
    defaultMemoryKey: random.pick(['history', 'chat_history', 'q', 'stop', 'a b', '']),
    contextWindow: random.pick([256, 8192, 128_000]),
    models: random.pick([['gpt-4o'], [], ['x'.repeat(100)]]),
  };
}
