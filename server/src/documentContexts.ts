// The PromptContext of each open document, built once and handed to every feature. A document is parsed
// once per version; the context is rebuilt only when the version, the resource's settings or the stored
// conversation changed. Entries are evicted when the document closes.
//
// TextDocuments updates its documents in place, so a context holds an immutable snapshot of the text:
// positions computed from it always match the parse, however many edits arrive meanwhile.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver';
import type { PromptDocument } from '../../core/format/model';
import type { ChainConfig } from '../../core/chain/types';
import { parsePrompt } from '../../core/format/parse';
import { resolveConfig } from '../../core/chain/config';
import { chainDefaults, createContext, type PromptContext, type WorkspaceFacts } from '../../service/context';
import type { PromptChainSettings } from './protocol';
import { toServiceSettings, type SettingsCache } from './settings';
import type { Conversations } from './conversations';
import { formatError, type ErrorLog } from './runner';
import { MemoryStoreError } from '../../core/memory/errors';
import { HistoryStoreError } from '../../core/history/types';
import { memoryFactsKey, readMemoryFacts } from './memoryFacts';

export interface ParsedVersion {
  readonly snapshot: TextDocument;
  readonly prompt: PromptDocument;
}

interface BuiltContext {
  readonly settings: PromptChainSettings;
  readonly facts: WorkspaceFacts;
  readonly context: PromptContext;
}

interface StoredFacts {
  /** Which conversation the facts were read from, and under what the view was made (memoryFactsKey). */
  readonly conversation: string;
  readonly facts: Promise<WorkspaceFacts>;
}

const noFacts: WorkspaceFacts = { storedTurns: [] };

export class DocumentContexts {
  private readonly parsed = new Map<string, ParsedVersion>();
  private readonly built = new Map<string, BuiltContext>();
  private readonly stored = new Map<string, StoredFacts>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsCache,
    private readonly conversations: Conversations,
    private readonly log: ErrorLog,
  ) {}

  /** The context of the open document's current version; undefined when it is not open. */
  async get(uri: string): Promise<PromptContext | undefined> {
    const settings = await this.settings.get(uri);
    // Reading stored turns is asynchronous and the document may change meanwhile; after a few rounds the
    // facts of the latest read conversation are used even if the memory key changed again since.
    for (let round = 0; round < 3; round++) {
      const parsed = this.parse(uri);
      if (!parsed) return undefined;
      const stored = this.storedFacts(uri, chainConfig(parsed.prompt, settings));
      if (!stored.ready) await stored.facts;
      else return this.build(uri, parsed, settings, await stored.facts);
    }
    const parsed = this.parse(uri);
    return parsed && this.build(uri, parsed, settings, noFacts);
  }

  /** The parsed current version of an open document (no settings needed: the parse does not depend on them). */
  parse(uri: string): ParsedVersion | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const cached = this.parsed.get(uri);
    if (cached?.snapshot.version === document.version) return cached;
    const snapshot = TextDocument.create(uri, document.languageId, document.version, document.getText());
    const parsed = { snapshot, prompt: parsePrompt(snapshot.getText()) };
    this.parsed.set(uri, parsed);
    return parsed;
  }

  /** Stored turns changed (a turn ran, memory was cleared): read them again when next asked. */
  forgetStoredTurns(): void {
    this.stored.clear();
  }

  forget(uri: string): void {
    this.parsed.delete(uri);
    this.built.delete(uri);
    this.stored.delete(uri);
  }

  private build(uri: string, parsed: ParsedVersion, settings: PromptChainSettings, facts: WorkspaceFacts): PromptContext {
    const cached = this.built.get(uri);
    if (cached?.context.textDocument === parsed.snapshot && cached.settings === settings && cached.facts === facts) {
      return cached.context;
    }
    const context = createContext(parsed.snapshot, toServiceSettings(settings), facts, parsed.prompt);
    this.built.set(uri, { settings, facts, context });
    return context;
  }

  private storedFacts(uri: string, config: ChainConfig): { facts: Promise<WorkspaceFacts>; ready: boolean } {
    // The turns depend on the scope and key; the memory view on the type, limits and model too.
    const conversation = memoryFactsKey(config);
    const cached = this.stored.get(uri);
    if (cached?.conversation === conversation) return { facts: cached.facts, ready: true };
    const facts = this.readFacts(uri, config);
    this.stored.set(uri, { conversation, facts });
    return { facts, ready: false };
  }

  private async readFacts(uri: string, config: ChainConfig): Promise<WorkspaceFacts> {
    if (!config.memory) return noFacts;
    try {
      return await readMemoryFacts((await this.conversations.open(uri, config.memory)).conversation, config.memory, config);
    } catch (error) {
      // A shared history that cannot be attached (no session picked yet, untrusted) is the turn's to report.
      if (error instanceof HistoryStoreError) {
        this.log.error(`Stored turns of ${uri} not shown: ${error.message}`);
        return noFacts;
      }
      // A memory folder the user must fix is one line (read once per document until turns change), not a trace.
      if (error instanceof MemoryStoreError) this.log.error(`Stored turns of ${uri} not shown: ${error.message}`);
      else this.log.error(formatError(`Could not read the stored conversation of ${uri}`, error));
      return noFacts;
    }
  }
}

/** The chain configuration of a parsed file under the given settings' defaults. */
export function chainConfig(prompt: PromptDocument, settings: PromptChainSettings): ChainConfig {
  return resolveConfig(prompt, chainDefaults(toServiceSettings(settings)));
}
