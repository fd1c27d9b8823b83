// The verbose trace, byte for byte as Python's StdOutCallbackHandler prints an LLMChain run:
// on_chain_start, then LLMChain's on_text("Prompt after formatting:\n" + green prompt), then on_chain_end.
// Colour codes only on a terminal that wants them (NO_COLOR, https://no-color.org).

export interface TraceOptions {
  color: boolean;
}

const bold = (text: string, color: boolean) => (color ? `\x1b[1m${text}\x1b[0m` : text);
/** get_colored_text(text, "green") */
const green = (text: string, color: boolean) => (color ? `\x1b[32;1m\x1b[1;3m${text}\x1b[0m` : text);

/** What is printed before the model is called. */
export function traceStart(prompt: string, options: TraceOptions): string {
  return `\n\n${bold('> Entering new LLMChain chain...', options.color)}\nPrompt after formatting:\n${green(prompt, options.color)}\n`;
}

/** What is printed once the chain has finished. */
export function traceEnd(options: TraceOptions): string {
  return `\n${bold('> Finished chain.', options.color)}\n`;
}

export function formatTrace(prompt: string, options: TraceOptions): string {
  return traceStart(prompt, options) + traceEnd(options);
}

/** Colour when writing to a terminal and NO_COLOR is unset or empty. */
export function shouldColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}
