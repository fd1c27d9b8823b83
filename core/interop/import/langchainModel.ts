// The model of a serialized `prompt | model` sequence (a LangChain Hub prompt saved with its model): its
// name and the call settings a `.prompt` file has (`parameters`, checked against the same schema the file's
// front matter is), the rest listed as not carried. Secrets are never read: Prompt Chain takes the key from
// the environment or the editor, never from a file.

import type { ModelParameters } from '../../format/model';
import { parametersSchema } from '../../format/schema';

type Json = Readonly<Record<string, unknown>>;

export interface ImportedModel {
  model?: string;
  parameters: ModelParameters;
}

/** Keys that say nothing a `.prompt` file could carry differently (identity, or Prompt Chain's own defaults). */
const ignoredKeys = new Set(['model', 'model_name', 'streaming', 'n']);

export function readModelKwargs(className: string, kwargs: Json, notCarried: string[]): ImportedModel {
  const model = typeof kwargs.model === 'string' ? kwargs.model : typeof kwargs.model_name === 'string' ? kwargs.model_name : undefined;
  const parameters: ModelParameters = {};
  const left: string[] = [];
  for (const [key, value] of Object.entries(kwargs)) {
    if (ignoredKeys.has(key) || value === null || value === undefined) continue;
    if (isSecret(value)) {
      notCarried.push(`${className}.${key}: a secret; Prompt Chain reads the API key from OPENAI_API_KEY or the editor, never from a file`);
    } else if (!setParameter(parameters, key, value)) {
      left.push(key);
    }
  }
  if (left.length > 0) notCarried.push(`${className} settings not carried (no .prompt key, or out of range): ${left.join(', ')}`);
  return model === undefined ? { parameters } : { model, parameters };
}

/** Sets a `parameters` key when the value is one the front matter accepts; false otherwise. */
function setParameter(parameters: ModelParameters, key: string, value: unknown): boolean {
  const schema = parametersSchema.find((field) => field.key === key);
  if (!schema) return false;
  if (key === 'stop') {
    const stop = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
    if (stop) parameters.stop = stop;
    return stop !== undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || (schema.kind === 'integer' && !Number.isInteger(value))) return false;
  if ((schema.min !== undefined && value < schema.min) || (schema.max !== undefined && value > schema.max)) return false;
  (parameters as Record<string, number>)[key] = value;
  return true;
}

function isSecret(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Json).lc === 1 && (value as Json).type === 'secret';
}
