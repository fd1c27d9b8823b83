// The commands the server executes (workspace/executeCommand). Each lives in its own file; this table is
// the only place that knows them all, and protocol.ts is the only place that names them.

import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import { isStoreFailure } from '../storeFailures';
import { Commands } from '../protocol';
import type { PromptServer } from '../server';
import { runCommandSafely } from '../runner';
import { runTurnCommand } from './runTurn';
import { clearMemory } from './clearMemory';
import { showMemory } from './showMemory';
import { engineFailure } from '../failures';
import { formatPromptCommand } from './formatPrompt';
import { listModelsCommand } from './listModels';
import { exportFileCommand } from './exportPrompt';
import { importFileCommand } from './importPrompt';
import { listHistorySessionsCommand } from './listHistorySessions';
import { attachHistorySessionCommand } from './attachHistorySession';
import { listTestsCommand } from './listTests';
import { runTestsCommand } from './runTests';
import { compareModelsCommand } from './compareModels';
import { replayConversationCommand } from './replayConversation';
import { saveAsTestCommand } from './saveAsTest';

type Command = (server: PromptServer, command: string, args: unknown[] | undefined, token: CancellationToken) => Promise<unknown>;

const commands: Record<string, Command> = {
  [Commands.runTurn]: runTurnCommand,
  [Commands.clearMemory]: clearMemory,
  [Commands.showMemory]: showMemory,
  [Commands.formatPrompt]: formatPromptCommand,
  [Commands.listModels]: listModelsCommand,
  [Commands.exportFile]: exportFileCommand,
  [Commands.importFile]: importFileCommand,
  [Commands.listHistorySessions]: listHistorySessionsCommand,
  [Commands.attachHistorySession]: attachHistorySessionCommand,
  [Commands.listTests]: listTestsCommand,
  [Commands.runTests]: runTestsCommand,
  [Commands.compareModels]: compareModelsCommand,
  [Commands.replayConversation]: replayConversationCommand,
  [Commands.saveAsTest]: saveAsTestCommand,
};

export function registerCommands(server: PromptServer): void {
  server.connection.onExecuteCommand((params, token) => {
    const command = Object.hasOwn(commands, params.command) ? commands[params.command] : undefined;
    if (!command) return new ResponseError(ErrorCodes.InvalidParams, unknownCommandMessage(params.command));
    const run = () => command(server, params.command, params.arguments, token).catch((error: unknown) => storeFailure(server, params.command, error));
    return runCommandSafely(server.connection.console, params.command, run);
  });
}

/**
 * The stores' failures (a read-only, unwritable or full memory folder, a lock held too long; a shared
 * history that is unreachable, refused or not attachable) are the user's to fix, whichever command met
 * them: one log line (naming a store by its display URL, never its password) and RequestFailed with
 * `data.kind` 'memory' or 'history'.
 */
function storeFailure(server: PromptServer, command: string, error: unknown): never {
  if (!isStoreFailure(error)) throw error;
  server.connection.console.warn(`${command}: ${error.message}`);
  throw engineFailure(error);
}

/** What was sent, shown safely on one line, and the commands there are. */
function unknownCommandMessage(command: unknown): string {
  const known = Object.keys(commands).join(', ');
  if (typeof command !== 'string' || command === '') return `workspace/executeCommand needs a \`command\`: one of ${known}.`;
  return `Unknown command ${JSON.stringify(command.slice(0, 100))}: send one of ${known}.`;
}
