// Context windows and tokenizers of the models people name in `.prompt` files. A small table, matched by
// the longest name prefix (dated snapshots like `gpt-4o-2024-08-06` share their family's window); models it
// does not know (local ones: llama3.2, qwen2.5, …) get the window from settings and OpenAI's newer encoding
// as the best available estimate.

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface ModelWindow {
  /** Tokens the model accepts, prompt and reply together. */
  readonly contextWindow: number;
  readonly encoding: EncodingName;
  /** False when the model is not in the table and the window comes from settings. */
  readonly known: boolean;
}

const table: readonly (readonly [prefix: string, contextWindow: number, encoding: EncodingName])[] = [
  ['gpt-5', 400_000, 'o200k_base'],
  ['gpt-4.1', 1_047_576, 'o200k_base'],
  ['gpt-4.5', 128_000, 'o200k_base'],
  ['gpt-4o', 128_000, 'o200k_base'],
  ['chatgpt-4o', 128_000, 'o200k_base'],
  ['gpt-oss', 131_072, 'o200k_base'],
  ['o1-mini', 128_000, 'o200k_base'],
  ['o1-preview', 128_000, 'o200k_base'],
  ['o1', 200_000, 'o200k_base'],
  ['o3', 200_000, 'o200k_base'],
  ['o4-mini', 200_000, 'o200k_base'],
  ['gpt-4-turbo', 128_000, 'cl100k_base'],
  ['gpt-4-1106', 128_000, 'cl100k_base'],
  ['gpt-4-0125', 128_000, 'cl100k_base'],
  ['gpt-4-32k', 32_768, 'cl100k_base'],
  ['gpt-4', 8_192, 'cl100k_base'],
  ['gpt-3.5-turbo-instruct', 4_096, 'cl100k_base'],
  ['gpt-3.5-turbo', 16_385, 'cl100k_base'],
];

/** The window and tokenizer for `model` (`openai/gpt-4o` works too); `fallbackWindow` for unknown models. */
export function modelWindow(model: string | undefined, fallbackWindow: number): ModelWindow {
  const name = (model ?? '').slice((model ?? '').lastIndexOf('/') + 1).toLowerCase();
  let best: (typeof table)[number] | undefined;
  for (const entry of table) {
    if (name.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  if (!best) return { contextWindow: fallbackWindow, encoding: 'o200k_base', known: false };
  return { contextWindow: best[1], encoding: best[2], known: true };
}

/** The in-process models as the host knows them (core/model/endpoint.ts decides which turns run there). */
export interface LocalWindows {
  /**
   * The local model a turn of `model` from the document at `documentUri` runs on (a relative `local:./x.gguf`
   * is from the document's folder), with the context it runs with; undefined when the turn runs remotely.
   */
  of(model: string | undefined, documentUri: string): { readonly contextWindow: number; readonly label: string } | undefined;
}

/**
 * The window of the model a turn of `model` really runs on, with that model's name: the local model's
 * context when the turn runs in-process, else the table's (modelWindow). Token counts stay the OpenAI
 * encoding's, an estimate for a local model's own tokenizer.
 */
export function turnWindow(
  model: string | undefined,
  fallbackWindow: number,
  local: LocalWindows | undefined,
  documentUri: string,
): ModelWindow & { readonly model: string | undefined } {
  const onLocal = local?.of(model, documentUri);
  if (onLocal) return { contextWindow: onLocal.contextWindow, encoding: 'o200k_base', known: true, model: onLocal.label };
  return { ...modelWindow(model, fallbackWindow), model };
}
