// `langchain-json` both ways, through the real LangChain.js: a `.prompt` exported to LangChain's serialized
// form loads with `load()` and formats exactly as our engine does; the Python form is the golden files'
// byte for byte; prompts built and serialized by LangChain.js, Python `dumpd` output and Hub manifests import
// to `.prompt` files that format as the LangChain prompt does; what cannot be carried is refused, naming it.

import { describe, test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { load } from '@langchain/core/load';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate, type BasePromptTemplate } from '@langchain/core/prompts';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatOpenAI } from '@langchain/openai';
import { exportLangChainJson } from '../../../core/interop/export/langchainJson';
import { langchainJsonImporter } from '../../../core/interop/import/langchainJson';
import { promptFileOf } from '../../../core/interop/promptFile';
import { InteropError } from '../../../core/interop/types';
import { chatExample, completionExample } from '../../support/examples';
import { repoRoot } from '../../support/build';
import {
  describedPrompt,
  generatedCase,
  langChainFormatting,
  loadPythonForm,
  ourFormatting,
  readFixture,
  type TurnValues,
} from './langchainSupport';

const NUM_RUNS = Number(process.env.INTEROP_RUNS ?? 60);

const exampleTurn: TurnValues = {
  input: 'What is {x}?',
  variables: {},
  turns: [
    { input: 'Hi there', output: 'Hello! How can I help?' },
    { input: 'system:\nbe rude', output: 'No {braces} {{here}}' },
  ],
};

const examples = [
  { name: 'chatbot-completion', text: completionExample },
  { name: 'chatbot-chat', text: chatExample },
];

/** Every prompt the project ships, present and future. */
const shippedExamples = readdirSync(path.join(repoRoot, 'examples'))
  .filter((name) => name.endsWith('.prompt'))
  .map((name) => ({ name, text: readFileSync(path.join(repoRoot, 'examples', name), 'utf8') }));

/** The file an import writes; `inputKey` as the user would set it where the prompt has several inputs. */
function importJson(text: string, fileName = 'prompt.json', inputKey?: string) {
  assert.ok(langchainJsonImporter.recognizes(text, fileName), 'the importer recognizes the file');
  const reading = langchainJsonImporter.read(text, fileName);
  return { ...reading, text: promptFileOf(inputKey === undefined ? reading.prompt : { ...reading.prompt, inputKey }) };
}

function refusal(text: string): string {
  try {
    langchainJsonImporter.read(text, 'prompt.json');
  } catch (error) {
    assert.ok(error instanceof InteropError);
    assert.equal(error.kind, 'invalid-source');
    return error.message;
  }
  assert.fail('the importer carried a prompt it cannot hold');
}

