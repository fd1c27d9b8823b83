// `import` of Python's `prompt.save("prompt.yaml")` (what `load_prompt` reads), and of the serialized
// constructor form written as YAML. PyYAML's `safe_load` is YAML 1.1; the files `save` writes use nothing
// where 1.1 and the yaml package's 1.2 differ (it quotes `yes`, `on`, `0o7`...), so the values read the same.

import { parseDocument } from 'yaml';
import { InteropError, type Importer } from '../types';
import { readSerializedPrompt } from './langchainSerialized';

export const langchainYamlImporter: Importer = {
  format: 'langchain-yaml',
  recognizes(text, fileName) {
    const name = fileName.toLowerCase();
    return (name.endsWith('.yaml') || name.endsWith('.yml')) && /^(_type|template|template_path|lc)\s*:/m.test(text);
  },
  read(text) {
    // PyYAML keeps the last of two equal keys, as the yaml package does without uniqueKeys.
    const document = parseDocument(text, { uniqueKeys: false });
    const [error] = document.errors;
    if (error) throw new InteropError('invalid-source', `Cannot import this LangChain prompt: the YAML cannot be read (${error.message.split('\n')[0] ?? ''}).`);
    return readSerializedPrompt(document.toJS({ maxAliasCount: 100 }));
  },
};
