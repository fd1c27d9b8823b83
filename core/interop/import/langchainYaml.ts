// `import` of Python's `prompt.save("prompt.yaml")` (what `load_prompt` reads), and of the serialized
// constructor form written as YAML. Plain scalars are resolved as PyYAML's `safe_load` resolves them (YAML
// 1.1): PyYAML writes `1e3` or `0o17` plain, strings to it, which YAML 1.2 (and the yaml package's own 1.1
// schema, for `1e3`) would read as numbers.

import { parseDocument, visit } from 'yaml';
import { resolvesToString } from '../export/pyyaml';
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
    const document = parseDocument(text, { uniqueKeys: false, version: '1.1' });
    const [error] = document.errors;
    if (error) throw new InteropError('invalid-source', `Cannot import this LangChain prompt: the YAML cannot be read (${error.message.split('\n')[0] ?? ''}).`);
    visit(document, {
      Scalar(_key, node) {
        if (node.type === 'PLAIN' && typeof node.source === 'string' && resolvesToString(node.source)) node.value = node.source;
      },
    });
    return readSerializedPrompt(document.toJS({ maxAliasCount: 100 }));
  },
};
