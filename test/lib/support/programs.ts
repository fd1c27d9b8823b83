// The consumer programs of the library tests, written once and emitted as CommonJS (`require`) or as an ES
// module (`import`): the same body, so both module systems are held to the same results.

export type ModuleFormat = 'cjs' | 'esm';

/** The names a program uses, and the module each comes from. */
const imports: readonly (readonly [string, string])[] = [
  ['check, runTurn, previewTurn, inMemoryConversation, fileConversation', 'prompt-chain'],
  ['loadPrompt, LoaderError', 'prompt-chain/langchain'],
  ['ChatOpenAI, OpenAI', '@langchain/openai'],
  ['InMemoryChatMessageHistory', '@langchain/core/chat_history'],
];

/** `body` (async code that may `await` and `print(value)`) as a program of `format`; `uses` limits the imports. */
export function program(format: ModuleFormat, body: string, uses: readonly string[] = ['prompt-chain', 'prompt-chain/langchain', '@langchain/openai', '@langchain/core/chat_history']): string {
  const header = imports
    .filter(([, from]) => uses.includes(from))
    .map(([names, from]) => (format === 'esm' ? `import { ${names} } from '${from}';` : `const { ${names} } = require('${from}');`))
    .join('\n');
  return `${header}
const print = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
const messagesOf = (value) => (Array.isArray(value) ? value.map((m) => ({ type: m.type, content: m.content })) : value);
(async () => {
${body}
})().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
`;
}

export function fileName(format: ModuleFormat, name: string): string {
  return `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`;
}
