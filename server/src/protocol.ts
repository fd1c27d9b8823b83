// Custom protocol between the Prompt Chain language server and its clients, declared once and imported
// by both sides (server/src, client/src). Standard LSP covers everything else.
//
// Commands go through workspace/executeCommand with a single argument object. The API key never travels
// in a command: the server reads it from its environment (OPENAI_API_KEY), which the VS Code client sets
// from SecretStorage when it spawns the server; other editors set the variable themselves.

import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { TestRunEvent } from '../../core/testing/types';
import type { ModelReply } from '../../core/testing/compareModels';
import type { ReplayedTurn } from '../../core/testing/replayConversation';
import type { ChatMessage, HistoryEntry, MemoryView, Turn, TurnResult } from '../../core/chain/types';
import { defaultMaxReplyChars } from '../../core/model/limits';
import { defaultServiceSettings } from '../../service/context';
import type { FailureKind } from '../../core/chain/failure';
import type { SettingSource } from '../../core/model/settingSource';
import type { CodeStyle, ExportFormat, Imported } from '../../core/interop/types';

export const Commands = {
  /** Run one chat turn of a `.prompt` file with the workspace's memory. Args: RunTurnParams. Returns RunTurnResult. */
  runTurn: 'promptChain.runTurn',
  /** Forget the stored conversation of a file. Args: { uri }. Returns { cleared: number }. */
  clearMemory: 'promptChain.clearMemory',
  /** The stored conversation of a file. Args: { uri }. Returns ShowMemoryResult. */
  showMemory: 'promptChain.showMemory',
  /**
   * The prompt a turn would send, with the stored memory filled in; nothing is sent, nothing is stored.
   * Args: FormatPromptParams. Returns FormatPromptResult. Refused like runTurn on a file with errors.
   */
  formatPrompt: 'promptChain.formatPrompt',
  /** The models the file's endpoint offers. Args: { uri }. Returns ListModelsResult. */
  listModels: 'promptChain.listModels',
  /**
   * The file as another tool's (core/interop/exportPrompt.ts). Args: ExportFileParams. Returns Exported.
   * Refused like runTurn on a file with errors; a format the file cannot go to fails with kind 'interop'.
   * Not the VS Code command "Export…" (core/interop/types.ts exportCommand), which asks for the format.
   */
  exportFile: 'promptChain.exportFile',
  /**
   * Another tool's prompt file as `.prompt` text (core/interop/importFile.ts); nothing is written.
   * Args: { uri } (any file). Returns ImportFileResult. An unrecognized file fails with kind 'interop'.
   */
  importFile: 'promptChain.importFile',
  /**
   * The shared-history stores the user configured (names and display URLs, never a password) and the session
   * ids of one of them: `store` when given, else the store the file's `memory.history` names. Args:
   * ListHistorySessionsParams. Returns ListHistorySessionsResult. Refused with kind 'history' (its `reason` a
   * HistoryErrorKind) when the store cannot be listed or the workspace is not trusted.
   */
  listHistorySessions: 'promptChain.listHistorySessions',
  /**
   * Attaches a file's memory to a session of a named store (`sessionId` null: back to the local conversation,
   * or to no session of the store the file names). Kept by the server per file, in its state folder, so it
   * survives restarts; every command on the file then works on that session. Args: AttachHistorySessionParams.
   * Returns HistoryAttachment | null (the file's attachment now). Refused with kind 'history' ('untrusted',
   * 'unknown-store', or a store other than the one the file names).
   */
  attachHistorySession: 'promptChain.attachHistorySession',
  /**
   * The items of a test file (`*.prompt-test.yaml`) as the Testing view lists them: its conversations and
   * their turns, each with its range in the file. Args: { uri }. Returns ListTestsResult. Read like any
   * command's file (the editor's text when open); a file with problems still lists what parsed.
   */
  listTests: 'promptChain.listTests',
  /**
   * Runs test files with core's runner (core/testing/runTests.ts), each conversation in a memory of its own:
   * the user's stored conversations are never read or written. Args: RunTestsParams. Returns the
   * TestRunReport (its `file`s are the uris sent). Events go out as TestRunProgressNotification while it runs;
   * $/cancelRequest stops it (answered RequestCancelled, kind 'cancelled'; no baseline is written).
   */
  runTests: 'promptChain.runTests',
  /**
   * Compare models…: the input run on each model as the file's next turn would run it, each continuing the
   * stored conversation and memory state, which are read and never written (core/testing/compareModels.ts).
   * Args: CompareModelsParams. Returns ModelReply[] (the columns, in the order of `models`); each goes out
   * as a ComparisonProgressNotification once complete. A model that fails has its failure in its column.
   * Refused like runTurn on a file with errors; $/cancelRequest stops it (RequestCancelled, kind 'cancelled').
   */
  compareModels: 'promptChain.compareModels',
  /**
   * Replay conversation with…: the stored conversation's inputs run again in order, from an empty memory,
   * on `model` (default: the file's) with the prompt as the editor has it now; the store is read, never
   * written (core/testing/replayConversation.ts). Args: ReplayConversationParams. Returns ReplayResult;
   * each turn goes out as a ComparisonProgressNotification. Refused like runTurn on a file with errors, and
   * with kind 'memory' (reason 'nothing-stored') when there is no stored turn.
   */
  replayConversation: 'promptChain.replayConversation',
  /**
   * Save as test: the stored conversation as a new conversation of the prompt's test file, a `snapshot:
   * true` per turn, its replies as that conversation's baseline (core/testing/conversationToTest.ts).
   * Nothing is written: the client writes both files. Args: SaveAsTestParams. Returns SaveAsTestResult.
   * Fails with kind 'file' when the test or snapshot file cannot take it, 'memory' when nothing is stored.
   */
  saveAsTest: 'promptChain.saveAsTest',
} as const;

