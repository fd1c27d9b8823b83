// Command arguments arrive from any client as JSON: each is checked, and a wrong one is answered with
// InvalidParams naming the argument, so a client author sees what to send.

import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Turn } from '../../../core/chain/types';

export type ArgumentObject = Record<string, unknown>;

/** The single argument object every Prompt Chain command takes (protocol.ts). */
export function argumentObject(command: string, args: unknown[] | undefined): ArgumentObject {
  const first = args?.[0];
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) return first as ArgumentObject;
  throw invalidArgument(command, 'expects one argument object, e.g. { "uri": "file:///…/chat.prompt" }');
}

export function requiredString(command: string, args: ArgumentObject, name: string): string {
  const value = args[name];
  if (typeof value === 'string') return value;
  throw invalidArgument(command, `needs "${name}" as a string`);
}

export function optionalString(command: string, args: ArgumentObject, name: string): string | undefined {
  return args[name] === undefined || args[name] === null ? undefined : requiredString(command, args, name);
}

export function optionalStringMap(command: string, args: ArgumentObject, name: string): Record<string, string> | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  const isMap = typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  if (isMap) return value as Record<string, string>;
  throw invalidArgument(command, `needs "${name}" as an object of string values`);
}

/** A string from a fixed set (`format: "python"`): anything else is answered with the values there are. */
export function optionalOneOf<T extends string>(command: string, args: ArgumentObject, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(command, args, name);
  if (value === undefined) return undefined;
  const known = values.find((candidate) => candidate === value);
  if (known !== undefined) return known;
  throw invalidArgument(command, `needs "${name}" as one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
}

export function requiredOneOf<T extends string>(command: string, args: ArgumentObject, name: string, values: readonly T[]): T {
  const value = optionalOneOf(command, args, name, values);
  if (value !== undefined) return value;
  throw invalidArgument(command, `needs "${name}": one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
}

/** A stored turn as the client shows it: `{ input, output }`, both strings. */
export function optionalTurn(command: string, args: ArgumentObject, name: string): Turn | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  const { input, output } = (typeof value === 'object' && !Array.isArray(value) ? value : {}) as Partial<Record<keyof Turn, unknown>>;
  if (typeof input === 'string' && typeof output === 'string') return { input, output };
  throw invalidArgument(command, `needs "${name}" as a turn: an object with "input" and "output" strings`);
}

/** A non-empty list of strings (`uris`). */
export function requiredStringList(command: string, args: ArgumentObject, name: string): string[] {
  const list = optionalStringList(command, args, name);
  if (list && list.length > 0) return list;
  throw invalidArgument(command, `needs "${name}" as a non-empty array of strings`);
}

export function optionalStringList(command: string, args: ArgumentObject, name: string): string[] | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw invalidArgument(command, `needs "${name}" as an array of strings`);
}

/** Conversations of test files: `[{ uri, conversation }]`. */
export function optionalTestRefs(command: string, args: ArgumentObject, name: string): { uri: string; conversation: string }[] | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  const isRef = (item: unknown) => typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>).uri === 'string' && typeof (item as Record<string, unknown>).conversation === 'string';
  if (Array.isArray(value) && value.every(isRef)) return (value as { uri: string; conversation: string }[]).map(({ uri, conversation }) => ({ uri, conversation }));
  throw invalidArgument(command, `needs "${name}" as an array of { "uri", "conversation" } objects`);
}

export function invalidArgument(command: string, what: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${command} ${what}.`);
}
