// Text a turn hands back that few callers read: a chat prompt's get_buffer_string and the verbose trace
// rendered over a long history cost more than the rest of the turn, and only a trace, a preview or a
// host's answer reads them. They are computed on first read and kept, behind an own, enumerable accessor
// in the property's place, so JSON.stringify (the server's answer), spreads and equality checks see the
// text as if it had been there all along.
//
// The accessor is defined with one getter function per property name, shared by every object, never as
// a getter in an object literal: V8 keeps a fast object's accessors in its hidden class, so a literal's
// getter (a new closure each time) gives every object a hidden class of its own. Those live in the old
// generation and hold the closure, and through it the turn's messages and prompt, alive past every young
// collection until a full one: that was a third of a short turn's time, spent copying them.

/** `compute`, called on the first call only; later calls hand back the same text. */
export function lazyText(compute: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= compute());
}

const computes = Symbol('prompt-chain lazy text');

interface WithComputes {
  [computes]: Record<string, () => string>;
}

const getters = new Map<string, (this: WithComputes) => string>();

function getterFor(key: string): (this: WithComputes) => string {
  let getter = getters.get(key);
  if (!getter) {
    getter = function (this: WithComputes) {
      return this[computes][key]!();
    };
    getters.set(key, getter);
  }
  return getter;
}

/**
 * Gives `target` an own, enumerable, read-only property `key` whose text `compute` makes on its first
 * read (then kept); `target` itself, typed with it.
 */
export function defineLazyText<T extends object, K extends string>(target: T, key: K, compute: () => string): T & { readonly [P in K]: string } {
  const holder = target as T & Partial<WithComputes>;
  let own = holder[computes];
  if (!own) {
    own = {};
    // Not enumerable: spreads, JSON and equality checks see only the text.
    Object.defineProperty(target, computes, { value: own });
  }
  own[key] = lazyText(compute);
  Object.defineProperty(target, key, { get: getterFor(key), enumerable: true, configurable: true });
  return target as T & { readonly [P in K]: string };
}