export interface CompareModelsParams {
  uri: string;
  input: string;
  variables?: Record<string, string>;
  /** One to `maxComparedModels` model names, the columns in order. */
  models: string[];
  /** Echoed in every ComparisonProgress. */
  runId: string;
}

/** At most this many models are compared at once. */
export const maxComparedModels = 8;

export interface ReplayConversationParams {
  uri: string;
  /** The model to replay on; absent: the file's. */
  model?: string;
  /** The other variables, the same for every turn (the stored turns keep only input and reply). */
  variables?: Record<string, string>;
  runId: string;
}

/** Server -> client while compareModels or replayConversation is in flight: each result as soon as it is complete. */
export const ComparisonProgressNotification = 'promptChain/comparisonProgress';
export type ComparisonProgress = { runId: string } & ({ kind: 'reply'; column: number; reply: ModelReply } | { kind: 'turn'; turn: ReplayedTurn });

export interface SaveAsTestParams {
  uri: string;
  /** The other variables the turns ran with (saved as the conversation's `vars`). */
  variables?: Record<string, string>;
  /** Default: the first input, on one line, cut to 40 characters; made unique in the test file. */
  name?: string;
}

export interface SaveAsTestResult {
  /** The test file beside the prompt (`NAME.prompt-test.yaml`) and its whole new text. */
  testFile: { uri: string; text: string; exists: boolean };
  /** Its `__snapshots__/NAME.snap.yaml` with the conversation's replies recorded. */
  snapshotFile: { uri: string; text: string };
  /** The conversation's name in the test file. */
  conversation: string;
  turns: number;
  /** A shared history's lone messages, which a test conversation does not hold. */
  leftOut: number;
}

/** One turn of a test conversation and where it is, for the Testing view. */
export interface TestTurnItem {
  /** 0-based, as TurnOutcome.index. */
  index: number;
  input: string;
  range: Range;
}

export interface TestConversationItem {
  name: string;
  range: Range;
  turns: TestTurnItem[];
}

export interface ListTestsResult {
  conversations: TestConversationItem[];
  /** The file's problems that stop it from running, as the editor shows them (none: it can run). */
  errors: Diagnostic[];
}

