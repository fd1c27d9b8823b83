// The language service on a 5,000-line `.prompt` (bench/largePrompt.ts): what an edit costs before the
// server adds transport — the parse, diagnostics (createContext + validate, the issue's ≤ 2 ms), and the
// features an editor asks for while typing: completion, hover, semantic tokens. Then growth curves for
// hostile shapes (N, 2N, 4N, 8N): the time per doubling should stay near 2x (target <= 2.2).

import { TextDocument } from 'vscode-languageserver-textdocument';
import { parsePrompt } from '../core/format/parse';
import { parseTestFile } from '../core/testing/testFile';
import { createContext, getCompletions, getHover, getSemanticTokens, validate } from '../service/languageService';
import type { Turn } from '../core/chain/types';
import { largePrompt } from './largePrompt';
import { formatMs, measure, median, report } from './lib';

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
  await benchGrowth();
}

interface Shape {
  readonly name: string;
  readonly base: number;
  /** The file and stored turns at size n; `run` differs per run where a first count is measured. */
  make(n: number, run: number): { text: string; turns?: readonly Turn[] };
  /** A `.prompt-test.yaml` (parsed as the server reads one) rather than a `.prompt`. */
  readonly testFile?: true;
}

/** Seeded letters without a word break: the tokenizer's worst case, never counted before when `seed` is new. */
function letters(length: number, seed: number): string {
  let state = seed + 1;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    text += String.fromCharCode(97 + (state % 26));
  }
  return text;
}

const storedTurns = new Map<number, Turn[]>();
function turnsOf(n: number): Turn[] {
  let turns = storedTurns.get(n);
  if (!turns) storedTurns.set(n, (turns = Array.from({ length: n }, (_, i) => ({ input: `question ${i} about the order`, output: `answer ${i}: it ships tomorrow` }))));
  return turns;
}

const shapes: readonly Shape[] = [
  { name: 'one-line template of N letters, first count', base: 25_000, make: (n, run) => ({ text: `---\nmodel: gpt-4\nmemory:\n  key: h\n---\n${letters(n, run)}{h}` }) },
  { name: 'N/4 `x{h}` on one line (memory in h)', base: 20_000, make: (n) => ({ text: `---\nmemory:\n  key: h\n---\n${'x{h}'.repeat(n / 4)}` }) },
  { name: 'N `{` on one line', base: 25_000, make: (n) => ({ text: '{'.repeat(n) }) },
  {
    name: 'N run-time variables and N partials',
    base: 500,
    make: (n) => ({
      text: `---\npartial_variables:\n${Array.from({ length: n }, (_, i) => `  example_${i}_output: x`).join('\n')}\n---\n${Array.from({ length: n }, (_, i) => `{example_${i}_input} {example_${i}_output}`).join('\n')}`,
    }),
  },
  { name: 'test file: N `{` after a scalar in a flow map', base: 8_000, testFile: true, make: (n) => ({ text: `{{\n  key: chat_hist${'{'.repeat(n)}\n` }) },
  { name: 'N stored turns, a keystroke after the first count', base: 10_000, make: (n, run) => ({ text: `---\nmodel: gpt-4o\n---\n{history}\nHuman: {input}${'!'.repeat(run)}`, turns: turnsOf(n) }) },
];

/** createContext + validate at N, 2N, 4N, 8N, and the growth per doubling. */
export async function benchGrowth(): Promise<void> {
  console.log('\n## language service growth: createContext + validate (a test file: its parse) at N, 2N, 4N, 8N (target per doubling <= 2.2)');
  for (const shape of shapes) {
    const medians: number[] = [];
    // Untimed runs at N first: otherwise N alone is timed while its code is still being compiled.
    for (let run = 0; run < 3; run++) measureShape(shape, shape.base, 100 + run);
    for (let k = 0; k < 4; k++) {
      const n = shape.base * 2 ** k;
      const times: number[] = [];
      for (let run = 0; run < 7; run++) times.push(measureShape(shape, n, run + 10 * k));
      medians.push(median(times));
    }
    const growth = medians.slice(1).map((value, i) => (value / medians[i]!).toFixed(2));
    console.log(`  ${shape.name.padEnd(52)} ${medians.map((value) => formatMs(value).padStart(10)).join('')}   per doubling ${growth.join(' ')}`);
  }
}

/**
 * The run before's result, kept as the server keeps an open document's context until the next version
 * replaces it: with nothing of the kind alive, the collection below would take the hidden classes of its
 * objects and with them the optimized code of everything that read them (../core/shapes.ts).
 */
const previousRun: unknown[] = [];

/** One timed createContext + validate (or test-file parse) of the shape at size n, in ms. */
function measureShape(shape: Shape, n: number, run: number): number {
  const { text, turns } = shape.make(n, run);
  const document = TextDocument.create('file:///bench/growth.prompt', 'prompt', 1, text);
  // The garbage of the run before is collected off the clock (`npm run bench` runs node with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  if (shape.testFile) previousRun[0] = parseTestFile(text);
  else {
    const context = createContext(document, undefined, { storedTurns: turns ?? [] });
    validate(context);
    previousRun[0] = context;
  }
  return performance.now() - t0;
}

