// Preloaded (`node --import`) into a program that runs the real LangChain.js here, where there is no network:
// LangChain.js fetches its tokenizer tables from https://tiktoken.pages.dev/js/<encoding>.json the first time it
// counts tokens (and, when that fails, retries for a minute, then estimates length / 4). This answers those
// requests, and only those, with the same tables js-tiktoken ships, so the program counts exactly; every other
// request (the model's) goes out as it would.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tablesUrl = 'https://tiktoken.pages.dev/js/';
const encodingName = /^[a-z0-9_]+$/;
const networkFetch = globalThis.fetch;

globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith(tablesUrl)) return networkFetch(input, init);
  const encoding = url.slice(tablesUrl.length).replace(/\.json$/, '');
  if (!encodingName.test(encoding)) return new Response('not found', { status: 404 });
  const tables = require(`js-tiktoken/ranks/${encoding}`);
  return new Response(JSON.stringify(tables.default ?? tables), { headers: { 'content-type': 'application/json' } });
};
