// The memory block's keys for LangChain's summary and token memories: typed values, and a positioned
// problem for each bad one.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findFrontMatter, parseFrontMatter } from '../../../core/format/frontMatter';
import type { FrontMatter, MemoryDecl, ParseProblem } from '../../../core/format/model';

function parse(yaml: string): { text: string; frontMatter: FrontMatter; problems: ParseProblem[] } {
  const text = `---\n${yaml}---\nbody\n`;
  const block = findFrontMatter(text, 0);
  assert.ok(block);
  return { text, ...parseFrontMatter(text, block) };
}

function memoryOf(frontMatter: FrontMatter): MemoryDecl {
  const memory = frontMatter.memory;
  assert.ok(memory && !('value' in memory));
  return memory;
}

const problemsOf = (yaml: string): [string, string][] => {
  const { text, problems } = parse(yaml);
  return problems.map((p) => [p.code, text.slice(p.span.start, p.span.end)]);
};

describe('memory classes in the front matter', () => {
  test('an empty memory key is a problem at its value, and the default key applies', () => {
    const { frontMatter } = parse('memory:\n  key: ""\n');
    assert.equal(memoryOf(frontMatter).key, undefined);
    assert.deepEqual(problemsOf('memory:\n  key: ""\n'), [['invalid-value', '""']]);
  });

  test('reads the type, the limit, the summary prompt, model and parameters with their spans', () => {
    const yaml = [
      'memory:',
      '  type: summary_buffer',
      '  max_token_limit: 650',
      '  summary_prompt: "Sum up:\\n{summary}\\n{new_lines}\\nNow:"',
      '  summary_model: gpt-4o-mini',
      '  summary_parameters:',
      '    temperature: 0',
      '    max_tokens: 200',
      '',
    ].join('\n');
    const { text, frontMatter, problems } = parse(yaml);
    assert.deepEqual(problems, []);
    const memory = memoryOf(frontMatter);
    assert.equal(memory.type?.value, 'summary_buffer');
    assert.equal(memory.maxTokenLimit?.value, 650);
    assert.equal(text.slice(memory.maxTokenLimit!.span.start, memory.maxTokenLimit!.span.end), '650');
    assert.equal(memory.summaryPrompt?.value, 'Sum up:\n{summary}\n{new_lines}\nNow:');
    assert.equal(memory.summaryModel?.value, 'gpt-4o-mini');
    assert.deepEqual(memory.summaryParameters?.value, { temperature: 0, max_tokens: 200 });
  });

  test('every LangChain memory class is a type', () => {
    for (const type of ['buffer', 'buffer_window', 'summary', 'summary_buffer', 'token_buffer']) {
      const { frontMatter, problems } = parse(`memory:\n  type: ${type}\n`);
      assert.deepEqual(problems, [], type);
      assert.equal(memoryOf(frontMatter).type?.value, type);
    }
  });

  test('a misspelt type is reported at the value with the closest class', () => {
    const { problems, text } = parse('memory:\n  type: sumary_buffer\n');
    assert.deepEqual(problems.map((p) => [p.code, text.slice(p.span.start, p.span.end), p.data?.['suggestion']]), [['invalid-value', 'sumary_buffer', 'summary_buffer']]);
  });

  test('bad values are reported at the value and left out', () => {
    assert.deepEqual(problemsOf('memory:\n  max_token_limit: lots\n'), [['invalid-type', 'lots']]);
    assert.deepEqual(problemsOf('memory:\n  max_token_limit: 12.5\n'), [['invalid-type', '12.5']]);
    assert.deepEqual(problemsOf('memory:\n  max_token_limit: -1\n'), [['out-of-range', '-1']]);
    assert.deepEqual(problemsOf('memory:\n  summary_prompt: [a]\n'), [['invalid-type', '[a]']]);
    assert.deepEqual(problemsOf('memory:\n  summary_model: 3\n'), [['invalid-type', '3']]);
    assert.deepEqual(problemsOf('memory:\n  summary_parameters: hot\n'), [['invalid-type', 'hot']]);
    assert.deepEqual(problemsOf('memory:\n  summary_parameters:\n    temperature: 9\n'), [['out-of-range', '9']]);
    const { frontMatter } = parse('memory:\n  max_token_limit: -1\n  summary_prompt: [a]\n');
    const memory = memoryOf(frontMatter);
    assert.equal(memory.maxTokenLimit, undefined);
    assert.equal(memory.summaryPrompt, undefined);
  });

  test('an unknown key under summary_parameters is told apart', () => {
    assert.deepEqual(problemsOf('memory:\n  summary_parameters:\n    temprature: 0\n'), [['unknown-key', 'temprature']]);
  });

  test('LangChain\'s `prompt` name is pointed at summary_prompt', () => {
    const { problems } = parse('memory:\n  prompt: x\n');
    assert.equal(problems[0]?.data?.['suggestion'], 'summary_prompt');
  });
});