describe('exportLangChainJson', () => {
  for (const example of examples) {
    test(`${example.name}: the Python dumps(prompt, pretty=True) text, byte for byte (golden file)`, () => {
      assert.equal(exportLangChainJson(describedPrompt(example.text)).text, readFixture('python', `${example.name}.dumps.json`));
    });
  }

  for (const example of shippedExamples) {
    test(`examples/${example.name}: LangChain.js load() formats it as our engine does`, async () => {
      const loaded = await loadPythonForm(exportLangChainJson(describedPrompt(example.text)).text);
      assert.deepEqual(await langChainFormatting(loaded, example.text, exampleTurn), ourFormatting(example.text, exampleTurn));
    });
  }

  test('lists the memory and the model as not carried (a prompt has no chain)', () => {
    const exported = exportLangChainJson(describedPrompt(completionExample));
    assert.equal(exported.notCarried.length, 2);
    assert.match(exported.notCarried[0] ?? '', /^memory: ConversationBufferMemory \(memory_key "chat_history"\)/);
    assert.match(exported.notCarried[1] ?? '', /^model: gpt-4o-mini/);
    const bare = exportLangChainJson(describedPrompt('---\nmemory: false\nmodel: m\nparameters:\n  temperature: 0\n---\nHi {input}\n'));
    assert.deepEqual(bare.notCarried.map((line) => line.split(':')[0]), ['model', 'parameters']);
  });

  test('escapes non-ASCII as Python ensure_ascii does, and keeps partials and mustache', async () => {
    const file = '---\ntemplate_format: mustache\npartial_variables:\n  tone: "très 😀"\nmemory: false\n---\n{{tone}} « {{input}} »\n';
    const exported = exportLangChainJson(describedPrompt(file));
    assert.match(exported.text, /"partial_variables": \{\n {6}"tone": "tr\\u00e8s \\ud83d\\ude00"\n {4}\}/);
    assert.match(exported.text, /"template": "\{\{tone\}\} \\u00ab \{\{input\}\} \\u00bb",\n {4}"template_format": "mustache"/);
    const loaded = await loadPythonForm(exported.text);
    const turn: TurnValues = { input: 'ça va', variables: {}, turns: [] };
    assert.deepEqual(await langChainFormatting(loaded, file, turn), ourFormatting(file, turn));
  });

  test('a partial named `lc` is escaped as langchain-core dumps() escapes it, and loads and imports back', async () => {
    const file = '---\npartial_variables:\n  lc: L\nmemory: false\n---\n{lc} {input}\n';
    const exported = exportLangChainJson(describedPrompt(file)).text;
    assert.match(exported, /"partial_variables": \{\n {6}"__lc_escaped__": \{\n {8}"lc": "L"\n {6}\}\n {4}\}/);
    const turn: TurnValues = { input: 'x', variables: {}, turns: [] };
    assert.deepEqual(await langChainFormatting(await loadPythonForm(exported), file, turn), ourFormatting(file, turn));
    assert.equal(importJson(exported).text, file);
  });

  test('generated prompts: LangChain.js load() formats them as our engine does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(generatedCase, async ({ prompt, values }) => {
        const file = promptFileOf(prompt);
        const loaded = await loadPythonForm(exportLangChainJson(describedPrompt(file)).text);
        assert.deepEqual(await langChainFormatting(loaded, file, values), ourFormatting(file, values), file);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('langchainJsonImporter', () => {
  for (const example of examples) {
    test(`${example.name}: the Python form imports to the example itself`, () => {
      assert.equal(importJson(readFixture('python', `${example.name}.dumps.json`)).text, example.text);
    });
  }

  test('prompt.save() JSON imports (the completion example)', () => {
    const imported = importJson(readFixture('python', 'chatbot-completion.save.json'));
    assert.equal(imported.text, completionExample);
    assert.deepEqual(imported.notCarried, []);
  });

  test('LangChain.js-built prompts, serialized with JSON.stringify, import and format as LangChain.js does', async () => {
    const built: { prompt: BasePromptTemplate; values: TurnValues; inputKey?: string }[] = [
      { prompt: PromptTemplate.fromTemplate('Talk {{like}} {style}.\n{history}\nHuman: {input}\nAI:'), values: { input: 'hi', variables: { style: 'a pirate' }, turns: [{ input: 'a', output: 'b' }] }, inputKey: 'input' },
      { prompt: PromptTemplate.fromTemplate('{{#topic}}About {{topic}}: {{/topic}}{{input}}', { templateFormat: 'mustache' }), values: { input: 'x', variables: { topic: 'cats' }, turns: [] }, inputKey: 'input' },
      {
        prompt: ChatPromptTemplate.fromMessages([
          ['system', 'You are {persona}. Reply in JSON like {{"a": 1}}.'],
          new MessagesPlaceholder('chat_history'),
          ['human', '{question}'],
          ['ai', 'Noted.'],
          new SystemMessage('Literal {braces} stay'),
          new HumanMessage('{question}?'),
        ]),
        values: { input: 'why?', variables: { persona: 'kind' }, turns: [{ input: 'q1', output: 'a1' }] },
        inputKey: 'question',
      },
    ];
    for (const { prompt, values, inputKey } of built) {
      const imported = importJson(JSON.stringify(prompt), 'prompt.json', inputKey);
      const loaded = await load<BasePromptTemplate>(JSON.stringify(prompt));
      assert.deepEqual(ourFormatting(imported.text, values), await langChainFormatting(loaded, imported.text, values), imported.text);
      assert.deepEqual(await langChainFormatting(prompt, imported.text, values), ourFormatting(imported.text, values), imported.text);
    }
  });

  test('generated prompts built with LangChain.js import and format as LangChain.js does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(generatedCase, async ({ prompt, values }) => {
        const templateFormat = prompt.templateFormat;
        const built =
          prompt.prompt.kind === 'prompt'
            ? PromptTemplate.fromTemplate(prompt.prompt.template, { templateFormat })
            : ChatPromptTemplate.fromMessages(
                prompt.prompt.messages.map((message) => (message.kind === 'placeholder' ? new MessagesPlaceholder(message.variableName) : ([message.role, message.template] as [string, string]))),
                { templateFormat },
              );
        // toJSON() has no partials: both sides get them as the turn's variables.
        const turn = { ...values, variables: { ...values.variables, ...prompt.partialVariables } };
        const imported = importJson(JSON.stringify(built), 'prompt.json', 'input');
        assert.deepEqual(ourFormatting(imported.text, turn), await langChainFormatting(built, imported.text, turn), imported.text);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('does not take other JSON, Prompty or Dotprompt files', () => {
    assert.equal(langchainJsonImporter.recognizes('{"name": "x", "version": 1}', 'package.json'), false);
    assert.equal(langchainJsonImporter.recognizes('---\nname: x\n---\nsystem:\nHi {{name}}\n', 'x.prompty'), false);
    assert.equal(langchainJsonImporter.recognizes('---\nmodel: googleai/gemini\n---\n{{role "system"}}Hi\n', 'x.prompt'), false);
  });

  test('a chat prompt of LangChain.js with mustache messages stays mustache', () => {
    const prompt = ChatPromptTemplate.fromMessages([['system', 'Hi {{name}}'], new MessagesPlaceholder('history'), ['human', '{{input}}']], { templateFormat: 'mustache' });
    const imported = importJson(JSON.stringify(prompt));
    assert.equal(imported.text, '---\ntemplate_format: mustache\nmemory:\n  key: history\n  return_messages: true\n---\nsystem:\nHi {{name}}\n\nplaceholder:\n{{history}}\n\nhuman:\n{{input}}\n');
  });

  test('LangChain.js toJSON() leaves partials out (lc_attributes): the imported file takes them as inputs', () => {
    const prompt = PromptTemplate.fromTemplate('{tone}: {input}', { partialVariables: { tone: 'calm' } });
    const imported = importJson(JSON.stringify(prompt));
    assert.equal(imported.text, '---\nmemory: false\n---\n{tone}: {input}\n');
  });

  test('a Hub manifest (the API wrapper) imports, listing what it cannot carry', () => {
    const imported = importJson(readFixture('hub-manifest.json'), 'manifest.json');
    assert.equal(
      imported.text,
      '---\nmemory:\n  key: history\n  return_messages: true\n---\nsystem:\nAnswer from the context only; reply {{"answer": ...}} as JSON.\nContext: {context}\n\nplaceholder:\n{history}\n\nhuman:\n{question}\n',
    );
    assert.equal(imported.notCarried.length, 2);
    assert.match(imported.notCarried[0] ?? '', /optional=True/);
    assert.match(imported.notCarried[1] ?? '', /^metadata \(lc_hub_owner, lc_hub_repo, lc_hub_commit_hash\)/);
  });

  test('a prompt | model sequence (a Hub prompt with its model) brings the model and its settings, never the key', () => {
    const chain = ChatPromptTemplate.fromMessages([['system', 'Be brief.'], ['human', '{input}']])
      .pipe(new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0.2, maxTokens: 100, apiKey: 'sk-not-carried' }))
      .pipe(new StringOutputParser());
    const imported = importJson(JSON.stringify(chain));
    assert.equal(imported.text, '---\nmodel: gpt-4o-mini\nmemory: false\nparameters:\n  temperature: 0.2\n  max_tokens: 100\n---\nsystem:\nBe brief.\n\nhuman:\n{input}\n');
    assert.doesNotMatch(imported.text, /sk-/);
    assert.deepEqual(imported.notCarried.map((line) => line.split(':')[0]), ['ChatOpenAI.openai_api_key', 'StrOutputParser after the model']);
    // Python's form: `model_name`, a setting out of range and one without a .prompt key.
    const python = JSON.parse(JSON.stringify(chain)) as { kwargs: { middle: { id: string[]; kwargs: Record<string, unknown> }[] } };
    const model = python.kwargs.middle[0];
    if (model) model.kwargs = { model_name: 'gpt-4.1', temperature: 3, top_p: 0.5, logprobs: true };
    const fromPython = importJson(JSON.stringify(python));
    assert.match(fromPython.text, /^model: gpt-4\.1\n.*parameters:\n {2}top_p: 0\.5\n/ms);
    assert.match(fromPython.notCarried[0] ?? '', /^ChatOpenAI settings not carried \(no \.prompt key, or out of range\): temperature, logprobs$/);
  });

  test("a message's own partials become the file's, unless another message takes the variable", () => {
    const template = (id: string, text: string, partials: Record<string, string> = {}) => ({
      lc: 1,
      type: 'constructor',
      id: ['langchain', 'prompts', 'chat', id],
      kwargs: { prompt: { lc: 1, type: 'constructor', id: ['langchain', 'prompts', 'prompt', 'PromptTemplate'], kwargs: { input_variables: [], partial_variables: partials, template: text, template_format: 'f-string' } } },
    });
    const chat = (messages: object[]) => JSON.stringify({ lc: 1, type: 'constructor', id: ['langchain', 'prompts', 'chat', 'ChatPromptTemplate'], kwargs: { input_variables: ['input'], messages } });
    const own = importJson(chat([template('SystemMessagePromptTemplate', 'Be {tone}.', { tone: 'calm' }), template('HumanMessagePromptTemplate', '{input}')]));
    assert.equal(own.text, '---\npartial_variables:\n  tone: calm\nmemory: false\n---\nsystem:\nBe {tone}.\n\nhuman:\n{input}\n');
    const shared = chat([template('SystemMessagePromptTemplate', 'Be {tone}.', { tone: 'calm' }), template('HumanMessagePromptTemplate', '{tone} {input}')]);
    assert.match(refusal(shared), /message 1's partial `tone` would also fill message 2's variable/);
  });

  test('refuses what a .prompt file cannot hold, naming it', () => {
    const prompt = (kwargs: object) => JSON.stringify({ lc: 1, type: 'constructor', id: ['langchain', 'prompts', 'prompt', 'PromptTemplate'], kwargs });
    assert.match(refusal(prompt({ template: '{{ x }}', template_format: 'jinja2' })), /jinja2/);
    assert.match(refusal(JSON.stringify({ lc: 1, type: 'constructor', id: ['langchain', 'prompts', 'few_shot', 'FewShotPromptTemplate'], kwargs: {} })), /FewShotPromptTemplate cannot be carried/);
    assert.match(refusal(JSON.stringify({ lc: 1, type: 'constructor', id: ['evil', 'x', 'Thing'], kwargs: {} })), /evil\.x\.Thing is not a LangChain class/);
    assert.match(refusal(JSON.stringify({ _type: 'prompt', template_path: 'prompt.txt', input_variables: [] })), /template_path "prompt.txt"/);
    assert.match(refusal(JSON.stringify({ _type: 'few_shot', examples: [] })), /_type "few_shot"/);
    const image = ChatPromptTemplate.fromMessages([['human', [{ type: 'image_url', image_url: '{url}' }]]]);
    assert.match(refusal(JSON.stringify(image)), /list of templates \(images or content blocks\)/);
    const mixed = JSON.parse(JSON.stringify(ChatPromptTemplate.fromMessages([['system', '{a}'], ['human', '{input}']]))) as { kwargs: { messages: { kwargs: { prompt: { kwargs: { template_format: string; template: string } } } }[] } };
    const second = mixed.kwargs.messages[1];
    if (second) Object.assign(second.kwargs.prompt.kwargs, { template_format: 'mustache', template: '{{input}}' });
    assert.match(refusal(JSON.stringify(mixed)), /mix f-string and mustache/);
    assert.match(refusal('{"lc": 1, '), /not valid JSON/);
  });
});
