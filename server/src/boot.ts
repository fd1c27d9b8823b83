// Entry point of `prompt-chain-language-server` (dist/server.js): runs the server itself (dist/serverMain.js,
// bundled from main.ts) through V8's code cache, so a start deserializes the compiled server instead of compiling
// it (codeCache.ts). Kept to Node's preloaded modules: everything this file loads delays `initialize`.

import { join } from 'node:path';
import { codeCacheLocation, runWithCodeCache } from './codeCache';

/** The content hash of dist/serverMain.js, set by esbuild.mjs once that bundle is written. */
declare const SERVER_BUNDLE_HASH: string;

runWithCodeCache(join(__dirname, 'serverMain.js'), codeCacheLocation(process.env, 'server', SERVER_BUNDLE_HASH));
