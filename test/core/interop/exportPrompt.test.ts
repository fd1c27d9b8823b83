// The export dispatcher: a wrong format or style is refused before the file is looked at, a broken file
// exactly as a turn refuses it, and a good one goes to its format's exporter with the description
// langChainPromptOf gives for the host's defaults.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exportPrompt } from '../../../core/interop/exportPrompt';
import { exportLangChainJson } from '../../../core/interop/export/langchainJson';
import { exportPython } from '../../../core/interop/export/python';
import { exportTypeScript } from '../../../core/interop/export/typescript';
import { langChainPromptOf } from '../../../core/interop/langchainPrompt';
import type { ExportFormat } from '../../../core/interop/types';
import { exportFormats } from '../../../core/interop/formats';
import { failureOf } from '../../../core/chain/failure';
import { ChainError } from '../../../core/chain/errors';
import { preparePrompt } from '../../../core/chain/prepare';
import { resolveConfig } from '../../../core/chain/config';
import type { ChainDefaults } from '../../../core/chain/types';
import { parsePrompt } from '../../../core/format/parse';
import { chatExample, completionExample } from '../../support/examples';
import { interopFailure } from './interopFailure';

const defaults: ChainDefaults = { model: 'gpt-4o-mini', completionModel: 'gpt-3.5-turbo-instruct' };
const broken = '---\nmemory: false\n---\nHello {name\n';

describe('exportPrompt: what it refuses', () => {
  test('an unknown format, named with the formats there are, even for a broken file', () => {
    const error = interopFailure(() => exportPrompt(broken, 'bad.prompt', 'xml' as ExportFormat, {}, defaults));
    assert.equal(error.kind, 'unsupported-format');
    assert.equal(error.message, 'cannot export to "xml": the formats are langchain-json, langchain-yaml, python, typescript');
  });

  test('a style for a format that is not code', () => {
    for (const format of ['langchain-json', 'langchain-yaml'] as const) {
      const error = interopFailure(() => exportPrompt(chatExample, 'chat.prompt', format, { style: 'modern' }, defaults));
      assert.equal(error.kind, 'unsupported-format');
      assert.match(error.message, new RegExp(`not for ${format}$`));
    }
  });

  test('a broken file, with the very error a turn raises for it', () => {
    const doc = parsePrompt(broken);
    let turnError: unknown;
    try {
      preparePrompt(doc, resolveConfig(doc, defaults), { input: 'hi' });
    } catch (error) {
      turnError = error;
    }
    assert.ok(turnError instanceof ChainError);
    for (const info of exportFormats) {
      assert.throws(
        () => exportPrompt(broken, 'bad.prompt', info.format, {}, defaults),
        (error: unknown) => error instanceof ChainError && error.kind === 'invalid-prompt' && error.message === turnError.message,
        info.format,
      );
    }
  });

  test('a chat prompt as langchain-yaml is not-exportable, the file named, and reaches hosts as kind interop', () => {
    const error = interopFailure(() => exportPrompt(chatExample, 'chat.prompt', 'langchain-yaml', {}, defaults));
    assert.equal(error.kind, 'not-exportable');
    assert.match(error.message, /^chat\.prompt: .*langchain-json/);
    assert.deepEqual(failureOf(error), { kind: 'interop', reason: 'not-exportable', message: error.message });
  });
});

describe('exportPrompt: what it hands on', () => {
  const description = (text: string, chainDefaults: ChainDefaults) => {
    const doc = parsePrompt(text);
    return langChainPromptOf(doc, resolveConfig(doc, chainDefaults));
  };

  test('each format goes to its exporter, with the description for the host defaults', () => {
    const hostDefaults: ChainDefaults = { model: 'llama3.1', completionModel: 'davinci-002', memoryKey: 'history' };
    for (const text of [chatExample, completionExample]) {
      assert.deepEqual(exportPrompt(text, 'x.prompt', 'langchain-json', {}, hostDefaults), exportLangChainJson(description(text, hostDefaults)));
      assert.deepEqual(exportPrompt(text, 'x.prompt', 'python', {}, hostDefaults), exportPython(description(text, hostDefaults), 'classic'));
      assert.deepEqual(exportPrompt(text, 'x.prompt', 'typescript', { style: 'modern' }, hostDefaults), exportTypeScript(description(text, hostDefaults), 'modern'));
    }
  });

  test('the host default model is the one a file without model: is exported with', () => {
    const withDefault = exportPrompt(chatExample, 'chat.prompt', 'python', {}, { model: 'my-local-model' });
    assert.match(withDefault.text, /my-local-model/);
  });
});
