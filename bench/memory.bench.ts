// The durable memory store (core/memory/store.ts) on a real disk: saving a turn must cost the same with
// 10 or 10,000 stored turns (one append + fsync), and a conversation kept open reads only what was
// appended since its last load (core/memory/reader.ts) where a fresh one reads the whole file. Last, a
// whole turn through runTurn with the durable store, to set beside the in-memory figure of section chain.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parsePrompt } from '../core/format/parse';
import { resolveConfig } from '../core/chain/config';
import { runTurn } from '../core/chain/run';
import type { LanguageModel, MemoryConfig, Turn } from '../core/chain/types';
import { openConversation, type StoredConversation } from '../core/memory/store';
import { encodeRecord } from '../core/memory/records';
import { createMemoryConversation } from '../test/support/memoryConversation';
import { measure, ratio, report, type Sample } from './lib';
import { measureRounds } from './timed';

const APPEND_RUNS = 100;
const LOAD_RUNS = 50;
const TURN_RUNS = 200;
const TURN_STORED = 1000;

const memory: MemoryConfig = { type: 'buffer', key: 'history', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' };
const scriptedModel: LanguageModel = { invoke: async () => ({ text: 'R' }) };

/** A turn of realistic size: a one-line question, a paragraph of answer. */
function supportTurn(i: number): Turn {
  return {
    input: `Question ${i}: how do I rotate the access keys of a bucket without downtime?`,
    output: `Answer ${i}: create the new key first, deploy it to every client, check the access log shows only the new key, then revoke the old one. Nothing is interrupted because both keys are valid during the switch.`,
  };
}

class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), 'prompt-chain-bench-'));
  readonly stateDir = join(this.root, 'state');

  /** Opens the conversation of `<root>/<name>.prompt`, its file written directly with `stored` records. */
  prefilled(name: string, stored: number, turn: (i: number) => Turn = supportTurn, config: MemoryConfig = memory): StoredConversation {
    const conversation = this.open(name, config);
    mkdirSync(dirname(conversation.recordsPath), { recursive: true });
    writeFileSync(conversation.recordsPath, Array.from({ length: stored }, (_, i) => encodeRecord(turn(i))).join(''));
    return conversation;
  }

  open(name: string, config: MemoryConfig = memory): StoredConversation {
    return openConversation({ stateDir: this.stateDir, workspaceRoot: this.root, filePath: join(this.root, `${name}.prompt`), memory: config });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

async function appendCost(workspace: Workspace, stored: number): Promise<Sample> {
  const conversation = workspace.prefilled(`append-${stored}`, stored);
  let next = stored;
  return measure(`append at ${stored.toLocaleString('en')} stored turns (incl. fsync)`, APPEND_RUNS, () => conversation.append(supportTurn(next++)));
}

/** Each round appends one turn (untimed), then times a load by a conversation kept open since the start. */
async function keptOpenLoad(workspace: Workspace, stored: number): Promise<Sample> {
  const conversation = workspace.prefilled(`kept-${stored}`, stored);
  await conversation.load();
  let next = stored;
  return measureRounds(`load after one append, kept open, ${stored.toLocaleString('en')} turns`, LOAD_RUNS, async (time) => {
    await conversation.append(supportTurn(next++));
    await time(() => conversation.load());
  });
}

/** Each round appends one turn (untimed), then times a newly opened conversation's first load. */
async function freshLoad(workspace: Workspace, stored: number): Promise<Sample> {
  const writer = workspace.prefilled(`fresh-${stored}`, stored);
  let next = stored;
  return measureRounds(`load after one append, fresh, ${stored.toLocaleString('en')} turns`, LOAD_RUNS, async (time) => {
    await writer.append(supportTurn(next++));
    await time(() => workspace.open(`fresh-${stored}`).load());
  });
}

/** Section chain's turn (same examples, stored turns, scripted model), once in memory and once on disk. */
async function turnCost(workspace: Workspace, file: string): Promise<[Sample, Sample]> {
  const prompt = parsePrompt(readFileSync(file, 'utf8'));
  const config = { ...resolveConfig(prompt, {}), model: 'scripted' };
  const stored = (i: number): Turn => ({ input: `question ${i}`, output: `answer ${i}` });
  const durable = workspace.prefilled(`turn-${file.replace(/\W/g, '-')}`, TURN_STORED, stored, config.memory ?? memory);
  const inMemory = createMemoryConversation(Array.from({ length: TURN_STORED }, (_, i) => stored(i)));
  const turn = (conversation: typeof durable | typeof inMemory) => () =>
    runTurn({ prompt, config, input: 'Not too bad - how are you?', conversation, model: scriptedModel });
  return [
    await measure(`runTurn, in-memory store   ${file}`, TURN_RUNS, turn(inMemory)),
    await measure(`runTurn, durable store     ${file}`, TURN_RUNS, turn(durable)),
  ];
}

export async function benchMemory(): Promise<void> {
  const workspace = new Workspace();
  try {
    const append10 = await appendCost(workspace, 10);
    const append10k = await appendCost(workspace, 10_000);
    report(`durable memory store: append (${workspace.root})`, [append10, append10k]);
    ratio('append 10,000 / 10 (flat: ~1x)', append10k, append10);

    const kept10 = await keptOpenLoad(workspace, 10);
    const kept10k = await keptOpenLoad(workspace, 10_000);
    const fresh10 = await freshLoad(workspace, 10);
    const fresh10k = await freshLoad(workspace, 10_000);
    report('durable memory store: load after one append', [kept10, kept10k, fresh10, fresh10k]);
    ratio('kept open: 10,000 / 10 (incremental: ~1x)', kept10k, kept10);
    ratio('at 10,000 turns: fresh / kept open', fresh10k, kept10k);

    const [chatMemory, chatDurable] = await turnCost(workspace, 'examples/chatbot-chat.prompt');
    const [completionMemory, completionDurable] = await turnCost(workspace, 'examples/chatbot-completion.prompt');
    report(`whole turn, ${TURN_STORED.toLocaleString('en')} stored turns, in-process scripted model`, [completionMemory, completionDurable, chatMemory, chatDurable]);
    ratio('completion: durable / in-memory', completionDurable, completionMemory);
    ratio('chat: durable / in-memory', chatDurable, chatMemory);
  } finally {
    workspace.remove();
  }
}
