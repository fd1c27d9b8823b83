// `npm run bench`: every benchmark, medians and ratios printed. Run one section with an argument:
//   npm run bench -- chain
// It runs bundled by esbuild (as the shipped code is: no tsx transform, no keepNames wrappers), with the
// dependencies — LangChain.js, openai — loaded as published from node_modules.
import { benchChain } from './chain.bench';
import { benchTurn } from './turn.bench';
import { benchMemory } from './memory.bench';
import { benchService } from './service.bench';
import { benchServer } from './server.bench';
import { benchHistory } from './history.bench';
import { benchLocal } from './local.bench';

const sections: Record<string, () => Promise<void>> = {
  chain: benchChain,
  turn: benchTurn,
  memory: benchMemory,
  service: benchService,
  server: benchServer,
  history: benchHistory,
  local: benchLocal,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  console.log(`# Prompt Chain benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  for (const [name, run] of Object.entries(sections)) {
    if (wanted.length === 0 || wanted.includes(name)) await run();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
