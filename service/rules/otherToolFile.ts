// other-tool-file: a Dotprompt or Continue `.prompt` (core/interop/otherTools.ts decides which). Prompt Chain
// leaves it alone: one information diagnostic and none other (service/diagnostics.ts asks `otherToolIn`
// before anything else), no run lens (features/codeLens.ts), no turn (the server's run guard). Its quick fix
// runs the Import command, which writes a Prompt Chain copy beside it and never touches the file itself.

import { CodeActionKind, type CodeAction } from 'vscode-languageserver-types';
import { lineEndOf } from '../../core/format/text';
import { otherToolNames, otherToolOf, type OtherTool } from '../../core/interop/otherTools';
import { importCommand } from '../../core/interop/types';
import type { PromptContext } from '../context';
import type { Rule } from './rule';

/** The tools whose files the Import command converts (core/interop/import/). */
const importable: ReadonlySet<OtherTool> = new Set<OtherTool>(['dotprompt', 'continue']);

const decided = new WeakMap<PromptContext['prompt'], OtherTool | null>();

/** Which other tool's file the context is, decided once per parsed document. */
export function otherToolIn(ctx: PromptContext): OtherTool | undefined {
  let tool = decided.get(ctx.prompt);
  if (tool === undefined) {
    tool = otherToolOf(ctx.prompt.text) ?? null;
    decided.set(ctx.prompt, tool);
  }
  return tool ?? undefined;
}

export const otherToolFile: Rule = {
  code: 'other-tool-file',
  severity: 'information',
  check(ctx) {
    const tool = otherToolIn(ctx);
    if (tool === undefined) return [];
    return [{ span: { start: 0, end: lineEndOf(ctx.prompt.text, 0) }, message: messageFor(tool), data: { tool } }];
  },
  fixes(ctx, diagnostic) {
    const tool = otherToolIn(ctx);
    if (tool === undefined || !importable.has(tool)) return [];
    const action: CodeAction = {
      title: `Import this ${otherToolNames[tool]} file as a new Prompt Chain prompt`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Import…', command: importCommand, arguments: [ctx.textDocument.uri] },
      isPreferred: true,
    };
    return [action];
  },
};

function messageFor(tool: OtherTool): string {
  if (tool === 'dotprompt') {
    return 'A Dotprompt file (Firebase Genkit): Prompt Chain leaves it alone — Import… makes a Prompt Chain copy beside it.';
  }
  return 'A Continue prompt file: Prompt Chain leaves it alone — Import… makes a Prompt Chain copy beside it.';
}
