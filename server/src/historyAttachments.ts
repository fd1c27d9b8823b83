// Which shared history each document's memory is attached to, asked of core's one decider
// (core/history/attachment.ts decideAttachment) with what only the server knows: the user's named stores
// (PROMPT_CHAIN_HISTORY_STORES in the server's environment: the VS Code client puts them there from the
// user settings and SecretStorage, other editors set the variable), workspace trust (initializationOptions,
// then WorkspaceTrustedNotification), and the session the user attached to the file
// (promptChain.attachHistorySession). The attachments are kept here and nowhere else: in the state folder
// the client gave (so a restart keeps them), else for this server's life. Store URLs are never logged: a
// message names a store by its name or its display URL.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideAttachment, parseNamedStores, type Attachment } from '../../core/history/attachment';
import { parseHistoryUrl } from '../../core/history/historyUrl';
import { HISTORY_STORES_VARIABLE } from '../../core/history/names';
import { HistoryStoreError, type HistoryTarget } from '../../core/history/types';
import type { HistoryAttachment, HistoryStoreView } from './protocol';


/** What the user attached to one file: a store and a session (null: none of the store the file names). */
interface AttachedSession {
  store: string;
  sessionId: string | null;
}

/** A decided shared history, with what the panel shows of it. */
export interface SharedHistory {
  target: HistoryTarget;
  sessionId: string;
  view: HistoryAttachment;
}

const longestSessionId = 1000;

export class HistoryAttachments {
  private readonly stores: Record<string, string>;
  private readonly storesProblem: string | undefined;
  private readonly attached: Map<string, AttachedSession>;
  private readonly savedPath: string | undefined;

  constructor(
    env: NodeJS.ProcessEnv,
    private trusted: boolean,
    stateDir: string | undefined,
    private readonly warn: (message: string) => void,
  ) {
    const { stores, problem } = namedStores(env);
    this.stores = stores;
    this.storesProblem = problem;
    if (problem) warn(problem);
    this.savedPath = stateDir && join(stateDir, 'history-attachments.json');
    this.attached = this.readSaved();
  }

  /** WorkspaceTrustedNotification: shared histories may be attached from now on. */
  trust(): void {
    this.trusted = true;
  }

  /**
   * The shared history a file's memory is, or undefined for the local conversation; a HistoryStoreError
   * when it should be one and cannot (untrusted, an unknown store, no session picked). `cwd` resolves
   * `sqlite:` and `file:` paths of the user's URLs.
   */
  decide(uri: string, fileStore: string | undefined, cwd: string): SharedHistory | undefined {
    const attached = this.attachedTo(uri, fileStore);
    const attachment = this.decision(fileStore, attached, cwd);
    if (attachment.kind === 'local') return undefined;
    const store = attachment.storeName ?? fileStore ?? attached?.store ?? '';
    const view: HistoryAttachment = {
      store,
      display: attachment.target.display,
      sessionId: attachment.sessionId,
      readonly: attachment.target.options.readonly,
      source: fileStore !== undefined ? 'file' : 'attached',
    };
    return { target: attachment.target, sessionId: attachment.sessionId, view };
  }

  /**
   * promptChain.attachHistorySession: `store` null goes back to the local conversation; a file that names
   * a store takes only a session of that store. Checked as a run would check it, before it is kept.
   */
  attach(uri: string, fileStore: string | undefined, store: string | null, sessionId: string | null, cwd: string): void {
    if (sessionId !== null) checkSessionId(sessionId);
    if (store === null) {
      this.attached.delete(uri);
      this.save();
      return;
    }
    if (fileStore !== undefined && store !== fileStore) {
      throw new HistoryStoreError('unknown-store', `This file's memory.history names the store ${JSON.stringify(fileStore)}: pick a session of it, or change memory.history.`);
    }
    // Refused now (untrusted, unknown store, a URL that does not parse) rather than at the next turn.
    this.decision(fileStore ?? store, { store, sessionId: sessionId ?? 'unchecked' }, cwd);
    this.attached.set(uri, { store, sessionId });
    this.save();
  }

