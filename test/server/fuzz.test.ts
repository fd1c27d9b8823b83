// Seeded LSP fuzz of the built server: a few hundred mutated `.prompt` files (test/fuzz/mutate.ts) opened,
// edited with whole-text and incremental changes, and put through every request the server declares —
// pulled and pushed diagnostics, hover, completion, definition, references, prepareRename/rename, symbols,
// folding, semantic tokens, code lenses, code actions (for the server's own diagnostics, stale and mangled
// ones) and the memory commands — at positions inside, at the edges of and outside the text, plus
// malformed parameters. The server must never exit, never log an error or a stack trace, answer every
// request validly (InvalidParams only for malformed parameters), and still diagnose a normal file after.
//
// The seed is fixed and printed; PROMPT_CHAIN_FUZZ_SEED=n (and PROMPT_CHAIN_FUZZ_FILES=n) change it.
// A failure names the seed and file number; `npm run fuzz -- --seed S --only N` replays that file alone.
// Latencies are not asserted here: `npm run fuzz` prints them and holds the 100 ms bar.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServerBuilt } from './lspClient';
import { describeFinding, fuzzServers, groupFindings } from '../fuzz/fuzzRun';
import { testScale } from '../fuzz/mutate';
import { seedFromEnv } from '../fuzz/random';

const seed = seedFromEnv(20261201);
const fileCount = Number(process.env.PROMPT_CHAIN_FUZZ_FILES ?? 300);

describe('LSP fuzz: hostile files and parameters through every request', { timeout: 120_000 }, () => {
  test(`${fileCount} mutated files, seed ${seed} (PROMPT_CHAIN_FUZZ_SEED to change)`, async (t) => {
    ensureServerBuilt();
    t.diagnostic(`seed ${seed}, ${fileCount} files; replay one with: npm run fuzz -- --seed ${seed} --only N`);
    const result = await fuzzServers({ seed, scale: testScale, files: Array.from({ length: fileCount }, (_, i) => i), parallel: true });
    t.diagnostic(`${result.filesRun} files, ${result.stats.requests} requests and edits`);
    const groups = groupFindings(result.findings);
    const report = groups.slice(0, 10).map((g) => `${g.count} x ${describeFinding(g.example)}`).join('\n');
    assert.equal(result.findings.length, 0, `seed ${seed}: ${result.findings.length} findings\n${report}`);
    assert.equal(result.filesRun, fileCount, 'every file ran: the server never went away');
    assert.deepEqual(result.uncovered, [], 'every request the server declares was fuzzed and answered');
    for (const mode of ['pull', 'push'] as const) {
      assert.ok(result.afterwards[mode].some((message) => message.includes('chat_history')), `${mode}: a normal file still gets its diagnostics`);
    }
  });
});