export interface RunTestsParams {
  /** Test files (uris); each runs whole unless `only` names some of its conversations. */
  uris: string[];
  /** Only these conversations (`uri` one of `uris`). */
  only?: { uri: string; conversation: string }[];
  /** Run every conversation on each of these models; absent: each file's own model. */
  models?: string[];
  /** Record the replies as the `snapshot` baselines (`__snapshots__/` beside each test file). */
  update?: boolean;
  /** Echoed in every TestRunProgress, so a client routes events to the run that asked. */
  runId: string;
}

/** Server -> client while a runTests request is in flight: the runner's events, in order per conversation. */
export const TestRunProgressNotification = 'promptChain/testRunProgress';
export interface TestRunProgress {
  runId: string;
  event: TestRunEvent;
}

/** A configured store as every client may show it: its name and URL without the password. */
export interface HistoryStoreView {
  name: string;
  display: string;
}

export interface ListHistorySessionsParams {
  uri: string;
  store?: string;
}
export interface ListHistorySessionsResult {
  /** Every store the user configured (PROMPT_CHAIN_HISTORY_STORES), by name. */
  stores: HistoryStoreView[];
  /** The store whose sessions are listed; null when none was asked for and the file names none. */
  store: HistoryStoreView | null;
  /** Its session ids, sorted (Redis: SCAN on the prefix; SQL: DISTINCT session_id; a file: its one). */
  sessions: string[];
  /** The store the file's `memory.history` names: then no other store can be attached. */
  fileStore?: string;
}

export interface AttachHistorySessionParams {
  uri: string;
  store: string | null;
  sessionId: string | null;
}

/** Which shared history a file's memory is, as the panel and the status bar show it. */
export interface HistoryAttachment {
  store: string;
  /** The store's URL without the password (HistoryTarget.display). */
  display: string;
  sessionId: string;
  /** `readonly` in the URL: turns run and show their reply, and nothing is written. */
  readonly: boolean;
  /** 'file': the file's `memory.history` names the store; 'attached': the user attached it to the file. */
  source: 'file' | 'attached';
}

/**
 * Client -> server, no params: the user trusted the workspace (VS Code's onDidGrantWorkspaceTrust). Before
 * it, a server started with `workspaceTrusted: false` attaches no shared history.
 */
export const WorkspaceTrustedNotification = 'promptChain/workspaceTrusted';

export interface ExportFileParams {
  uri: string;
  format: ExportFormat;
  /** python and typescript: default 'classic'. */
  style?: CodeStyle;
}

export interface ImportFileResult extends Imported {
  /** The name core gives the new file beside the source (importedFileName): `chat.prompty` -> `chat.prompt`. */
  fileName: string;
  /** The new file's error diagnostics, as the editor will show them once it is written (none: it checks clean). */
  errors: Diagnostic[];
}

/**
 * Client -> server request: what a turn of the file needs, decided by the same engine code that runs the
 * turn (core/chain), so a client never asks for a value the engine would not take, nor misses one.
 */
export const TurnInputsRequest = 'promptChain/turnInputs';
export interface TurnInputsParams {
  uri: string;
}
export interface TurnInputsResult {
  /** The variable the human's input fills (LangChain's input key); null when the engine cannot choose one. */
  inputKey: string | null;
  /**
   * Every other variable a turn takes, in template order (never the input key or the memory key).
   * `required` is false when the file gives it a value (a partial), so the client may leave it out.
   */
  variables: { name: string; required: boolean }[];
  /** The file's error-severity diagnostics as the server has them now: runTurn is refused while any remain. */
  errors: Diagnostic[];
  /** The model a turn would use (the file's `model:`, else the setting's default). */
  model: string;
  /** Where a turn would be sent, as shown to the user (no credentials), and which setting said so. */
  endpoint: { label: string; source: SettingSource };
  /**
   * The shared history a turn would read and append to; null for the local conversation. A problem with it
   * (an unknown store, no session picked) is `historyProblem` here and the turn's failure later.
   */
  history?: HistoryAttachment | null;
  historyProblem?: string;
}

