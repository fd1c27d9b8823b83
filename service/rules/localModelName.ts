// A `model:` (or `summary_model:`) that starts with `local` but names no local model the engine can run:
// `local:` with nothing after it, a path that is not a .gguf file, `local:owner/file.gguf` without its
// repository. A turn on it fails before anything runs (core/model/endpoint.ts problemFor); said here
// while typing, in the words the turn would use (core/model/local/modelRef.ts).

import type { Located } from '../../core/format/model';
import { LocalModelNameError, localModelRef, namesLocalFile } from '../../core/model/local/modelRef';
import { memoryDecl } from './memorySettings';
import type { Rule, RuleFinding } from './rule';

export const localModelName: Rule = {
  code: 'local-model-name',
  severity: 'error',
  check(ctx) {
    const named = [ctx.prompt.frontMatter?.model, memoryDecl(ctx)?.summaryModel];
    return named.flatMap((model) => (model ? findingFor(model) : []));
  },
};

function findingFor(model: Located<string>): RuleFinding[] {
  if (!namesLocalFile(model.value)) return [];
  try {
    localModelRef(model.value);
    return [];
  } catch (error) {
    if (!(error instanceof LocalModelNameError)) throw error;
    return [{ span: model.span, message: `${error.message}; a turn on it fails before it runs.` }];
  }
}
