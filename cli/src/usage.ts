// The help texts, one per command, so `prompt-chain run --help` says only what `run` takes.

import { defaultLocalModel } from '../../core/model/local/modelRef';

export const commandUsage = {
  check: `Usage: prompt-chain check [--json] PATH...

Reports problems in .prompt files and prompt test files (*.prompt-test.yaml, checked against
their prompts as the editor checks them). A folder is searched recursively for both
(node_modules and .git are skipped). Prints one "file:line:col severity code message" line
per problem, or with --json a JSON array of {file, range, severity, code, message}
(lines and columns 1-based). Exits 1 when any error is found.`,

  run: `Usage: prompt-chain run FILE --input TEXT [options]

Runs one chat turn of FILE with its stored conversation (the memory class of its memory:) and
streams the reply to stdout. The turn is saved only after a complete reply.

Options:
  --input TEXT          the human input for this turn (required)
  --var NAME=VALUE      a value for another template variable (repeatable)
  --model M             the model (default: the file's model:, else gpt-4o-mini for chat
                        prompts and gpt-3.5-turbo-instruct for completion prompts); local,
                        local:/path/to/model.gguf or local:OWNER/REPO/FILE.gguf run in-process
  --base-url URL        an OpenAI-compatible endpoint (default: OPENAI_BASE_URL, else OpenAI
                        when OPENAI_API_KEY is set, else the local model: docs/local-model.md)
  --timeout SECONDS     how long to wait for a silent endpoint (default: 60, at most 86400)
  --max-reply-chars N   the longest reply kept, in characters (default: 1000000); a longer one
                        fails the turn and nothing is saved
  --workspace DIR       the workspace the conversation belongs to (default: the current folder)
  --memory-dir DIR      where conversations are stored (default: see "prompt-chain --help")
  --history URL|NAME    run against a shared chat history's session instead of the local
                        conversation: redis://, rediss://, postgres://, sqlite:PATH, file:PATH, or
                        a name from PROMPT_CHAIN_HISTORY_STORES (default: PROMPT_CHAIN_HISTORY_URL,
                        else the file's memory.history); the turn is appended in LangChain's format
  --session ID          the session of the store (default: PROMPT_CHAIN_HISTORY_SESSION)
  --verbose             print LangChain's verbose chain trace to stderr, then one line per
                        memory call (a summary) with its token usage
  --json                print {prompt, messages, reply, usage, memoryCalls} as JSON instead of
                        the reply (memoryCalls: the summary memories' own model calls; with a
                        shared history also history: {store, session, saved})
  --dry-run             print the formatted prompt (with memory) without calling the model`,

  test: `Usage: prompt-chain test [PATH...] [--model M]... [--reporter pretty|json|junit|html]
                         [--output FILE] [--update] [--filter TEXT]

Runs the prompt tests (*.prompt-test.yaml) under the paths (default: the current folder;
node_modules and .git are skipped): every conversation from empty memory or its history: file,
in a memory of its own (stored conversations are never read or written), its turns in order,
several conversations at once. A progress line per conversation goes to stderr, then the
report to stdout (or --output) and the summary. Exits 1 when any assertion fails or a test file
cannot run, 2 on usage errors (a path that is not a test file or holds none, a --filter that
selects no conversation, an --output the run reads) before any model is asked, 130 when cancelled.

Options:
  --model M             run every conversation on M (repeatable: the models side by side;
                        default: each prompt's own model)
  --reporter R          pretty (default), json (the whole run), junit (JUnit XML for CI), or
                        html (a self-contained page: transcripts, models in columns, diffs)
  -o, --output FILE     write the report to FILE (replaced if it exists) instead of stdout;
                        never a test file, a prompt, a history: file or a baseline
  --update              record the replies as the snapshot baselines (__snapshots__/ beside
                        each test file)
  --filter TEXT         only the conversations whose name contains TEXT (any case)
  --base-url URL        an OpenAI-compatible endpoint (default: OPENAI_BASE_URL, else OpenAI)
  --timeout SECONDS     how long to wait for a silent endpoint (default: 60)
  --concurrency N       conversations under way at once (default: 4)`,

  models: `Usage: prompt-chain models [--base-url URL] [--json]
       prompt-chain models pull [NAME] [--json]
       prompt-chain models list [--json]
       prompt-chain models rm NAME [--json]
       prompt-chain models install-runtime

With no action, lists the models the endpoint serves (its GET /models), one per line, as the
editor's Select Model offers them; with no endpoint and no key configured, the local models turns
run on: local, then each cached model file. With --json: {models, source: "endpoint"}, or
{error: {kind, ...}}.

  pull    download a local model file into the cache now (a turn on model: local would on first
          use), resuming a cut download and checking its sha256; a progress bar on a terminal
  list    the cached local model files: name, size, the default one and partial downloads marked;
          with --json {modelsDir, models: [{name, path, size, partial, default}]}
  rm      delete a cached model file (and its partial download); exit 1 if it is not cached
  install-runtime
          install node-llama-cpp, the runtime local turns need (it is not installed with
          Prompt Chain), into the runtime folder beside the cache, with npm

NAME is local (the default: PROMPT_CHAIN_LOCAL_MODEL, else ${defaultLocalModel.file}
of ${defaultLocalModel.repo}), local:OWNER/REPO/FILE.gguf or OWNER/REPO/FILE.gguf (a file
of a Hugging Face repository).

Options:
  --base-url URL        an OpenAI-compatible endpoint (default: OPENAI_BASE_URL, else OpenAI)
  --json                print JSON instead of lines

Environment (pull, list, rm):
  PROMPT_CHAIN_MODELS_DIR  the cache folder (default: $XDG_CACHE_HOME/prompt-chain/models,
                           else ~/.cache/prompt-chain/models; on macOS
                           ~/Library/Caches/prompt-chain/models; on Windows
                           %LOCALAPPDATA%\\prompt-chain\\models)
  HF_ENDPOINT              the hub downloads come from (default: https://huggingface.co)
  HF_TOKEN                 a Hugging Face access token, for gated or private repositories`,

  memory: `Usage: prompt-chain memory show|clear|repair FILE [--workspace DIR] [--memory-dir DIR]
       prompt-chain memory show FILE [--all] [--json]
       prompt-chain memory show|clear FILE --history URL|NAME --session ID [--yes]
       prompt-chain memory sessions --history URL|NAME [--json]
       prompt-chain memory export FILE --to URL|NAME --session ID
       prompt-chain memory import FILE --from URL|NAME --session ID

  show    print what the prompt sees of FILE's conversation (the buffer, the window, the
          summary and the kept messages), and on stderr the stored history's account: turns
          stored, messages kept and pruned, tokens against max_token_limit, a pending
          summary, damaged records
  clear   delete the turns and the memory's state (its summary); the next turn starts anew
  repair  move damaged records to <conversation>.damaged.jsonl beside it, and a damaged
          memory state to <conversation>.state.damaged.json (nothing is deleted)
  sessions  list the session ids a shared history holds
  export  append FILE's stored turns to the store's session, in LangChain's format, in one write
  import  copy the store's session into FILE's (empty) conversation; a session holding system or
          unpaired messages is refused (the local store keeps exchanges only: attach it instead)

With --history (or PROMPT_CHAIN_HISTORY_URL, or the file's memory.history), show and clear work on
the store's session; clear deletes the application's messages too, so it needs --yes.

Options (show):
  --all                 print every stored turn instead of what the prompt sees
  --json                print {memoryKey, type, recordsPath, view, sees, turns (with --all),
                        damaged, movedAside, stateProblem} as JSON; on a shared history
                        {memoryKey, type, history, view, sees, messages (with --all)}`,

  export: `Usage: prompt-chain export FILE --to FORMAT [-o OUT] [--style classic|modern]

Writes FILE as another tool's file, to stdout (shown terminal-safe) or with -o to OUT (the exact
text; OUT is replaced if it exists). What FORMAT cannot hold is listed on stderr, one
"not carried: ..." line each. A file with errors is refused, its problems listed first.

Formats:
  langchain-json   LangChain's serialization (toJSON() / dumpd): load() in LangChain.js,
                   langchain_core.load.loads in Python
  langchain-yaml   prompt.save() / load_prompt YAML; completion prompts only (LangChain
                   cannot load a chat prompt this way: use langchain-json)
  python           a runnable Python program for the chain
  typescript       a runnable TypeScript program for the chain (LangChain.js)

Options:
  --to FORMAT           the format (required)
  -o, --output OUT      the file to write (default: stdout; - is stdout)
  --style STYLE         python and typescript: classic (LLMChain with the memory class, the
                        default) or modern (RunnableWithMessageHistory, trim_messages)`,

  import: `Usage: prompt-chain import FILE [-o OUT.prompt] [--force] [--from FORMAT]

Converts another tool's prompt into a .prompt file: LangChain serialized JSON (toJSON(),
dumpd, Hub manifests), prompt.save() JSON/YAML, Prompty .prompty files, and Dotprompt and
Continue .prompt files, recognized by their content. What cannot be carried over is listed on stderr, one
"not carried: ..." line each, then the new file is checked as "prompt-chain check" does.
Exits 1 when the new file has errors (it is written all the same).

Options:
  -o, --output OUT      the file to write (default: beside FILE, chat.prompty -> chat.prompt,
                        another tool's chat.prompt -> chat.langchain.prompt; - is stdout)
  --force               replace OUT if it exists (never the file being imported)
  --from FORMAT         read FILE as langchain-json, langchain-yaml, prompty, dotprompt or continue
                        instead of recognizing it`,
};

