// A turn's overhead on a shared chat history (core/history/historyConversation.ts) against the local
// store: runTurn with the scripted model of section chain (the request serialized as the SDK would), on a
// session holding 10, 1,000 and 10,000 messages, for each store this machine has — the file and SQLite
// stores always; Redis and Postgres on the servers PROMPT_CHAIN_BENCH_REDIS_URL / PROMPT_CHAIN_BENCH_POSTGRES_URL
// name, else on throw-away ones started here as the tests start them (test/support), when the machine has
// redis-server and PostgreSQL (one line says so when it has not). A shared session is read whole on every turn (another writer may have
// appended), so its turn grows with the session where the local store's does not: the ratio says by how much.
// Every run starts from the seeded session (reset before it, untimed), so the "10 messages" row is a turn
// on 10 messages, not on the 200 the earlier runs would have left; sessions are UUIDs, which the Postgres
// store (langchain-postgres' UUID column) requires.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parsePrompt } from '../core/format/parse';
import { resolveConfig } from '../core/chain/config';
import { runTurn } from '../core/chain/run';
import type { Conversation, HistoryEntry, Turn } from '../core/chain/types';
import { openConversation } from '../core/memory/store';
import { encodeRecord } from '../core/memory/records';
import { encodeTurn } from '../core/history/messageDicts';
import { parseHistoryUrl } from '../core/history/historyUrl';
import { openHistory } from '../core/history/openHistory';
import { openHistoryConversation } from '../core/history/historyConversation';
import type { ChatHistoryStore } from '../core/history/types';
import { startPostgresServer } from '../test/support/postgresServer';
import { startRedisServer } from '../test/support/redisServer';
import type { TestServer } from '../test/support/serverProcess';
import { scriptedModel } from './chainSides';
import { median, ratio, report, type Sample } from './lib';

const SIZES = [10, 1_000, 10_000];
const runsFor = (messages: number) => (messages >= 10_000 ? 30 : 100);
const WARMUP = 5;
/** A session id every store takes, Postgres' UUID column included; one per size. */
const sessionOf = (messages: number) => `00000000-0000-4000-8000-${String(messages).padStart(12, '0')}`;

const promptText = '---\nmemory:\n  return_messages: true\n---\nsystem:\nYou are a support agent.\nplaceholder:\n{history}\nhuman:\n{input}\n';

function supportTurn(i: number): Turn {
  return {
    input: `Question ${i}: how do I rotate the access keys of a bucket without downtime?`,
    output: `Answer ${i}: create the new key first, deploy it to every client, then revoke the old one.`,
  };
}

/** The stores to measure besides the local one (URL text by name), and the servers started for them. */
async function storeUrls(root: string, env: NodeJS.ProcessEnv): Promise<{ urls: [string, string][]; started: TestServer[] }> {
  const urls: [string, string][] = [
    ['file', `file:${join(root, 'history-SIZE.json')}`],
    ['sqlite', `sqlite:${join(root, 'chat.db')}`],
  ];
  const started: TestServer[] = [];
  const servers: [string, string | undefined, () => Promise<TestServer>][] = [
    ['redis', env['PROMPT_CHAIN_BENCH_REDIS_URL'], () => startRedisServer()],
    ['postgres', env['PROMPT_CHAIN_BENCH_POSTGRES_URL'], () => startPostgresServer()],
  ];
  for (const [kind, given, start] of servers) {
    if (given) {
      urls.push([kind, given]);
      continue;
    }
    try {
      const server = await start();
      started.push(server);
      urls.push([kind, server.url]);
    } catch (error) {
      console.log(`  (no ${kind} row: could not start a throw-away server: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    }
  }
  return { urls, started };
}

/** The shared store, and how to put the session back to its seeded messages before a run. */
async function seededStore(url: string, session: string, messages: number): Promise<{ store: ChatHistoryStore; reset: () => Promise<void> }> {
  const store = await openHistory(parseHistoryUrl(url, process.cwd()));
  const dicts = Array.from({ length: messages / 2 }, (_, i) => encodeTurn(supportTurn(i))).flat();
  const reset = async () => {
    await store.clear(session);
    if (dicts.length > 0) await store.append(session, dicts);
  };
  return { store, reset };
}

/** A fresh local conversation of `messages` for each run (a new file, as a seeded session is). */
function localConversations(root: string, messages: number): () => Conversation {
  const records = Array.from({ length: messages / 2 }, (_, i) => encodeRecord(supportTurn(i))).join('');
  let run = 0;
  return () => {
    const conversation = openConversation({ stateDir: join(root, 'state'), workspaceRoot: root, filePath: join(root, `local-${messages}-${run++}.prompt`), memory: config.memory! });
    mkdirSync(dirname(conversation.recordsPath), { recursive: true });
    writeFileSync(conversation.recordsPath, records);
    return conversation;
  };
}

/** The median turn, each run on a conversation `fresh` made just before it (not timed). */
async function measureTurn(name: string, runs: number, fresh: () => Promise<Conversation<HistoryEntry>>): Promise<Sample> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const turn = turnOn(await fresh());
    const started = performance.now();
    await turn();
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  return { name, medianMs: median(times), runs };
}

const prompt = parsePrompt(promptText);
const config = { ...resolveConfig(prompt, {}), model: 'scripted' };
const turnOn = (conversation: Conversation<HistoryEntry>) => () => runTurn({ prompt, config, input: 'Not too bad - how are you?', conversation, model: scriptedModel });

export async function benchHistory(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'prompt-chain-bench-history-'));
  const { urls, started } = await storeUrls(root, process.env);
  try {
    for (const messages of SIZES) {
      const runs = runsFor(messages);
      const session = sessionOf(messages);
      const nextLocal = localConversations(root, messages);
      const local = await measureTurn(`local store, ${messages.toLocaleString('en')} messages`, runs, async () => nextLocal());
      const samples: Sample[] = [local];
      for (const [kind, url] of urls) {
        const { store, reset } = await seededStore(url.replace('SIZE', String(messages)), session, messages);
        const fresh = async () => {
          await reset();
          return openHistoryConversation({ store, sessionId: session, stateDir: join(root, 'state') });
        };
        samples.push(await measureTurn(`${kind} store, ${messages.toLocaleString('en')} messages`, runs, fresh));
        await store.clear(session);
        await store.close();
      }
      report(`shared histories: one turn (load, format, serialize, append) at ${messages.toLocaleString('en')} stored messages`, samples);
      for (const sample of samples.slice(1)) ratio(`${sample.name} / local`, sample, local);
    }
  } finally {
    for (const server of started) await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
