// initializationOptions come from whatever editor started the server: each value is checked, and a wrong
// one is ignored (with a log line) rather than failing the whole start.

import * as path from 'node:path';
import type { InitializationOptions } from './protocol';
import type { UserEndpoint } from './settings';
import { defaultDiagnosticsDelayMs } from './validation';

export interface ServerOptions {
  stateDir?: string;
  diagnosticsDelayMs: number;
  userEndpoint: UserEndpoint;
  /** False only when the client says the workspace is not trusted (VS Code); other editors have no such notion. */
  workspaceTrusted: boolean;
}

export function readInitializationOptions(raw: unknown, warn: (message: string) => void): ServerOptions {
  const options = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<keyof InitializationOptions, unknown>;
  return {
    stateDir: stateDirOf(options.stateDir, warn),
    diagnosticsDelayMs: delayOf(options.diagnosticsDelayMs, warn),
    userEndpoint: { baseUrl: baseUrlOf(options.baseUrl, warn), configurationIsUserLevel: options.configurationIsUserLevel === true },
    workspaceTrusted: options.workspaceTrusted !== false,
  };
}

function stateDirOf(value: unknown, warn: (message: string) => void): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && path.isAbsolute(value)) return value;
  warn(`initializationOptions.stateDir must be an absolute path; got ${JSON.stringify(value)}. Using the default state folder.`);
  return undefined;
}

function delayOf(value: unknown, warn: (message: string) => void): number {
  if (value === undefined || value === null) return defaultDiagnosticsDelayMs;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  warn(`initializationOptions.diagnosticsDelayMs must be a number of milliseconds; got ${JSON.stringify(value)}.`);
  return defaultDiagnosticsDelayMs;
}

function baseUrlOf(value: unknown, warn: (message: string) => void): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  warn(`initializationOptions.baseUrl must be a URL string; got ${JSON.stringify(value)}. Using OPENAI_BASE_URL, else OpenAI.`);
  return '';
}
