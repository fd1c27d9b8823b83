// Importer for Continue `.prompt` files (continuedev/continue: core/promptFiles/parsePromptFile.ts, and
// gui/.../renderSlashCommand.ts for what the slash command sends). A YAML preamble above the first `---`
// line (fenced or not); a `<system>...</system>` block is the system message (it replaces Continue's own);
// the rest is the user's message: a version 2 file sends it as written followed by the user's words
// (`[prompt, input].join("\n\n").trim()`), a version 1 file (or one with `{{{ input }}}`) renders it with
// Handlebars, `input` being the user's words. Sent inside the chat, after the conversation so far: here a
// MessagesPlaceholder filled by the memory. @-references and context providers are Continue's: listed.

import type { LangChainMessage } from '../langchainPrompt';
import { otherToolOf, otherToolParts } from '../otherTools';
import { InteropError, type ImportedPrompt, type ImportReading, type Importer } from '../types';
import { fstringLiteral, inputChoiceOf, isPlainVariableName, parametersOf, trimBlankEdgeLines, importedYaml, type SourceParameter } from './importedParts';

const historyKey = 'history';

export const continueImporter: Importer = {
  format: 'continue',
  recognizes: (text) => otherToolOf(text) === 'continue',
  read: readContinue,
};

function readContinue(text: string): ImportReading {
  const parts = otherToolParts(text);
  const notCarried: string[] = [];
  const preamble = preambleOf(parts.yaml);
  const { system, prompt } = splitSystem(parts.body);
  const templated = preamble.version === 1 || prompt.includes('{{{ input }}}');
  const user = templated ? handlebarsTemplate(prompt, notCarried) : { template: `${fstringLiteral(prompt.trim())}\n\n{input}`, names: ['input'] };
  references(prompt, notCarried);
  const messages: LangChainMessage[] = [
    ...(system !== undefined && system !== '' ? [{ kind: 'message', role: 'system', template: fstringLiteral(system) } as const] : []),
    { kind: 'placeholder', variableName: historyKey },
    { kind: 'message', role: 'human', template: trimBlankEdgeLines(user.template.trim()) },
  ];
  const choice = inputChoiceOf([{ role: 'human', names: user.names }], new Map(), notCarried);
  const imported: ImportedPrompt = {
    prompt: { kind: 'chat', messages },
    templateFormat: 'f-string',
    ...(choice.inputKey !== undefined && { inputKey: choice.inputKey }),
    ...(typeof preamble.name === 'string' && { name: preamble.name }),
    ...(typeof preamble.description === 'string' && { description: preamble.description }),
    ...(typeof preamble.model === 'string' && { model: preamble.model }),
    parameters: parametersOf(parameterSettings(preamble, notCarried), notCarried),
    memory: { key: historyKey, returnMessages: true },
  };
  return { prompt: imported, notCarried };
}

function preambleOf(yaml: string): Record<string, unknown> {
  const parsed = importedYaml(yaml, 'The Continue preamble');
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** parsePromptFile: the first `<system>...</system>` is the system message, what follows `</system>` the prompt. */
function splitSystem(body: string): { system?: string; prompt: string } {
  if (!body.includes('<system>')) return { prompt: body };
  const system = (body.split('<system>')[1] ?? '').split('</system>')[0]?.trim() ?? '';
  return { system, prompt: (body.split('</system>')[1] ?? '').trim() };
}

/**
 * A version 1 prompt as Handlebars renders it: `{{{ input }}}` (or `{{ input }}`) is the user's words, any
 * other plain name a context provider (`{{{ currentFile }}}`), which becomes a variable a run passes. Continue
 * appends the input when the template does not show it.
 */
function handlebarsTemplate(prompt: string, notCarried: string[]): { template: string; names: string[] } {
  const names: string[] = [];
  let template = '';
  let at = 0;
  for (const tag of prompt.matchAll(/\{\{(\{?)([^{}]*)\}\}(\}?)/g)) {
    const written = tag[0];
    const name = (tag[2] ?? '').trim();
    if (!isPlainVariableName(name)) {
      throw new InteropError('invalid-source', `\`${written}\` is a Handlebars helper, block or path; a LangChain f-string template has only plain variables \`{name}\`.`);
    }
    if (name !== 'input') notCarried.push(`\`${written}\`: a Continue context provider; the copy has a variable \`{${name}}\` that a run passes (\`--var ${name}=...\`).`);
    names.push(name);
    template += `${fstringLiteral(prompt.slice(at, tag.index))}{${name}}`;
    at = tag.index + written.length;
  }
  template += fstringLiteral(prompt.slice(at));
  if (names.includes('input')) return { template, names };
  return { template: `${template.trim()}\n\n{input}`, names: [...names, 'input'] };
}

/** `@README.md`, `@currentFile`, `@https://…`: Continue attaches them as context items. */
function references(prompt: string, notCarried: string[]): void {
  const found = [...new Set(prompt.match(/(?<![\w@])@[\w./:-]*\w/g) ?? [])];
  if (found.length > 0) notCarried.push(`${found.map((reference) => `\`${reference}\``).join(', ')}: Continue attaches ${found.length === 1 ? 'it' : 'them'} as context; the copy sends the text as written.`);
}

const parameterKeys: Readonly<Record<string, SourceParameter['key']>> = {
  temperature: 'temperature',
  topP: 'top_p',
  maxTokens: 'max_tokens',
  presencePenalty: 'presence_penalty',
  frequencyPenalty: 'frequency_penalty',
  stop: 'stop',
};

function parameterSettings(preamble: Record<string, unknown>, notCarried: string[]): SourceParameter[] {
  const settings: SourceParameter[] = [];
  for (const [key, value] of Object.entries(preamble)) {
    const ours = parameterKeys[key];
    if (ours) settings.push({ key: ours, source: key, value });
    else if (!['name', 'description', 'model', 'version'].includes(key)) notCarried.push(`\`${key}\`: ${key === 'invokable' ? "Continue's slash-command switch" : 'not a setting Prompt Chain reads'}.`);
  }
  return settings;
}
