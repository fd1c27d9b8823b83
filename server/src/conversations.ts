// Which stored conversation a document's memory is. Files on disk use the durable store (state directory
// from initializationOptions, else the same default the CLI uses, so both see the same turns). A document
// with no file behind it (untitled) keeps its turns for this server session only.

import type { Conversation, MemoryConfig, Turn } from '../../core/chain/types';
import { defaultStateDir, openConversation } from '../../core/memory/store';
import type { WorkspaceRoots } from './workspaceRoots';
import { filePathOf } from './workspaceRoots';

export class Conversations {
  private readonly sessionConversations = new Map<string, Conversation>();

  constructor(
    private readonly roots: WorkspaceRoots,
    private readonly stateDir: string | undefined,
    /** Told when the store had to skip a damaged record. */
    private readonly warn: (message: string) => void,
  ) {}

  open(uri: string, memory: MemoryConfig): Conversation {
    const filePath = filePathOf(uri);
    if (!filePath) return this.sessionConversation(conversationKey(uri, memory));
    const workspaceRoot = this.roots.rootOf(filePath);
    const stateDir = this.stateDir ?? defaultStateDir(workspaceRoot);
    return openConversation({ stateDir, workspaceRoot, filePath, memory, onWarning: this.warn });
  }

  private sessionConversation(key: string): Conversation {
    let conversation = this.sessionConversations.get(key);
    if (!conversation) {
      conversation = new SessionConversation();
      this.sessionConversations.set(key, conversation);
    }
    return conversation;
  }
}

/** Identifies a conversation: workspace-scoped memory is shared per memory key, file-scoped per file. */
export function conversationKey(uri: string, memory: MemoryConfig): string {
  return memory.scope === 'workspace' ? `workspace\0${memory.key}` : `file\0${uri}\0${memory.key}`;
}

/** Turns held in this process; turns of one conversation still run one at a time. */
class SessionConversation implements Conversation {
  private turns: Turn[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  async load(): Promise<Turn[]> {
    return [...this.turns];
  }

  async append(turn: Turn): Promise<void> {
    this.turns.push(turn);
  }

  async clear(): Promise<void> {
    this.turns = [];
  }

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
