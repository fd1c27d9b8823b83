// FileChatMessageHistory (langchain_community `chat_message_histories/file.py`): one JSON array of
// message dicts in one file, one conversation per file. Python reads the whole array, and on every
// add_message writes `json.dumps(messages_to_dict(messages))` back (ensure_ascii=True by default, so the
// file is ASCII; encoding=None). A file it has not created yet is created holding `[]`.
//
// Appending here keeps every byte already in the file (the stored dicts are never dumped again) and adds
// the new dicts before the closing bracket, joined as json.dumps joins them (`, `; `,` for LangChain.js
// dicts, as JSON.stringify writes an array). The new file is written beside the old and renamed over it,
// under Prompt Chain's cross-process lock (`PATH.lock`), so a reader never sees half a file and two Prompt
// Chain writers keep both appends. The Python class takes no lock: an application writing the same file
// at the same moment can still lose one side's message, as two Python processes can.
//
// A file holds no session ids: whatever session is asked for, it is the one conversation (sessions() is
// FILE_SESSION once the file exists).

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { acquireLock, type ReleaseLock } from '../../memory/lock';
import { LockTimeoutError } from '../../memory/errors';
import { decodeMessages, decodeMessageValue } from '../messageDicts';
import { oneLine } from '../../text/excerpt';
import { HistoryStoreError, type ChatHistoryStore, type HistoryMessage, type HistoryTarget } from '../types';
import { refuseReadonly, storeFailure, throwIfCancelled } from './localStore';

/** The session id a file history is listed and keyed under: it has only the one. */
export const FILE_SESSION = 'default';

export interface FileHistoryOptions {
  /** How long to wait for another Prompt Chain process appending to the same file. */
  lockTimeoutMs?: number;
}

export function openFileHistory(target: HistoryTarget, options: FileHistoryOptions = {}): ChatHistoryStore {
  if (target.kind !== 'file' || target.path === undefined) throw new HistoryStoreError('invalid-url', `Not a file history: ${target.display}`);
  return new FileHistory(target, target.path, options.lockTimeoutMs);
}

class FileHistory implements ChatHistoryStore {
  constructor(
    readonly target: HistoryTarget,
    private readonly path: string,
    private readonly lockTimeoutMs: number | undefined,
  ) {}

  async messages(_sessionId: string, signal?: AbortSignal): Promise<HistoryMessage[]> {
    throwIfCancelled(signal);
    const text = await this.readText();
    return text === undefined ? [] : this.decode(text);
  }

  async append(_sessionId: string, json: readonly string[], signal?: AbortSignal): Promise<void> {
    refuseReadonly(this.target, 'append to the conversation');
    if (json.length === 0) return;
    // Nothing invalid is ever stored; the new dicts' dialect decides the separator json.dumps or JSON.stringify would use.
    const [first] = decodeMessages(json, `${this.target.display} (new messages)`);
    const separator = first?.dialect === 'python' ? ', ' : ',';
    await this.locked(async () => {
      const text = await this.readText();
      if (text !== undefined) this.decode(text); // a file that is not a message array is refused, never overwritten
      throwIfCancelled(signal);
      await this.replace(withAppended(text, json, separator), signal);
    });
  }

  async clear(_sessionId: string): Promise<void> {
    refuseReadonly(this.target, 'clear the conversation');
    await this.locked(() => this.replace('[]'));
  }

  async sessions(): Promise<string[]> {
    return (await this.readText()) === undefined ? [] : [FILE_SESSION];
  }

  async close(): Promise<void> {}

  /** The file's text; undefined when it does not exist yet (an empty conversation, as LangChain makes it). */
  private async readText(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeFailure(this.target, 'read', error);
    }
  }

  private decode(text: string): HistoryMessage[] {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      throw new HistoryStoreError('invalid-data', `${this.target.display} is not JSON (${oneLine((error as Error).message).slice(0, 120)}); FileChatMessageHistory keeps a JSON array of message dicts`);
    }
    if (!Array.isArray(items)) throw new HistoryStoreError('invalid-data', `${this.target.display} holds JSON that is not an array; FileChatMessageHistory keeps a JSON array of message dicts`);
    const raws = topLevelElements(text);
    return items.map((value, index) => decodeMessageValue(value, raws[index] ?? '', index, this.target.display));
  }

  private async locked(work: () => Promise<void>): Promise<void> {
    let release: ReleaseLock;
    try {
      release = await acquireLock(`${this.path}.lock`, this.lockTimeoutMs === undefined ? {} : { timeoutMs: this.lockTimeoutMs });
    } catch (error) {
      if (error instanceof LockTimeoutError) throw new HistoryStoreError('unreachable', `${this.target.display} is busy: ${error.message}`);
      throw storeFailure(this.target, 'lock', error);
    }
    try {
      await work();
    } finally {
      await release();
    }
  }

  /** Writes `text` beside the file, flushed, then renames it over: readers see the old file or the new. */
  private async replace(text: string, signal?: AbortSignal): Promise<void> {
    const temporary = `${this.path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    const mode = await stat(this.path).then((info) => info.mode & 0o777, () => 0o644);
    try {
      const handle = await open(temporary, 'wx', mode);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      throwIfCancelled(signal);
      await rename(temporary, this.path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw storeFailure(this.target, 'write', error);
    }
  }
}

/**
 * The array with `json` added after its last element: every byte of the file is kept, the whitespace
 * before the closing bracket and whatever follows it (a trailing newline an editor added) included.
 */
function withAppended(text: string | undefined, json: readonly string[], separator: string): string {
  const added = json.join(separator);
  const close = text === undefined ? -1 : text.lastIndexOf(']');
  if (text === undefined || close < 0) return `[${added}]`;
  const elements = text.slice(0, close).trimEnd();
  const beforeClose = text.slice(elements.length, close);
  const joint = elements.endsWith('[') ? '' : separator;
  return `${elements}${joint}${added}${beforeClose}${text.slice(close)}`;
}

/**
 * The exact text of each element of a JSON array (`text` is known to parse as one), in one pass: the
 * dicts as stored, for HistoryMessage.raw.
 */
export function topLevelElements(text: string): string[] {
  const elements: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) depth++;
    else if (char === 0x5d || char === 0x7d) depth--;
    if (depth === 1 && (char === 0x2c || (char === 0x5b && start < 0))) {
      if (start >= 0) elements.push(text.slice(start, i).trim());
      start = i + 1;
    } else if (depth === 0 && char === 0x5d && start >= 0) {
      const last = text.slice(start, i).trim();
      if (last !== '') elements.push(last);
    }
  }
  return elements;
}