export interface FormatPromptParams {
  uri: string;
  input: string;
  variables?: Record<string, string>;
}
export interface FormatPromptResult {
  /** The formatted prompt: the completion prompt, or the chat messages as LangChain's trace prints them. */
  prompt: string;
  /** Chat prompts: the messages that would be sent. */
  messages?: ChatMessage[];
  /** LangChain's verbose trace up to "Prompt after formatting:" and the prompt, byte-exact. */
  trace: string;
}

export interface ListModelsResult {
  models: string[];
  /** 'endpoint' when the list came from the endpoint's /v1/models; 'settings' when it lists none or fails. */
  source: 'endpoint' | 'settings';
}

/**
 * Where a setting's value came from, named as the user would find it: the `promptChain.baseUrl` user
 * setting, the OPENAI_BASE_URL / OPENAI_API_KEY variable, the CLI's `--base-url`, or the built-in default
 * (then `name` is the setting that would change it). Declared in core, which decides it
 * (core/model/endpoint.ts), so server, CLI and client share one type: `{ kind, name }`.
 */
export type { SettingSource } from '../../core/model/settingSource';

/**
 * The failure kinds every host reacts to (the client picks its action by kind, never by the text; the
 * CLI's --json prints it). `reason` keeps the finer cause (ModelErrorKind, ChainErrorKind, store code).
 * Declared in core beside the one function that maps the engine's errors to it (core/chain/failure.ts):
 * 'auth' | 'endpoint' | 'model' | 'rate-limit' | 'timeout' | 'memory' | 'file-has-errors' | 'input' |
 * 'file' | 'reply' | 'cancelled' | 'interop' | 'history' | 'local'.
 */
export type { FailureKind } from '../../core/chain/failure';

/** `data` of every RequestFailed the server answers a command or request with. */
export interface FailureData {
  kind: FailureKind;
  reason?: string;
  /** The setting to change, and where its current value came from (Open Settings goes there). */
  setting?: SettingSource;
  /** rate-limit: how long the endpoint asked to wait. */
  retryAfterMs?: number;
  /** file-has-errors: the error diagnostics that stop the turn. */
  diagnostics?: Diagnostic[];
}

export interface RunTurnParams {
  uri: string;
  input: string;
  variables?: Record<string, string>;
  /** Chooses the streaming token the server reports progress under (see ReplyChunkNotification). */
  turnId?: string;
  /**
   * Retry / Edit and resend of the last turn: the stored turn this one replaces. The turn is formatted with
   * the memory up to (not including) that turn, and saved in its place only once the reply is complete; a
   * failed or cancelled turn leaves the conversation as it was. Refused (kind 'memory', reason
   * 'last-turn-changed') when it is no longer the conversation's last turn (another run came in between).
   */
  replaceLast?: Turn;
}

/** What runTurn answers: the engine's TurnResult as is. */
export type RunTurnResult = TurnResult;

export interface ShowMemoryResult {
  memoryKey: string;
  /**
   * The conversation, oldest first: exchanges (`{ input, output }`) and, in a shared history only, lone
   * messages (`{ lone: { type, content } }`: a system message, a question without its reply, …) in place,
   * as LangChain's chat history holds them. The local store holds exchanges only.
   */
  turns: HistoryEntry[];
  /** Present when the conversation file has records that could not be read (they are not in `turns`). */
  damaged?: DamagedRecords;
  /**
   * What the memory class holds now, as the next prompt sees it: the summary, messages kept and pruned,
   * tokens against max_token_limit, a pending summary. `turns` stays the full stored history. Always sent
   * by this server (optional for clients written before it).
   */
  view?: MemoryView;
  /** Why the saved memory state is not used (it is derived again from `turns` on the next turn), when it is not. */
  stateProblem?: string;
  /** The shared history the conversation is, when it is one (absent: the local conversation). */
  history?: HistoryAttachment;
}

