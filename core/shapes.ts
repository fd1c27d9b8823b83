// V8 gives the objects of one class a hidden class (a "map"), and optimized code checks for it and embeds
// it. A map lives only while some object has it: transitions to it are weak. So a full garbage collection
// between two parses (an editor's idle moment, or a bench's `gc()`) took the scanner's map with the last
// scanner, and with it the optimized code of every method that checked for that map; the next parse of a
// big template ran unoptimized until the code was compiled again, two to five times slower, and a growth
// curve measured noise. One sample instance kept for the life of the process keeps the map, and the code.

const samples: object[] = [];

/** Keeps `sample`, and so the hidden class of every object built the same way, for the life of the process. */
export function keepShape(sample: object): void {
  samples.push(sample);
}
