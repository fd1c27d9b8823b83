// `import` of LangChain's JSON: the serialized constructor form (LangChain.js `toJSON()`, Python `dumpd` /
// `dumps`, a LangChain Hub manifest) and Python's `prompt.save("prompt.json")`. The reading itself is
// langchainSerialized.ts, shared with the YAML importer.

import { InteropError, type Importer } from '../types';
import { readSerializedPrompt } from './langchainSerialized';

export const langchainJsonImporter: Importer = {
  format: 'langchain-json',
  recognizes(text, fileName) {
    // Cheap: a JSON object with one of the keys these files start from.
    return (fileName.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{')) && /"(lc|_type|manifest|template)"\s*:/.test(text);
  },
  read(text) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InteropError('invalid-source', `Cannot import this LangChain prompt: the file is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
    }
    return readSerializedPrompt(value);
  },
};
