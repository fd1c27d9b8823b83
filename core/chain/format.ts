// Prompt formatting exactly as LangChain does it: PromptTemplate.format for a completion body, each
// message template formatted (and a placeholder spliced in as its message list) for a chat body, and
// get_buffer_string for the text form of messages.

import Mustache from 'mustache';
import { withLinearTagScan } from '../format/mustache';
import type { PromptBody, Template } from '../format/model';
import type { ChatMessage } from './types';
import { Attached } from './attached';
import { ChainError } from './errors';
import { defineLazyText } from './lazyText';
import { pySet } from './pyRepr';

/** A template variable's value: text, or a message list (memory with return_messages). */
export type PromptValue = string | readonly ChatMessage[];
export type PromptValues = Readonly<Record<string, PromptValue>>;

export interface FormattedPrompt {
  /** PromptTemplate.format, or get_buffer_string of the messages. */
  prompt: string;
  /** Chat body only: the formatted messages. */
  messages?: ChatMessage[];
  /** Chat body only: `messages` as the lists they were gathered from (memory's history list kept whole). */
  messageParts?: readonly (readonly ChatMessage[])[];
  /** Completion body only: `prompt` as the pieces it was joined from (a variable's value kept whole). */
  promptParts?: readonly string[];
}

export function formatPrompt(body: PromptBody, values: PromptValues): FormattedPrompt {
  if (body.kind === 'completion') {
    const promptParts = formatTemplateParts(body.template, values);
    return { prompt: joinParts(promptParts), promptParts };
  }
  // The text is get_buffer_string(messages), built piece by piece so a placeholder's history text, which
  // memory renders when asked, is reused instead of rendered again — and only rendered when the text is
  // read (a trace, a preview): the model is sent the messages.
  const segments: (readonly ChatMessage[])[] = [];
  const lines: BufferLine[] = [];
  for (const message of body.messages) {
    if (message.role === 'placeholder') {
      const list = placeholderMessages(message.placeholder?.name ?? '', values);
      segments.push(list);
      if (list.length > 0) lines.push(bufferStringOf(list));
    } else {
      const content = formatTemplate(message.template, values);
      segments.push([{ type: message.role, content }]);
      lines.push(`${defaultPrefixes[message.role]}: ${content}`);
    }
  }
  // Segments joined with one concat: a long history is copied in bulk, not pushed message by message.
  return defineLazyText({ messages: ([] as ChatMessage[]).concat(...segments), messageParts: segments }, 'prompt', () => joinLines(lines));
}

/** A line of a chat prompt's text: formatted, or a message list's buffer string still to be rendered. */
type BufferLine = string | (() => string);

function joinLines(lines: readonly BufferLine[]): string {
  // `+` builds a rope: the long history text is referenced, not copied as join would.
  let prompt = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const text = typeof line === 'string' ? line : line();
    prompt = i === 0 ? text : `${prompt}\n${text}`;
  }
  return prompt;
}

const defaultPrefixes = { system: 'System', human: 'Human', ai: 'AI' } as const;

/**
 * Renderers of buffer strings (default prefixes) for a message list, valid while the list has the length
 * it had then. Memory registers its history here so a chat prompt does not render it again, and renders
 * it only if the text is read.
 */
const bufferRenderers = new Attached<readonly ChatMessage[], { length: number; render: () => string }>('prompt-chain buffer string');

/** `render` gives get_buffer_string of `messages` as they are now (it is called later, if at all). */
export function rememberBufferString(messages: readonly ChatMessage[], render: () => string): void {
  bufferRenderers.set(messages, { length: messages.length, render });
}

/** The list's buffer string as it is now: memory's renderer, to call later, or the text at once. */
function bufferStringOf(messages: readonly ChatMessage[]): BufferLine {
  const renderer = bufferRenderers.get(messages);
  return renderer?.length === messages.length ? renderer.render : getBufferString(messages);
}

