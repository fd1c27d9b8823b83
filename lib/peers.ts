// The LangChain.js packages `prompt-chain/langchain` builds with: optional peer dependencies, loaded on first
// use so that `prompt-chain` (the engine) works without them, and loaded the way the consumer loads them (the
// ESM bundle imports, the CJS bundle requires): a CJS program's PromptTemplate and ours must be one class, and
// with @langchain/core's dual build an `import()` from CJS code would load its second copy.

import type * as CorePrompts from '@langchain/core/prompts';
import type * as CoreRunnables from '@langchain/core/runnables';
import type * as ClassicMemory from '@langchain/classic/memory';
import type * as ClassicChains from '@langchain/classic/chains';
import { LoaderError } from './loaderError';

/** Set by the build (esbuild `define`): which bundle this is. Absent when run from source (CommonJS under tsx). */
declare const PROMPT_CHAIN_MODULE_FORMAT: 'esm' | 'cjs';

export interface LangChainModules {
  prompts: typeof CorePrompts;
  runnables: typeof CoreRunnables;
  memory: typeof ClassicMemory;
  chains: typeof ClassicChains;
}

const peers = ['@langchain/core', '@langchain/classic'] as const;
type Peer = (typeof peers)[number];

let loaded: Promise<LangChainModules> | undefined;

/** The modules, loaded once; a missing peer is a LoaderError('missing-peer') naming it and the install command. */
export function langChainModules(): Promise<LangChainModules> {
  loaded ??= loadAll().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function loadAll(): Promise<LangChainModules> {
  const missing: Peer[] = [];
  const attempt = async <T>(load: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await load();
    } catch (error) {
      const missingPeer = peerNotFound(error);
      if (!missingPeer) throw error;
      if (!missing.includes(missingPeer)) missing.push(missingPeer);
      return undefined;
    }
  };
  const prompts = await attempt(() => loadModule<typeof CorePrompts>('@langchain/core/prompts'));
  const runnables = await attempt(() => loadModule<typeof CoreRunnables>('@langchain/core/runnables'));
  const memory = await attempt(() => loadModule<typeof ClassicMemory>('@langchain/classic/memory'));
  const chains = await attempt(() => loadModule<typeof ClassicChains>('@langchain/classic/chains'));
  if (!prompts || !runnables || !memory || !chains) throw missingPeersError(missing);
  return { prompts, runnables, memory, chains };
}

function missingPeersError(missing: readonly Peer[]): LoaderError {
  const names = missing.join(' and ');
  const verb = missing.length === 1 ? 'is' : 'are';
  return new LoaderError(
    'missing-peer',
    `prompt-chain/langchain needs ${names}, which ${verb} not installed (optional peer dependencies of prompt-chain): run \`npm install ${peers.join(' ')}\``,
  );
}

/**
 * The peer a failed load could not find. The specifier is quoted in Node's message ("Cannot find module
 * '@langchain/core/prompts'", "Cannot find package '@langchain/classic'"); the require stack's paths are not.
 * @langchain/classic without @langchain/core fails on core's name: core is the one to install.
 */
function peerNotFound(error: unknown): Peer | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const message = String((error as Error).message);
  return peers.find((name) => message.includes(`'${name}'`) || message.includes(`'${name}/`));
}

// Literal specifiers in both branches, so the bundler sees (and leaves external) each one.
function loadModule<T>(specifier: '@langchain/core/prompts' | '@langchain/core/runnables' | '@langchain/classic/memory' | '@langchain/classic/chains'): Promise<T> {
  if (typeof PROMPT_CHAIN_MODULE_FORMAT === 'string' && PROMPT_CHAIN_MODULE_FORMAT === 'esm') {
    switch (specifier) {
      case '@langchain/core/prompts':
        return import('@langchain/core/prompts') as Promise<T>;
      case '@langchain/core/runnables':
        return import('@langchain/core/runnables') as Promise<T>;
      case '@langchain/classic/memory':
        return import('@langchain/classic/memory') as Promise<T>;
      case '@langchain/classic/chains':
        return import('@langchain/classic/chains') as Promise<T>;
    }
  }
  return new Promise<T>((resolve) => resolve(require(specifier) as T));
}
