// What a message tells the user to do depends on where it is read: in the editor a template variable gets
// its value in the chat panel's form and the endpoint comes from a user setting; in a terminal they come
// from `--var` and `--base-url`. The service is the same for both; the host says which it is
// (ServiceSettings.host) and every piece of host-specific advice is looked up here, never written into a rule.

import type { ServiceSettings } from './context';

export type ServiceHost = 'editor' | 'cli';

export interface HostHints {
  /** How a template variable nothing in the file provides gets a value for each turn ("…, or <this>"). */
  giveValue(name: string): string;
  /** The same for several variables ("…, and <this>"). */
  giveValues(names: readonly string[]): string;
  /** Where the endpoint is set instead of the file. */
  readonly endpoint: string;
  /** Where the API key is set instead of the file. */
  readonly apiKey: string;
  /** Where the context window of a model the service does not know comes from ("the 8,192-token window <this> for llama3.2"). */
  readonly unknownWindow: string;
  /** How to empty the stored conversation of this file. */
  readonly clearMemory: string;
}

const editor: HostHints = {
  giveValue: () => 'give it a value in the chat panel, which asks for it before each turn',
  giveValues: () => 'give them a value in the chat panel, which asks for them before each turn',
  endpoint: 'set the `promptChain.baseUrl` user setting or the OPENAI_BASE_URL environment variable',
  apiKey: 'use "Prompt Chain: Set API Key" or the OPENAI_API_KEY environment variable',
  unknownWindow: 'set by the promptChain.contextWindow setting',
  clearMemory: 'Clear the conversation memory ("Prompt Chain: Clear Conversation Memory")',
};

const cli: HostHints = {
  giveValue: (name) => `pass it with each run (\`--var ${name}=…\`)`,
  giveValues: (names) => `pass them with each run (${varFlags(names)})`,
  endpoint: 'pass `--base-url` or set the OPENAI_BASE_URL environment variable',
  apiKey: 'set the OPENAI_API_KEY environment variable',
  unknownWindow: 'assumed',
  clearMemory: 'Clear the conversation memory (`prompt-chain memory clear FILE`)',
};

const hints: Readonly<Record<ServiceHost, HostHints>> = { editor, cli };

export function hintsFor(settings: Pick<ServiceSettings, 'host'>): HostHints {
  return hints[settings.host ?? 'editor'];
}

/** The `--var` flags for `names`, the first five of them and a count of the rest. */
function varFlags(names: readonly string[]): string {
  const flags = names.slice(0, 5).map((name) => `\`--var ${name}=…\``).join(' ');
  return names.length > 5 ? `${flags} and ${names.length - 5} more` : flags;
}
