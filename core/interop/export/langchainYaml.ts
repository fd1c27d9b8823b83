// `--to langchain-yaml`: the file Python's `prompt.save("prompt.yaml")` writes and `load_prompt` reads, for a
// completion prompt, byte for byte. `save` dumps `prompt.dict()`, i.e. pydantic's `model_dump()` (every
// field but the excluded `input_types`, defaults included) plus `_type`, with
// `yaml.dump(..., default_flow_style=False)`: keys sorted, PyYAML's scalar styles (pyyaml.ts). A chat prompt
// has no such form: ChatPromptTemplate.save raises NotImplementedError.

import { Document } from 'yaml';
import type { LangChainPrompt } from '../langchainPrompt';
import { InteropError, type Exported } from '../types';
import { chainSettingsNotCarried } from './langchainJson';
import { NotSimpleKeyError, pyyamlDump, type PyYamlValue } from './pyyaml';

export function exportLangChainYaml(d: LangChainPrompt): Exported {
  if (d.prompt.kind !== 'prompt') {
    throw new InteropError(
      'not-exportable',
      'LangChain cannot load a chat prompt from prompt.save()/load_prompt (ChatPromptTemplate.save raises NotImplementedError, load_prompt keeps only the first message): use --to langchain-json.',
    );
  }
  // yaml.dump's sort_keys order (`_` sorts before the letters); the values are model_dump()'s.
  const saved: [string, PyYamlValue][] = [
    ['_type', 'prompt'],
    ['input_variables', [...d.inputVariables]],
    ['metadata', null],
    ['name', null],
    ['optional_variables', []],
    ['output_parser', null],
    // save() refuses a prompt with partials ("Cannot save prompt with partial variables"), but load_prompt
    // passes the key to PromptTemplate(**config): they are written so the loaded prompt has them.
    ['partial_variables', { ...d.partialVariables }],
    ['tags', null],
    ['template', d.prompt.template],
    ['template_format', d.templateFormat],
    ['validate_template', false],
  ];
  return { text: savedText(saved), notCarried: chainSettingsNotCarried(d) };
}

function savedText(saved: [string, PyYamlValue][]): string {
  try {
    return pyyamlDump(saved);
  } catch (error) {
    if (!(error instanceof NotSimpleKeyError)) throw error;
    // A partial named with a line break (or 128 characters or more) is a complex `? key` in PyYAML's
    // output, which pyyaml.ts does not write: the yaml package writes the same document.
    return new Document(Object.fromEntries(saved)).toString({ indentSeq: false, lineWidth: 0 });
  }
}
