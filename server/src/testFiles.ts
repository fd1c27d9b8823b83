// The open test files (`*.prompt-test.yaml`): each parsed once per version into a TestFileContext, checked
// against its prompt (an open editor's text before the disk's, so an unsaved fix shows at once), and the
// facts completion needs (the `.prompt` files beside it, the prompt's variables). The language service does
// the work (service/testing/); this only reads files and caches.

import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver';
import { readPromptFile } from '../../core/files/readPromptFile';
import { turnInputsOf } from '../../core/chain/inputKey';
import { validateNow } from '../../service/diagnostics';
import { checkTestFile, type TestFileCheck, type TestFileHost } from '../../service/testing/checkTestFile';
import { createTestFileContext, type TestFileContext, type TestFileFacts } from '../../service/testing/testFileContext';
import { toServiceSettings, type SettingsCache } from './settings';

/** Prompt files offered after `prompt:`: the test file's folder and a few levels below, within reason. */
const maxPromptFiles = 200;
const maxDepth = 3;

export class TestFiles {
  private readonly parsed = new Map<string, TestFileContext>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsCache,
  ) {}

  /** The context of the open test file's current version; undefined when it is not open. */
  context(uri: string): TestFileContext | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const cached = this.parsed.get(uri);
    if (cached?.textDocument.version === document.version) return cached;
    const context = createTestFileContext(TextDocument.create(uri, document.languageId, document.version, document.getText()));
    this.parsed.set(uri, context);
    return context;
  }

  /** The problems that need the prompt; none for a test file that is not on disk (nothing to be relative to). */
  async check(ctx: TestFileContext): Promise<TestFileCheck> {
    const path = filePath(ctx.textDocument.uri);
    if (path === undefined) return { problems: [] };
    return checkTestFile(ctx.testFile, path, await this.host(ctx.textDocument.uri));
  }

  async facts(ctx: TestFileContext): Promise<TestFileFacts> {
    const path = filePath(ctx.textDocument.uri);
    if (path === undefined) return { promptFiles: [], variables: [] };
    const [promptFiles, checked] = await Promise.all([promptFilesNear(dirname(path)), this.check(ctx)]);
    const prompt = checked.prompt;
    const variables = prompt ? turnInputsOf(prompt.prompt.body, prompt.config).variables.map((variable) => variable.name) : [];
    return { promptFiles, variables };
  }

  forget(uri: string): void {
    this.parsed.delete(uri);
  }

  private async host(uri: string): Promise<TestFileHost> {
    return {
      readText: async (path) => this.documents.get(pathToFileURL(path).href)?.getText() ?? readPromptFile(path),
      exists: async (path) => (await stat(path).catch(() => undefined))?.isFile() === true,
      settings: toServiceSettings(await this.settings.get(uri)),
      // answered at once: a token-count rule still loading its tokenizer gives its estimate
      diagnose: validateNow,
    };
  }
}

function filePath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

/** `.prompt` files under `folder`, relative and `/`-separated, breadth first, skipping dot folders and node_modules. */
async function promptFilesNear(folder: string): Promise<string[]> {
  const found: string[] = [];
  let level = [folder];
  for (let depth = 0; depth <= maxDepth && level.length > 0 && found.length < maxPromptFiles; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isFile() && entry.name.endsWith('.prompt')) found.push(relative(folder, path).split(sep).join('/'));
        else if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') next.push(path);
      }
    }
    level = next;
  }
  return found.slice(0, maxPromptFiles).sort();
}