/** Damaged records of a stored conversation: skipped by every load until repaired. */
export interface DamagedRecords {
  count: number;
  /** 1-based line numbers in the conversation file. */
  lines: number[];
  /** The command that moves them aside (`prompt-chain memory repair FILE`). */
  repairCommand: string;
}

/**
 * Server -> client, while a runTurn request is in flight: the formatted prompt once (before the model call),
 * then each streamed piece of the reply. Sent for every runTurn; `turnId` echoes RunTurnParams.turnId
 * (or the uri when none was given) so a client can route it to the right panel.
 */
export const TurnProgressNotification = 'promptChain/turnProgress';
export type TurnProgress =
  | { turnId: string; kind: 'prompt'; prompt: string; messages?: ChatMessage[] }
  | { turnId: string; kind: 'token'; text: string };

/**
 * Client -> server, in initialize's `initializationOptions`. Everything is optional; other editors send nothing.
 */
export interface InitializationOptions {
  /**
   * Folder for stored conversations (VS Code: the extension's workspace storage). Default: the CLI's
   * `$XDG_STATE_HOME/prompt-chain/<hash of the workspace root>`, so the CLI and the server share turns.
   */
  stateDir?: string;
  /** Push diagnostics only: how long after the last edit a document is validated, in ms. Default 200. */
  diagnosticsDelayMs?: number;
  /**
   * The endpoint chat turns (and the API key) are sent to, from the user's own editor configuration; else
   * OPENAI_BASE_URL, else OpenAI's. Start-up options are the only settings a client passes without being
   * asked per resource, which is why the endpoint is read here and not from workspace/configuration.
   */
  baseUrl?: string;
  /**
   * The client promises that whatever it answers to workspace/configuration for `baseUrl` is the user's
   * own (user/machine-level) value, never a workspace's. Only then is that `baseUrl` used, and it wins over
   * `baseUrl` above. The VS Code client sets it (its middleware rewrites `baseUrl` to the user-level value);
   * editors that merge project-local configuration into the settings they answer with must not.
   */
  configurationIsUserLevel?: boolean;
  /**
   * False when the editor's workspace is not trusted: no shared history is attached (kind 'history', reason
   * 'untrusted') until WorkspaceTrustedNotification. Default true (an editor without workspace trust).
   * The stores themselves come only from the server's environment, PROMPT_CHAIN_HISTORY_STORES.
   */
  workspaceTrusted?: boolean;
}

/** Settings the server reads per resource with workspace/configuration, section `promptChain`. */
export interface PromptChainSettings {
  /** Model when the file names none. */
  defaultModel: string;
  /** Model when a completion prompt names none. */
  defaultCompletionModel: string;
  /** Memory key when the file's memory block names none. */
  defaultMemoryKey: string;
  /** Models offered in completion of `model:`. */
  models: string[];
  /**
   * OpenAI-compatible endpoint. Read only from a client that declares `configurationIsUserLevel`; the server
   * replaces it with the user's endpoint (see InitializationOptions) before anything reads it.
   */
  baseUrl: string;
  /** Context window assumed for unknown models, in tokens. */
  contextWindow: number;
  /** A longer reply fails the turn (kind 'reply-too-large') and leaves memory untouched; in characters. */
  maxReplyChars: number;
  /**
   * The model `local` means, and the one turns run on when no endpoint and no key are configured:
   * `/path/to/model.gguf` or `owner/repo/file.gguf`; '' for PROMPT_CHAIN_LOCAL_MODEL, else the default.
   * A machine-scoped setting in VS Code (a workspace cannot choose what is downloaded or loaded).
   */
  localModel: string;
  trace: { server: 'off' | 'messages' | 'verbose' };
}

export const defaultSettings: PromptChainSettings = {
  ...defaultServiceSettings,
  baseUrl: '',
  maxReplyChars: defaultMaxReplyChars,
  localModel: '',
  trace: { server: 'off' },
};