export const mainUsage = `prompt-chain: check, run, export and import LangChain .prompt files

Usage:
  prompt-chain check [--json] PATH...
  prompt-chain run FILE --input TEXT [--var NAME=VALUE]... [--model M] [--base-url URL]
                   [--timeout SECONDS] [--max-reply-chars N] [--workspace DIR] [--memory-dir DIR]
                   [--history URL|NAME] [--session ID] [--verbose] [--json] [--dry-run]
  prompt-chain memory show|clear|repair FILE [--workspace DIR] [--memory-dir DIR] [--all] [--json]
                   [--history URL|NAME --session ID] [--yes]
  prompt-chain memory sessions --history URL|NAME [--json]
  prompt-chain memory export FILE --to URL|NAME --session ID
  prompt-chain memory import FILE --from URL|NAME --session ID
  prompt-chain test [PATH...] [--model M]... [--reporter pretty|json|junit|html] [--output FILE]
                   [--update] [--filter TEXT] [--base-url URL] [--timeout SECONDS] [--concurrency N]
  prompt-chain models [--base-url URL] [--json]
  prompt-chain models pull [NAME] | list | rm NAME [--json]
  prompt-chain export FILE --to FORMAT [-o OUT] [--style classic|modern]
  prompt-chain import FILE [-o OUT.prompt] [--force] [--from FORMAT]
  prompt-chain --help | --version

Commands:
  check    report problems in .prompt and .prompt-test.yaml files; exit 1 when any is an error
  run      run one chat turn with the file's stored conversation
  memory   show, clear or repair the file's stored conversation; list, copy to and from
           shared chat histories
  test     run the prompt tests (*.prompt-test.yaml): conversations turn by turn, assertions,
           snapshots, several models side by side; exit 1 when any assertion fails
  models   list the models the endpoint serves; pull, list or remove local model files
  export   write the file as LangChain JSON or YAML, or as a Python or TypeScript program
  import   convert a LangChain, Prompty, Dotprompt or Continue prompt into a .prompt file
Run "prompt-chain COMMAND --help" for a command's options.

Environment:
  OPENAI_API_KEY    the API key (needed for api.openai.com; never stored)
  OPENAI_BASE_URL   an OpenAI-compatible endpoint: Ollama, LM Studio, vLLM, llama.cpp
  XDG_STATE_HOME    conversations go to $XDG_STATE_HOME/prompt-chain/<workspace hash>
                    (default ~/.local/state/prompt-chain/<workspace hash>)
  NO_COLOR          no colour in the --verbose trace
  PROMPT_CHAIN_MODELS_DIR  where local model files are cached (see "prompt-chain models --help")
  PROMPT_CHAIN_HISTORY_URL      a shared chat history for run and memory (as --history)
  PROMPT_CHAIN_HISTORY_SESSION  its session (as --session)
  PROMPT_CHAIN_HISTORY_STORES   named stores, a JSON object {"team": "redis://…"}, for
                                --history NAME and a file's memory.history

Exit codes: 0 success, 1 failure (errors found, unreadable file, model error), 2 usage error
(a bad flag value, a base URL that is not one), 130 cancelled (Ctrl-C).`;
