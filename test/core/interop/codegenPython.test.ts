// `export --to python`: every case's program, in both styles, is byte for byte its golden file, compiles with
// the real Python 3 (py_compile), and hands LangChain each template exactly (read back from the program's
// syntax tree by Python itself). LangChain is not installed here: to run a golden against the real
// packages, `pip install langchain-core langchain-classic langchain-openai` and
// `OPENAI_BASE_URL=... OPENAI_API_KEY=... python test/core/interop/fixtures/codegen/chat.classic.py "Hi"`.
// UPDATE_CODEGEN_GOLDENS=1 rewrites the goldens (then read the diff).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { exportPython } from '../../../core/interop/export/python';
import type { CodeStyle } from '../../../core/interop/types';
import type { LangChainPrompt } from '../../../core/interop/langchainPrompt';
import fc from 'fast-check';
import { codegenCases, describeCase } from './fixtures/codegen/cases';
import { generatedDescription } from './fixtures/codegen/generated';

const run = promisify(execFile);
const goldens = path.join(__dirname, 'fixtures/codegen');
const styles: readonly CodeStyle[] = ['classic', 'modern'];

const programs = codegenCases.flatMap((c) => styles.map((style) => ({ file: `${c.name}.${style}.py`, description: describeCase(c.text), style })));

/** The templates a description hands LangChain, in the order the program writes them. */
function templatesOf(d: LangChainPrompt): string[] {
  const prompt = d.prompt.kind === 'prompt' ? [d.prompt.template] : d.prompt.messages.flatMap((m) => (m.kind === 'message' ? [m.template] : []));
  return prompt;
}

// Walks the program's syntax tree: the `template = ...` assignment, every `X.from_template(...)` first
// argument and `SystemMessage(content=...)`, each evaluated with ast.literal_eval.
const readTemplates = `
import ast, json, sys
found = []
for path in sys.argv[1:]:
    tree = ast.parse(open(path, encoding="utf-8").read())
    templates = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["template"]:
            templates.append((node.lineno, node.col_offset, ast.literal_eval(node.value)))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "from_template":
            templates.append((node.lineno, node.col_offset, ast.literal_eval(node.args[0])))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "SystemMessage":
            templates.append((node.lineno, node.col_offset, ast.literal_eval(node.keywords[0].value)))
    found.append([text for _, _, text in sorted(templates)])
sys.stdout.write(json.dumps(found))
`;

describe('export --to python', () => {
  test('every program is its golden file, byte for byte', () => {
    for (const program of programs) {
      const text = exportPython(program.description, program.style).text;
      const golden = path.join(goldens, program.file);
      if (process.env.UPDATE_CODEGEN_GOLDENS === '1') writeFileSync(golden, text);
      assert.equal(text, readFileSync(golden, 'utf8'), `${program.file} differs from its golden`);
    }
  });

  test('every program compiles (python3 -m py_compile) and hands LangChain each template exactly', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-codegen-py-'));
    try {
      const files = programs.map((program) => {
        const file = path.join(folder, program.file);
        writeFileSync(file, exportPython(program.description, program.style).text);
        return file;
      });
      await run('python3', ['-m', 'py_compile', ...files]);
      const { stdout } = await run('python3', ['-c', readTemplates, ...files], { maxBuffer: 16 * 1024 * 1024 });
      const found = JSON.parse(stdout) as string[][];
      programs.forEach((program, index) => assert.deepEqual(found[index], templatesOf(program.description), program.file));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('generated descriptions (odd names, awkward templates, every memory type) give programs that compile and carry each template exactly', async () => {
    const descriptions = fc.sample(generatedDescription, { numRuns: 60 });
    const folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-codegen-py-'));
    try {
      const files = descriptions.flatMap((d, index) =>
        styles.map((style) => {
          const file = path.join(folder, `generated${index}.${style}.py`);
          writeFileSync(file, exportPython(d, style).text);
          return file;
        }),
      );
      await run('python3', ['-m', 'py_compile', ...files]);
      const { stdout } = await run('python3', ['-c', readTemplates, ...files], { maxBuffer: 16 * 1024 * 1024 });
      const found = JSON.parse(stdout) as string[][];
      descriptions.forEach((d, index) => {
        for (const offset of [0, 1]) assert.deepEqual(found[2 * index + offset], templatesOf(d), `generated${index}: ${JSON.stringify(d)}`);
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the notebook shape: the memory class with its key and input key, LLMChain(verbose=True), the model with its parameters', () => {
    const chat = exportPython(describeCase(codegenCases.find((c) => c.name === 'chat-parameters')!.text), 'classic').text;
    assert.match(chat, /^memory = ConversationBufferMemory\(memory_key="chat_history", input_key="human_input", return_messages=True\)$/m);
    assert.match(chat, /^llm_chain = LLMChain\(llm=llm, prompt=prompt, verbose=True, memory=memory\)$/m);
    assert.match(chat, /^llm = ChatOpenAI\(model="gpt-4o", temperature=0, max_tokens=100, top_p=0.5, stop=\["END"\], seed=42, presence_penalty=0.1, frequency_penalty=0.2\)$/m);
    assert.match(chat, /^ {8}MessagesPlaceholder\(variable_name="chat_history"\),$/m);
    const completion = exportPython(describeCase(codegenCases.find((c) => c.name === 'completion-parameters')!.text), 'classic').text;
    assert.match(completion, /model_kwargs=\{"stop": \["\\nHuman:"\]\}/, 'OpenAI() has no stop field: it goes through model_kwargs');
    assert.doesNotMatch(completion, /OPENAI_API_KEY =|api_key=|base_url=/, 'key and endpoint come from the environment');
  });

  test('modern: RunnableWithMessageHistory keyed by the memory and input keys, trim_messages as the memory class prunes', () => {
    const window = exportPython(describeCase(codegenCases.find((c) => c.name === 'chat-buffer_window')!.text), 'modern');
    assert.match(window.text, /history_messages_key="chat_history",\n/);
    assert.match(window.text, /input_messages_key="human_input",\n/);
    assert.match(window.text, /trim_messages\(max_tokens=2, token_counter=len, strategy="last"\)/, 'k: 1 keeps the last exchange: two messages');
    const tokens = exportPython(describeCase(codegenCases.find((c) => c.name === 'completion-token_buffer')!.text), 'modern');
    assert.match(tokens.text, /trim_messages\(max_tokens=30, token_counter=llm, strategy="last"\)/);
    assert.match(tokens.text, /get_buffer_string\(trimmer\.invoke\(inputs\["chat_history"\]\), human_prefix="Human", ai_prefix="AI"\)/, 'return_messages false: the text LangChain\'s memory hands over');
  });

  test('notCarried names what the program cannot do: the stored conversation, a summary in the modern style, values of other variables', () => {
    const summary = describeCase(codegenCases.find((c) => c.name === 'chat-summary')!.text);
    assert.ok(exportPython(summary, 'modern').notCarried.some((line) => line.startsWith('memory.type summary:')));
    assert.ok(!exportPython(summary, 'classic').notCarried.some((line) => line.startsWith('memory.type summary')));
    const others = exportPython(describeCase(codegenCases.find((c) => c.name === 'chat-no-memory-other-variables')!.text), 'classic');
    assert.deepEqual(others.notCarried, ['values for {examples}, {language}: the program sends them empty; set them in `variables`']);
  });
});
