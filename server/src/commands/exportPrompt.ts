// promptChain.exportFile { uri, format, style? } -> Exported: the file (the editor's text when open) as another
// tool's, by the one dispatcher (core/interop/exportPrompt.ts) with the defaults of the resource's settings.
// Refused like runTurn on a file with errors (kind 'file-has-errors', the diagnostics in the data); a style
// for a format that takes none, or a format the file cannot go to, fails with kind 'interop' and its reason.

import { exportPrompt } from '../../../core/interop/exportPrompt';
import { codeStyles, exportFormats } from '../../../core/interop/formats';
import type { Exported } from '../../../core/interop/types';
import { chainDefaults } from '../../../service/context';
import type { ExportFileParams } from '../protocol';
import type { PromptServer } from '../server';
import { engineFailure } from '../failures';
import { argumentObject, optionalOneOf, requiredOneOf, requiredString } from './arguments';
import { fileNameOf, loadPromptSource, refuseErrors } from './promptSource';

export async function exportFileCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<Exported> {
  const params = exportFileParams(command, args);
  const source = await loadPromptSource(server, params.uri);
  await refuseErrors(source, 'exporting');
  const options = params.style === undefined ? {} : { style: params.style };
  try {
    return exportPrompt(source.prompt.text, fileNameOf(source.uri), params.format, options, chainDefaults(source.context.settings));
  } catch (error) {
    throw engineFailure(error);
  }
}

function exportFileParams(command: string, args: unknown[] | undefined): ExportFileParams {
  const object = argumentObject(command, args);
  const format = requiredOneOf(command, object, 'format', exportFormats.map((info) => info.format));
  const style = optionalOneOf(command, object, 'style', codeStyles.map((info) => info.style));
  return { uri: requiredString(command, object, 'uri'), format, ...(style && { style }) };
}
