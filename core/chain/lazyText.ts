// Text a turn hands back that few callers read: a chat prompt's get_buffer_string and the verbose trace
// rendered over a long history cost more than the rest of the turn, and only a trace, a preview or a
// host's answer reads them. They are computed on first read and kept.

/**
 * Turns `target[key]` into text computed by `compute` when first read, then kept. The property stays an
 * own, enumerable one in its place, so JSON.stringify (the server's answer), spreads and equality checks
 * see the text as if it had been there all along; assigning it sets it.
 */
export function defineLazyText<T extends object>(target: T, key: keyof T & string, compute: () => string): T {
  let text: string | undefined;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => (text ??= compute()),
    set: (value: string) => {
      text = value;
    },
  });
  return target;
}