  /** The configured stores, by name, as anyone may see them (display URLs). */
  storeViews(cwd: string): HistoryStoreView[] {
    return Object.keys(this.stores)
      .sort()
      .map((name) => ({ name, display: this.displayOf(name, cwd) }));
  }

  /** A configured store's target, for listing its sessions; refused like an attachment. */
  targetOf(name: string, cwd: string): HistoryTarget {
    const attachment = this.decision(name, { store: name, sessionId: 'listing' }, cwd);
    if (attachment.kind === 'local') throw new HistoryStoreError('unknown-store', `No history store is named ${JSON.stringify(name)}.`);
    return attachment.target;
  }

  private decision(fileStore: string | undefined, attached: AttachedSession | undefined, cwd: string): Attachment {
    if (this.storesProblem && (fileStore ?? attached) !== undefined) throw new HistoryStoreError('invalid-url', this.storesProblem);
    return decideAttachment({
      fileStore: fileStore ?? attached?.store,
      stores: this.stores,
      sessionId: attached?.sessionId ?? undefined,
      trusted: this.trusted,
      parseUrl: (text) => parseHistoryUrl(text, cwd),
    });
  }

  /** The user's pick for the file, unless the file now names another store (the file decides the store). */
  private attachedTo(uri: string, fileStore: string | undefined): AttachedSession | undefined {
    const attached = this.attached.get(uri);
    return attached && (fileStore === undefined || attached.store === fileStore) ? attached : undefined;
  }

  private displayOf(name: string, cwd: string): string {
    try {
      return parseHistoryUrl(this.stores[name] ?? '', cwd).display;
    } catch (error) {
      return error instanceof HistoryStoreError ? `(not a usable URL: ${error.message})` : '(not a usable URL)';
    }
  }

  private readSaved(): Map<string, AttachedSession> {
    if (!this.savedPath) return new Map();
    let text: string;
    try {
      text = readFileSync(this.savedPath, 'utf8');
    } catch {
      return new Map();
    }
    const saved = parseSaved(text);
    if (!saved) this.warn(`${this.savedPath} is not a saved list of history sessions; the files' picks start empty.`);
    return saved ?? new Map();
  }

  /** Written whole, then renamed over the old one: a crash leaves the old picks or the new ones. */
  private save(): void {
    if (!this.savedPath) return;
    try {
      mkdirSync(join(this.savedPath, '..'), { recursive: true });
      const temporary = `${this.savedPath}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(Object.fromEntries(this.attached), null, 2)}\n`);
      renameSync(temporary, this.savedPath);
    } catch (error) {
      this.warn(`Could not save the files' history sessions in ${this.savedPath} (${(error as NodeJS.ErrnoException).code ?? String(error)}): they last until the server stops.`);
    }
  }
}

function namedStores(env: NodeJS.ProcessEnv): { stores: Record<string, string>; problem?: string } {
  try {
    return { stores: parseNamedStores(env[HISTORY_STORES_VARIABLE], HISTORY_STORES_VARIABLE) };
  } catch (error) {
    if (error instanceof HistoryStoreError) return { stores: {}, problem: error.message };
    throw error;
  }
}

function checkSessionId(sessionId: string): void {
  if (sessionId.trim() === '' || sessionId.length > longestSessionId) {
    throw new HistoryStoreError('no-session', `A session id must be 1 to ${longestSessionId} characters, not blank.`);
  }
}

function parseSaved(text: string): Map<string, AttachedSession> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const saved = new Map<string, AttachedSession>();
  for (const [uri, value] of Object.entries(parsed)) {
    const { store, sessionId } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof store === 'string' && (typeof sessionId === 'string' || sessionId === null)) saved.set(uri, { store, sessionId });
  }
  return saved;
}