/** get_buffer_string: `"{role}: {content}"` lines joined by `\n`; memory passes its own prefixes. */
export function getBufferString(messages: readonly ChatMessage[], humanPrefix = 'Human', aiPrefix = 'AI'): string {
  if (humanPrefix === 'Human' && aiPrefix === 'AI') {
    const renderer = bufferRenderers.get(messages);
    if (renderer?.length === messages.length) return renderer.render();
  }
  // One join over labels and contents: each content is copied once, no per-message string is made.
  const labels = { system: 'System: ', human: `${humanPrefix}: `, ai: `${aiPrefix}: ` };
  const parts = new Array<string>(messages.length * 2);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    parts[2 * i] = i === 0 ? labels[message.type] : `\n${labels[message.type]}`;
    parts[2 * i + 1] = message.content;
  }
  return parts.join('');
}

export function formatTemplate(template: Template, values: PromptValues): string {
  return joinParts(formatTemplateParts(template, values));
}

/** The formatted template as its pieces, in order: literal text, each variable's value, mustache output. */
function formatTemplateParts(template: Template, values: PromptValues): string[] {
  if (template.format === 'mustache') return [renderMustache(template.source, textValues(template, values))];
  const parts: string[] = [];
  for (const part of template.parts) {
    if (part.kind === 'text') parts.push(part.text);
    else if (part.kind === 'variable') parts.push(textValue(part.name, values));
    else parts.push(renderMustache(part.source, textValues(template, values)));
  }
  return parts;
}

/** `+`, not join: a long value (memory's history) is referenced by the result, not copied. */
function joinParts(parts: readonly string[]): string {
  let text = '';
  for (const part of parts) text += part;
  return text;
}

/** MessagesPlaceholder.format_messages: the value must already be a message list. */
function placeholderMessages(name: string, values: PromptValues): readonly ChatMessage[] {
  const value = ownValue(values, name);
  if (value === undefined) throw missingInputError([name]);
  if (typeof value === 'string') {
    throw new ChainError(
      'placeholder-not-list',
      `variable ${name} should be a list of base messages, got ${value} of type <class 'str'>`,
      `\`placeholder: {${name}}\` needs a message list: set \`return_messages: true\` in the memory block.`,
    );
  }
  return value;
}

function textValue(name: string, values: PromptValues): string {
  const value = ownValue(values, name);
  if (value === undefined) throw missingInputError([name]);
  if (typeof value !== 'string') throw messagesInTextError(name);
  return value;
}

/** Mustache sees only the template's own variables, each as text. */
function textValues(template: Template, values: PromptValues): Record<string, string> {
  // No prototype: mustache looks names up with `in`, and `{{constructor}}` must not find Object's.
  const view: Record<string, string> = Object.create(null);
  for (const { name } of template.variables) {
    const value = ownValue(values, name);
    if (value === undefined) continue; // mustache renders a missing name as ""; the chain checks inputs first
    if (typeof value !== 'string') throw messagesInTextError(name);
    view[name] = value;
  }
  return view;
}

/**
 * The value given for `name`, never one inherited from Object.prototype: `{constructor}` and
 * `{toString}` are ordinary Python variable names, missing unless given.
 */
export function ownValue(values: PromptValues, name: string): PromptValue | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

export function missingInputError(names: readonly string[]): ChainError {
  return new ChainError(
    'missing-input',
    `Missing some input keys: ${pySet(names)}`,
    `Give ${names.length === 1 ? 'it' : 'them'} a value (--var NAME=VALUE, or partial_variables in the front matter).`,
  );
}

/** LangChain would paste the Python repr of the message list into the text; nobody wants that. */
function messagesInTextError(name: string): ChainError {
  return new ChainError(
    'messages-in-text',
    `{${name}} holds a message list (memory return_messages: true) but is used inside a text template`,
    `Use \`return_messages: false\` for a text template, or put {${name}} alone under a \`placeholder:\` header.`,
  );
}

// A private writer without a template cache: a long-running server formats many edited versions.
const writer = new Mustache.Writer();
(writer as unknown as { templateCache: unknown }).templateCache = undefined;
/** LangChain.js renders mustache with HTML escaping turned off. */
const renderOptions = { escape: (text: string) => text };

function renderMustache(source: string, view: Record<string, string>): string {
  return withLinearTagScan(() => writer.render(source, view, undefined, renderOptions));
}
