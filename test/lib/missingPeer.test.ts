// @langchain/core and @langchain/classic are optional peers: a project without them still requires and imports
// both entries (they load LangChain.js on first use only), and loadPrompt says what to install.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chatExample } from '../support/examples';
import { installedProject, printedJson } from './support/installed';
import { fileName, program, type ModuleFormat } from './support/programs';

interface Refusal {
  name: string;
  kind: string;
  message: string;
}

const loadBody = `
const diagnostics = await check('chatbot-chat.prompt');
try {
  await loadPrompt('chatbot-chat.prompt');
  print({ loaded: true });
} catch (error) {
  print({ diagnostics, name: error.name, kind: error.kind, message: error.message, isLoaderError: error instanceof LoaderError });
}`;

for (const format of ['cjs', 'esm'] as const satisfies readonly ModuleFormat[]) {
  describe(`missing peers, from ${format === 'cjs' ? 'CommonJS' : 'an ES module'}`, () => {
    test('without @langchain/*: the engine works, and loadPrompt names both packages and the npm install command', async () => {
      const project = installedProject([]);
      project.write('chatbot-chat.prompt', chatExample);
      const refusal = printedJson<Refusal & { diagnostics: unknown[]; isLoaderError: boolean }>(await project.run(fileName(format, 'bare'), program(format, loadBody, ['prompt-chain', 'prompt-chain/langchain'])));
      assert.deepEqual(refusal.diagnostics, []);
      assert.deepEqual([refusal.name, refusal.kind, refusal.isLoaderError], ['LoaderError', 'missing-peer', true]);
      assert.equal(
        refusal.message,
        'prompt-chain/langchain needs @langchain/core and @langchain/classic, which are not installed (optional peer dependencies of prompt-chain): run `npm install @langchain/core @langchain/classic`',
      );
    });

    test('with @langchain/core alone: the message names @langchain/classic', async () => {
      const project = installedProject(['@langchain/core']);
      project.write('chatbot-chat.prompt', chatExample);
      const refusal = printedJson<Refusal>(await project.run(fileName(format, 'core-only'), program(format, loadBody, ['prompt-chain', 'prompt-chain/langchain'])));
      assert.equal(refusal.kind, 'missing-peer');
      assert.match(refusal.message, /^prompt-chain\/langchain needs @langchain\/classic, which is not installed .*`npm install @langchain\/core @langchain\/classic`$/);
    });
  });
}
