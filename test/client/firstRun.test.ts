// The first-run pieces against the files they point to: New Prompt File's templates are the packaged
// examples, the walkthrough's media and command links exist, and the Marketplace README is the one packaged,
// with every image inside the package and every command and setting listed.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeFileName, promptTemplates } from '../../client/src/promptTemplates';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packaged = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!'));
const commands = (manifest.contributes.commands as { command: string; title: string }[]);

describe('New Prompt File', () => {
  test('offers the two prompts of "Memory in LLMChain" as examples/ has them, and examples/ is packaged', () => {
    assert.deepEqual(promptTemplates.map((template) => template.file), ['chatbot-chat.prompt', 'chatbot-completion.prompt']);
    const chat = readFileSync(join(root, 'examples', 'chatbot-chat.prompt'), 'utf8');
    assert.match(chat, /^---\nmemory:\n {2}key: chat_history\n {2}return_messages: true\n---\nsystem:\n/);
    const completion = readFileSync(join(root, 'examples', 'chatbot-completion.prompt'), 'utf8');
    assert.ok(completion.endsWith('{chat_history}\nHuman: {human_input}\nChatbot:\n'));
    assert.ok(packaged.includes('!examples/*.prompt'));
  });

  test('the new file gets a name no file of the folder has', () => {
    assert.equal(freeFileName('chatbot-chat.prompt', new Set(['other.prompt'])), 'chatbot-chat.prompt');
    assert.equal(freeFileName('chatbot-chat.prompt', new Set(['chatbot-chat.prompt', 'chatbot-chat-2.prompt'])), 'chatbot-chat-3.prompt');
  });
});

describe('walkthrough', () => {
  const [walkthrough] = manifest.contributes.walkthroughs as {
    id: string;
    steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[];
  }[];

  test('three steps: the endpoint or key, an example, a turn; each with packaged media', () => {
    assert.deepEqual(walkthrough!.steps.map((step) => step.id), ['endpoint', 'example', 'turn']);
    for (const step of walkthrough!.steps) {
      assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
      assert.match(step.media.markdown, /^media\/[\w.-]+$/, 'flat in media/, which is packaged');
    }
  });

  test('every button runs a contributed command (or opens the endpoint setting), and completes its step', () => {
    const ids = new Set(commands.map((c) => c.command));
    for (const step of walkthrough!.steps) {
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((match) => match[1]!);
      assert.ok(links.length > 0, step.id);
      for (const id of links) assert.ok(ids.has(id) || id === 'workbench.action.openSettings', id);
      for (const event of step.completionEvents.filter((e) => e.startsWith('onCommand:'))) assert.ok(ids.has(event.slice('onCommand:'.length)), event);
    }
    assert.match(walkthrough!.steps[0]!.description, /openSettings\?%5B%22promptChain\.baseUrl%22%5D/);
  });
});

describe('Marketplace README', () => {
  const readmePath = 'docs/marketplace/README.md';
  const readme = readFileSync(join(root, readmePath), 'utf8');

  test('is the readme packaged (the repository README stays the developers\'), links left as written', () => {
    assert.match(manifest.scripts.package, new RegExp(`--readme-path ${readmePath.replace(/\./g, '\\.')}`));
    assert.match(manifest.scripts.package, /--no-rewrite-relative-links/);
    assert.equal(packaged.includes('!README.md'), false);
  });

  test('every image is a file in media/ (packaged, so the page shows it offline)', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]!);
    assert.ok(images.length >= 2);
    assert.ok(packaged.includes('!media/**'));
    for (const image of images) {
      assert.match(image, /^media\/[\w.-]+\.png$/, image);
      assert.ok(existsSync(join(root, image)), image);
    }
  });

  test('lists every command and every setting', () => {
    for (const { title } of commands) assert.ok(readme.includes(`Prompt Chain: ${title}`), title);
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(readme.includes(`\`${key}\``), key);
  });
});
