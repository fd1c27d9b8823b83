// Which stored conversation a document's memory is. A shared history's session when the file names a store
// or the user attached one (historyAttachments.ts asks core's one decider); else files on disk use the
// durable store (state directory from initializationOptions, else the same default the CLI uses, so both
// see the same turns), and a document with no file behind it (untitled) keeps its turns for this server
// session only.

import type { Conversation, HistoryEntry, MemoryConfig } from '../../core/chain/types';
import type { HistoryAttachment } from './protocol';
import type { HistoryAttachments, SharedHistory } from './historyAttachments';
import { SharedConversations } from './sharedConversations';
import { defaultStateDir, openConversation, repairCommandFor } from '../../core/memory/store';
import { createInMemoryConversation } from '../../core/memory/inMemory';
import { workspaceStateDir } from '../../core/memory/paths';
import type { WorkspaceRoots } from './workspaceRoots';
import { filePathOf } from './workspaceRoots';

/** A document's conversation, and the shared history it is when it is one. */
export interface OpenedConversation {
  /** A shared history's entries may be lone messages; the local store's are exchanges. */
  conversation: Conversation<HistoryEntry>;
  history?: HistoryAttachment;
}

export class Conversations {
  private readonly sessionConversations = new Map<string, Conversation>();
  private readonly shared = new SharedConversations();

  constructor(
    private readonly roots: WorkspaceRoots,
    private readonly stateDir: string | undefined,
    readonly histories: HistoryAttachments,
    /** Told when the store had to skip a damaged record. */
    private readonly warn: (message: string) => void,
  ) {}

  private readonly storedConversations = new Map<string, Conversation>();

  /** The document's conversation; a HistoryStoreError when its shared history cannot be attached or opened. */
  async open(uri: string, memory: MemoryConfig): Promise<OpenedConversation> {
    const shared = this.sharedHistoryOf(uri, memory);
    if (shared) return { conversation: await this.openShared(uri, shared), history: shared.view };
    return { conversation: this.openLocal(uri, memory) };
  }

  /** The shared history the document's memory is, undefined for the local one (decided, nothing opened). */
  sharedHistoryOf(uri: string, memory: MemoryConfig): SharedHistory | undefined {
    return this.histories.decide(uri, memory.history, this.folderOf(uri));
  }

  /** Where a store URL's relative `sqlite:` / `file:` path is read from: the document's workspace folder. */
  folderOf(uri: string): string {
    const filePath = filePathOf(uri);
    return filePath ? this.roots.rootOf(filePath) : process.cwd();
  }

  /** Closes the shared stores' connections (the server is shutting down). */
  async close(): Promise<void> {
    await this.shared.close();
  }

  /** The memory state of a shared session stays on this machine, in the document's state folder. */
  private openShared(uri: string, shared: SharedHistory): Promise<Conversation<HistoryEntry>> {
    return this.shared.open(shared, this.stateDirOf(this.folderOf(uri)), this.stateDir ? '' : undefined, this.warn);
  }

  private openLocal(uri: string, memory: MemoryConfig): Conversation {
    const filePath = filePathOf(uri);
    if (!filePath) return this.sessionConversation(conversationKey(uri, memory));
    // Kept open while its document is: a stored conversation reads only the records appended since its
    // last load. The root is part of the key: a workspace-folder change can move the state folder.
    const key = `${conversationKey(uri, memory)}\0${this.roots.rootOf(filePath)}`;
    let conversation = this.storedConversations.get(key);
    if (!conversation) {
      conversation = this.openStored(filePath, memory);
      this.storedConversations.set(key, conversation);
    }
    return conversation;
  }

  /**
   * The document closed: drop its file-scoped conversations (and the turns they hold in memory).
   * Workspace-scoped ones are shared by every file with the same memory key, one per key: they stay.
   */
  forget(uri: string): void {
    const prefix = `file\0${uri}\0`;
    for (const key of this.storedConversations.keys()) if (key.startsWith(prefix)) this.storedConversations.delete(key);
    for (const key of this.sessionConversations.keys()) if (key.startsWith(prefix)) this.sessionConversations.delete(key);
  }

  /**
   * The client's state folder belongs to the whole (possibly multi-root) workspace: one subfolder per
   * root, so `a/x.prompt` in two roots never shares a conversation. Without one, the CLI's folder.
   */
  private stateDirOf(workspaceRoot: string): string {
    return this.stateDir ? workspaceStateDir(this.stateDir, workspaceRoot, this.warn) : defaultStateDir(workspaceRoot, process.env, this.warn);
  }

  private openStored(filePath: string, memory: MemoryConfig): Conversation {
    const workspaceRoot = this.roots.rootOf(filePath);
    const stateDir = this.stateDirOf(workspaceRoot);
    // The editor's storage folder is not the user's to choose: failures then say only what to fix.
    const relocateHint = this.stateDir ? '' : undefined;
    // ...and the CLI would not look there by itself: the repair command names it.
    const repairCommand = this.stateDir ? repairCommandFor(filePath, { workspaceRoot, stateDir }) : undefined;
    return openConversation({ stateDir, workspaceRoot, filePath, memory, onWarning: this.warn, relocateHint, repairCommand });
  }

  private sessionConversation(key: string): Conversation {
    let conversation = this.sessionConversations.get(key);
    if (!conversation) {
      conversation = createInMemoryConversation();
      this.sessionConversations.set(key, conversation);
    }
    return conversation;
  }
}

/** Identifies a conversation: workspace-scoped memory is shared per memory key, file-scoped per file. */
export function conversationKey(uri: string, memory: MemoryConfig): string {
  return memory.scope === 'workspace' ? `workspace\0${memory.key}` : `file\0${uri}\0${memory.key}`;
}
