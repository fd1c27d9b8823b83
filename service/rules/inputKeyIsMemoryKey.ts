// c. `input_key` is the memory key. LLMChain merges the loaded memory over the inputs, so the user's message
// is replaced by the history before formatting and never reaches the model.

import { analyze } from './analysis';
import { dataString } from './edits';
import type { Rule } from './rule';
import { setInputKeyActions } from './ambiguousInputKey';

export const inputKeyIsMemoryKey: Rule = {
  code: 'input-key-is-memory-key',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    const declared = ctx.prompt.frontMatter?.inputKey;
    if (!declared || analysis.memoryKey === undefined || analysis.declaredInputKey !== analysis.memoryKey) return [];
    const others = analysis.free.map((name) => `\`${name}\``).join(', ');
    return [{
      span: declared.span,
      message: `input_key \`${declared.value}\` is also the memory key: LLMChain merges the loaded history over the inputs, so the user's message is replaced by the history and never reaches the model. Set input_key to the variable that receives the input${others ? ` (${others})` : ''}, or change \`memory.key\`.`,
      data: { inputKey: declared.value, candidates: [...analysis.free] },
    }];
  },
  fixes(ctx, diagnostic) {
    const analysis = analyze(ctx);
    if (dataString(diagnostic, 'inputKey') !== analysis.memoryKey) return [];
    return setInputKeyActions(ctx, diagnostic, analysis.free);
  },
};
