// Entry point of `prompt-chain-language-server` (bundled to dist/server.js). Picks the transport from the
// command line and hands the connection to startServer. Under --stdio, stdout IS the protocol: anything
// printed with console.* goes to the client's log instead, and nothing else may write to stdout.

import { createConnection, type Connection } from 'vscode-languageserver/node';
import { version } from '../../package.json';
import { serverName, startServer } from './server';
import { formatError } from './runner';

const usage = `Usage: ${serverName} --stdio | --node-ipc

The Prompt Chain language server for LangChain .prompt files.

  --stdio      talk LSP over stdin/stdout (Neovim, Helix, most editors)
  --node-ipc   talk LSP over the Node IPC channel (VS Code starts it this way)
  --version    print the version
  --help       print this help

Environment: OPENAI_API_KEY (the key for promptChain.runTurn), OPENAI_BASE_URL (an OpenAI-compatible endpoint).
`;

const transports = ['--stdio', '--node-ipc'];

function main(argv: string[]): void {
  if (argv.includes('--version')) return void process.stdout.write(`${version}\n`);
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(usage);
  if (!argv.some((arg) => transports.includes(arg))) {
    process.stderr.write(`${serverName}: choose a transport.\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const connection = createConnection();
  redirectConsole(connection);
  guardProcess(connection);
  startServer(connection);
}

// The one place console is touched: under --stdio stdout is the protocol, so console output goes to the log.
/* eslint-disable no-console */
function redirectConsole(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  console.debug = console.log;
}
/* eslint-enable no-console */

/** A failure outside any handler is logged; the editor keeps its server. */
function guardProcess(connection: Connection): void {
  process.on('uncaughtException', (error) => connection.console.error(formatError('Uncaught exception', error)));
  process.on('unhandledRejection', (reason) => connection.console.error(formatError('Unhandled rejection', reason)));
}

main(process.argv.slice(2));
