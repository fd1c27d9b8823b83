// The names every host agrees on, decided once: what a store name may be (a `.prompt` file's
// `memory.history`, a key of the named stores) and the environment variable the named stores travel in
// (the CLI reads it; the VS Code client sets it for the server). Pure: the format parser imports it too.

/** A store name: letters, digits, `_`, `.` and `-` (never a URL, which could hold a password). */
export const STORE_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** The environment variable of the named stores: a JSON object name -> URL. */
export const HISTORY_STORES_VARIABLE = 'PROMPT_CHAIN_HISTORY_STORES';
