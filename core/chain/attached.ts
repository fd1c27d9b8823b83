// What the chain keeps about a conversation's arrays (the rendered history of a turns array, the JSON of a
// message list) lives on the array itself, under a private symbol, rather than in a WeakMap. A WeakMap
// entry is an ephemeron: the young-generation collector cannot free a value while its key may be alive,
// so every fresh conversation's cache (a turn's whole message list) is copied and promoted before it dies
// — in a CLI run, or a server opening conversations, that tripled the collector's share of a short turn.
// A property dies with its array like any other.

/** A value attached to objects of one kind: as long-lived as the object, invisible to everything else. */
export class Attached<K extends object, V> {
  private readonly symbol: symbol;
  /** For objects that cannot take a property (frozen, sealed): the slower way. */
  private readonly fallback = new WeakMap<K, V>();

  constructor(description: string) {
    this.symbol = Symbol(description);
  }

  get(key: K): V | undefined {
    const own = (key as Record<symbol, V | undefined>)[this.symbol];
    return own !== undefined ? own : this.fallback.get(key);
  }

  set(key: K, value: V): void {
    // Not enumerable: spreads, Object.assign, equality checks and JSON see the object as it was.
    if (Object.isExtensible(key)) Object.defineProperty(key, this.symbol, { value, writable: true, configurable: true, enumerable: false });
    else this.fallback.set(key, value);
  }
}
