// Recorded baselines (`--update`): one YAML file per test file, `__snapshots__/<name>.snap.yaml` beside it,
// keyed by conversation, then model (each model has its own replies), then turn. A turn's baseline keeps
// its input too, so a baseline recorded for another input is said to be one rather than compared.
//
//   conversations:
//     remembers the name:
//       gpt-4o-mini:
//         - { turn: 2, input: What is my name?, reply: Your name is Ada. }
//
// The file is read once per run and written once, after every conversation of the test file finished,
// with only the conversations and models that ran replaced (whatever else it holds is kept). A file that
// cannot be read is never overwritten: its test file does not run.

import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { parseYaml } from '../format/yamlDocument';
import { replaceDurably } from '../memory/repair';
import { oneLine } from '../text/excerpt';
import { lineDiff } from './lineDiff';
import { SNAPSHOT_FOLDER, TEST_FILE_SUFFIX, type SnapshotOutcome } from './types';

export interface RecordedTurn {
  /** 1-based, as people count turns. */
  readonly turn: number;
  readonly input: string;
  readonly reply: string;
}

/** conversation -> model -> recorded turns. */
export type Snapshots = Map<string, Map<string, readonly RecordedTurn[]>>;

const header = '# Replies recorded by `prompt-chain test --update`, compared by `snapshot: true` assertions. Review changes like code.\n';

export function snapshotPathOf(testFilePath: string): string {
  const name = basename(testFilePath);
  const stem = name.endsWith(TEST_FILE_SUFFIX) ? name.slice(0, -TEST_FILE_SUFFIX.length) : name;
  return join(dirname(testFilePath), SNAPSHOT_FOLDER, `${stem}.snap.yaml`);
}

/** The baselines in the file; none when it does not exist. Throws SnapshotFileError when it cannot be read. */
export async function readSnapshots(path: string): Promise<Snapshots> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new SnapshotFileError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseSnapshots(text, path);
}

export class SnapshotFileError extends Error {
  override readonly name = 'SnapshotFileError';
}

export function parseSnapshots(text: string, path: string): Snapshots {
  const parsed = parseYaml(text);
  const fail = (why: string) => new SnapshotFileError(`${path}: ${why}; fix it or delete it and record again with --update`);
  if (parsed.kind !== 'document') throw fail('not readable YAML');
  if (parsed.doc.errors.length > 0) throw fail(`YAML: ${oneLine(parsed.doc.errors[0]!.message)}`);
  const root = parsed.doc.toJS({ mapAsMap: true }) as unknown;
  if (root === null || root === undefined) return new Map();
  const conversations = root instanceof Map ? root.get('conversations') : undefined;
  if (!(conversations instanceof Map)) throw fail('not a snapshot file (no `conversations:` map)');
  const snapshots: Snapshots = new Map();
  for (const [name, models] of conversations) {
    if (typeof name !== 'string' || !(models instanceof Map)) throw fail(`conversation ${oneLine(String(name))} is not a map of models`);
    snapshots.set(name, readModels(models, name, fail));
  }
  return snapshots;
}

function readModels(models: Map<unknown, unknown>, conversation: string, fail: (why: string) => Error): Map<string, readonly RecordedTurn[]> {
  const byModel = new Map<string, readonly RecordedTurn[]>();
  for (const [model, turns] of models) {
    if (typeof model !== 'string' || !Array.isArray(turns) || !turns.every(isRecordedTurn)) throw fail(`the turns of ${oneLine(conversation)} / ${oneLine(String(model))} are not a list of { turn, input, reply }`);
    // The YAML was read with mapAsMap: each turn is a Map, taken apart into the RecordedTurn it holds.
    byModel.set(model, turns.map((entry: Map<unknown, unknown>) => ({ turn: entry.get('turn') as number, input: entry.get('input') as string, reply: entry.get('reply') as string })));
  }
  return byModel;
}

function isRecordedTurn(value: unknown): value is Map<unknown, unknown> {
  if (!(value instanceof Map)) return false;
  return Number.isInteger(value.get('turn')) && typeof value.get('input') === 'string' && typeof value.get('reply') === 'string';
}

/** The turn's comparison with its baseline, or the reply recorded as the new one. */
export function compareSnapshot(recorded: readonly RecordedTurn[] | undefined, turn: number, input: string, reply: string, update: boolean): SnapshotOutcome {
  const found = recorded?.find((entry) => entry.turn === turn);
  if (update) return { ...(found && { recorded: found.reply }), updated: true, diff: found ? lineDiff(found.reply, reply) : [] };
  // A baseline for another input is not this turn's: the test was edited since it was recorded.
  if (!found || found.input !== input) return { updated: false, diff: [] };
  return { recorded: found.reply, updated: false, diff: lineDiff(found.reply, reply) };
}

/** `snapshots` with `updates` (conversation -> model -> turns) put in their places, as the file's text. */
export function snapshotText(snapshots: Snapshots, updates: Snapshots): string {
  const merged: Snapshots = new Map([...snapshots].map(([name, models]) => [name, new Map(models)]));
  for (const [name, models] of updates) {
    const into = merged.get(name) ?? new Map<string, readonly RecordedTurn[]>();
    for (const [model, turns] of models) into.set(model, turns);
    merged.set(name, into);
  }
  const plain = { conversations: merged };
  return header + stringify(plain, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}

export async function writeSnapshots(path: string, snapshots: Snapshots, updates: Snapshots): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}-${Date.now()}.tmp`;
  await replaceDurably(path, Buffer.from(snapshotText(snapshots, updates), 'utf8'), temporary);
}
