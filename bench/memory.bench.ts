// The durable memory store (core/memory/store.ts) on a real disk: saving a turn must cost the same with
// 10 or 10,000 stored turns (one append + fsync), and a conversation kept open reads only what was
// appended since its last load (core/memory/reader.ts) where a fresh one reads the whole file. Last, a
// whole turn through runTurn with the durable store (lock, load, format, the request serialized by the
// scripted model of section chain, append + fsync), beside the same turn on an in-memory conversation.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parsePrompt } from '../core/format/parse';
import { resolveConfig } from '../core/chain/config';
import { runTurn } from '../core/chain/run';
import type { Conversation, MemoryConfig, Turn } from '../core/chain/types';
import { openConversation, type StoredConversation } from '../core/memory/store';
import { encodeRecord } from '../core/memory/records';
import { createMemoryConversation } from '../test/support/memoryConversation';
import { scriptedModel } from './chainSides';
import { measure, ratio, report, type Sample } from './lib';
import { measurePair, type Contender } from './timed';

const APPEND_RUNS = 100;
const KEPT_LOAD_RUNS = 100;
const FRESH_LOAD_RUNS = 50;
const TURN_RUNS = 200;
const TURN_STORED = 1000;

const memory: MemoryConfig = { type: 'buffer', key: 'history', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' };

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

const turns = (stored: number) => `${stored.toLocaleString('en')} turns`;

function appendRound(workspace: Workspace, stored: number): Contender {
  const conversation = workspace.prefilled(`append-${stored}`, stored);
  let next = stored;
  return { name: `append at ${turns(stored)} (incl. fsync)`, round: (time) => time(() => conversation.append(supportTurn(next++))) };
}

/** Appends one turn (untimed), then times a load by a conversation kept open (and loaded) since the start. */
async function keptOpenLoadRound(workspace: Workspace, stored: number): Promise<Contender> {
  const conversation = workspace.prefilled(`kept-${stored}`, stored);
  await conversation.load();
  let next = stored;
  return {
    name: `load after one append, kept open, ${turns(stored)}`,
    round: async (time) => {
      await conversation.append(supportTurn(next++));
      await time(() => conversation.load());
    },
  };
}

/** Appends one turn (untimed), then times a newly opened conversation's first load (the whole file). */
function freshLoadRound(workspace: Workspace, stored: number): Contender {
  const writer = workspace.prefilled(`fresh-${stored}`, stored);
  let next = stored;
  return {
    name: `load after one append, fresh, ${turns(stored)}`,
    round: async (time) => {
      await writer.append(supportTurn(next++));
      await time(() => workspace.open(`fresh-${stored}`).load());
    },
  };
}

/**
 * Section chain's turn (same examples, stored turns, scripted model), once in memory and once on disk.
 * Measured one after the other, not interleaved: alternating the two makes the in-memory turn several
 * times slower (cold caches after the disk round), which is not what a process running turns sees.
 */
async function turnCost(workspace: Workspace, kind: string, file: string): Promise<[Sample, Sample]> {
  const prompt = parsePrompt(readFileSync(file, 'utf8'));
  const config = { ...resolveConfig(prompt, {}), model: 'scripted' };
  const stored = (i: number): Turn => ({ input: `question ${i}`, output: `answer ${i}` });
  const durable = workspace.prefilled(`turn-${file.replace(/\W/g, '-')}`, TURN_STORED, stored, config.memory ?? memory);
  const inMemory = createMemoryConversation(Array.from({ length: TURN_STORED }, (_, i) => stored(i)));
  const turn = (conversation: Conversation) => () => runTurn({ prompt, config, input: 'Not too bad - how are you?', conversation, model: scriptedModel });
  return [
    await measure(`${kind}: runTurn, in-memory store`, TURN_RUNS, turn(inMemory)),
    await measure(`${kind}: runTurn, durable store (append + fsync)`, TURN_RUNS, turn(durable)),
  ];
}

export async function benchMemory(): Promise<void> {
  const workspace = new Workspace();
  try {
    const [append10, append10k] = await measurePair(APPEND_RUNS, appendRound(workspace, 10), appendRound(workspace, 10_000));
    report(`durable memory store: append, interleaved (files under ${tmpdir()})`, [append10, append10k]);
    ratio('append 10,000 / 10 (flat: ~1x)', append10k, append10);

    const [kept10, kept10k] = await measurePair(KEPT_LOAD_RUNS, await keptOpenLoadRound(workspace, 10), await keptOpenLoadRound(workspace, 10_000));
    const [fresh10, fresh10k] = await measurePair(FRESH_LOAD_RUNS, freshLoadRound(workspace, 10), freshLoadRound(workspace, 10_000));
    report('durable memory store: load after one append, interleaved', [kept10, kept10k, fresh10, fresh10k]);
    ratio('kept open: 10,000 / 10 (incremental: ~1x)', kept10k, kept10);
    ratio('at 10,000 turns: fresh / kept open', fresh10k, kept10k);

    const [chatMemory, chatDurable] = await turnCost(workspace, 'chat', 'examples/chatbot-chat.prompt');
    const [completionMemory, completionDurable] = await turnCost(workspace, 'completion', 'examples/chatbot-completion.prompt');
    report(`whole turn, ${turns(TURN_STORED)} stored, in-process scripted model`, [completionMemory, completionDurable, chatMemory, chatDurable]);
    ratio('completion: durable / in-memory', completionDurable, completionMemory);
    ratio('chat: durable / in-memory', chatDurable, chatMemory);
  } finally {
    workspace.remove();
  }
}
