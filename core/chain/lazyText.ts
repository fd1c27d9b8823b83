// Text a turn hands back that few callers read: a chat prompt's get_buffer_string and the verbose trace
// rendered over a long history cost more than the rest of the turn, and only a trace, a preview or a
// host's answer reads them. They are computed on first read and kept. The objects that carry them declare
// them as getters in their literal: an own, enumerable property in its place, so JSON.stringify (the
// server's answer), spreads and equality checks see the text as if it had been there all along.

/** `compute`, called on the first call only; later calls hand back the same text. */
export function lazyText(compute: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= compute());
}
