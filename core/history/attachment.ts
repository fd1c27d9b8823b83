// The one decider of which store and session a run uses: the local store, or a session of a shared
// history. Every host asks here (the CLI with its flags and environment, the server with the user's
// `promptChain.historyStores` and the panel's pick), so a file that names a store means the same thing
// in a terminal and in the editor.

import type { HistoryTarget } from './types';
import { HistoryStoreError } from './types';
import { FILE_SESSION } from './stores/file';
import { STORE_NAME_PATTERN } from './names';

/** What a host knows when a run starts. */
export interface AttachmentRequest {
  /** The file's `memory.history`: the name of a configured store. */
  fileStore?: string;
  /** The user's named stores, name -> URL (user configuration or the environment, never a file). */
  stores: Readonly<Record<string, string>>;
  /** A store given for this run: a URL or a configured name (`--history`, PROMPT_CHAIN_HISTORY_URL). */
  explicit?: string;
  /** The session (`--session`, PROMPT_CHAIN_HISTORY_SESSION, the panel's pick). */
  sessionId?: string;
  /** Workspace trust: an untrusted workspace cannot attach a store. The CLI runs trusted. */
  trusted: boolean;
  /** historyUrl.ts's `parseHistoryUrl` bound to the host's folder; it throws `invalid-url`. */
  parseUrl: (text: string) => HistoryTarget;
}

export type Attachment =
  | { kind: 'local' }
  | {
      kind: 'shared';
      target: HistoryTarget;
      sessionId: string;
      /** The configured name it was found under, when it was named rather than given as a URL. */
      storeName?: string;
    };

/**
 * The attachment for a run, or a HistoryStoreError (`untrusted`, `unknown-store`, `no-session`,
 * `invalid-url`). A store given for the run wins over the file's name (the person chose it now).
 */
export function decideAttachment(request: AttachmentRequest): Attachment {
  const store = decideStore(request);
  if (!store) return { kind: 'local' };
  const { target, storeName } = store;
  // A file history holds one conversation: the session it is shown and keyed under when none is given.
  const sessionId = request.sessionId?.trim() || (target.kind === 'file' ? FILE_SESSION : undefined);
  if (sessionId === undefined) {
    throw new HistoryStoreError('no-session', `No session for ${target.display}: give one with --session ID (or PROMPT_CHAIN_HISTORY_SESSION), or pick one in the chat panel.`);
  }
  return storeName === undefined ? { kind: 'shared', target, sessionId } : { kind: 'shared', target, sessionId, storeName };
}

/** The store alone (listing its sessions needs no session): undefined for the local store. */
export function decideStore(request: Omit<AttachmentRequest, 'sessionId'>): { target: HistoryTarget; storeName?: string } | undefined {
  const chosen = request.explicit?.trim() || undefined;
  const wanted = chosen ?? request.fileStore;
  if (wanted === undefined) return undefined;
  if (!request.trusted) {
    throw new HistoryStoreError('untrusted', `This workspace is not trusted: a shared history (${describeWanted(wanted, request)}) cannot be attached. Trust the workspace, or run without one.`);
  }
  return resolveStore(wanted, chosen !== undefined, request);
}

/** A configured name resolves to its URL; a run's own value may also be the URL itself. */
function resolveStore(wanted: string, explicit: boolean, request: Omit<AttachmentRequest, 'sessionId'>): { target: HistoryTarget; storeName?: string } {
  if (STORE_NAME_PATTERN.test(wanted)) {
    const url = Object.hasOwn(request.stores, wanted) ? request.stores[wanted] : undefined;
    if (url === undefined) throw unknownStore(wanted, explicit, request.stores);
    return { target: request.parseUrl(url), storeName: wanted };
  }
  // A file names stores only (memory.history is checked by the parser); a URL comes from the run.
  if (!explicit) throw unknownStore(wanted, false, request.stores);
  return { target: request.parseUrl(wanted) };
}

function unknownStore(name: string, explicit: boolean, stores: Readonly<Record<string, string>>): HistoryStoreError {
  const known = Object.keys(stores);
  const where = explicit ? '' : ' (the file\'s memory.history)';
  const list = known.length > 0 ? `the configured stores are ${known.map((k) => JSON.stringify(k)).join(', ')}` : 'no store is configured';
  const hint = explicit ? ' Give a URL (redis://, postgres://, sqlite:PATH, file:PATH) or a configured name.' : ' Add it to promptChain.historyStores (user settings) or PROMPT_CHAIN_HISTORY_STORES.';
  return new HistoryStoreError('unknown-store', `No history store is named ${JSON.stringify(name)}${where}: ${list}.${hint}`);
}

/** What the refusal names: the store's name, never a URL (it may hold a password). */
function describeWanted(wanted: string, request: Omit<AttachmentRequest, 'sessionId'>): string {
  if (STORE_NAME_PATTERN.test(wanted)) return JSON.stringify(wanted);
  try {
    return request.parseUrl(wanted).display;
  } catch {
    return 'a URL';
  }
}

/**
 * PROMPT_CHAIN_HISTORY_STORES (and the VS Code setting's value): a JSON object of names to URLs. One
 * line naming what is wrong, never echoing a value (it may hold a password).
 */
export function parseNamedStores(json: string | undefined, source: string): Record<string, string> {
  if (json === undefined || json.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new HistoryStoreError('invalid-url', `${source} is not JSON: it must be an object of store names to URLs, such as {"team": "redis://host:6379"}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HistoryStoreError('invalid-url', `${source} must be a JSON object of store names to URLs, such as {"team": "redis://host:6379"}.`);
  }
  const stores: Record<string, string> = {};
  for (const [name, url] of Object.entries(parsed)) {
    if (!STORE_NAME_PATTERN.test(name)) throw new HistoryStoreError('invalid-url', `${source}: the store name ${JSON.stringify(name)} must be letters, digits, \`_\`, \`.\` or \`-\`.`);
    if (typeof url !== 'string') throw new HistoryStoreError('invalid-url', `${source}: the store ${JSON.stringify(name)} must map to a URL string.`);
    stores[name] = url;
  }
  return stores;
}
