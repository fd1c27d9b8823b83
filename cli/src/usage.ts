// The help texts, one per command, so `prompt-chain run --help` says only what `run` takes.

export const commandUsage = {
  check: `Usage: prompt-chain check [--json] PATH...

Reports problems in .prompt files. A folder is searched recursively for *.prompt files
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
                        prompts and gpt-3.5-turbo-instruct for completion prompts)
  --base-url URL        an OpenAI-compatible endpoint (default: OPENAI_BASE_URL, else OpenAI)
  --timeout SECONDS     how long to wait for a silent endpoint (default: 60, at most 86400)
  --max-reply-chars N   the longest reply kept, in characters (default: 1000000); a longer one
                        fails the turn and nothing is saved
  --workspace DIR       the workspace the conversation belongs to (default: the current folder)
  --memory-dir DIR      where conversations are stored (default: see "prompt-chain --help")
  --verbose             print LangChain's verbose chain trace to stderr, then one line per
                        memory call (a summary) with its token usage
  --json                print {prompt, messages, reply, usage, memoryCalls} as JSON instead of
                        the reply (memoryCalls: the summary memories' own model calls)
  --dry-run             print the formatted prompt (with memory) without calling the model`,

  models: `Usage: prompt-chain models [--base-url URL] [--json]

Lists the models the endpoint serves (its GET /models), one per line, as the editor's
Select Model offers them. With --json: {models, source: "endpoint"}, or {error: {kind, ...}}.

Options:
  --base-url URL        an OpenAI-compatible endpoint (default: OPENAI_BASE_URL, else OpenAI)
  --json                print JSON instead of lines`,

  memory: `Usage: prompt-chain memory show|clear|repair FILE [--workspace DIR] [--memory-dir DIR]
       prompt-chain memory show FILE [--all] [--json]

  show    print what the prompt sees of FILE's conversation (the buffer, the window, the
          summary and the kept messages), and on stderr the stored history's account: turns
          stored, messages kept and pruned, tokens against max_token_limit, a pending
          summary, damaged records
  clear   delete the turns and the memory's state (its summary); the next turn starts anew
  repair  move damaged records to <conversation>.damaged.jsonl beside it, and a damaged
          memory state to <conversation>.state.damaged.json (nothing is deleted)

Options (show):
  --all                 print every stored turn instead of what the prompt sees
  --json                print {memoryKey, type, recordsPath, view, sees, turns (with --all),
                        damaged, movedAside, stateProblem} as JSON`,
};

export const mainUsage = `prompt-chain: check and run LangChain .prompt files

Usage:
  prompt-chain check [--json] PATH...
  prompt-chain run FILE --input TEXT [--var NAME=VALUE]... [--model M] [--base-url URL]
                   [--timeout SECONDS] [--max-reply-chars N] [--workspace DIR] [--memory-dir DIR]
                   [--verbose] [--json] [--dry-run]
  prompt-chain memory show|clear|repair FILE [--workspace DIR] [--memory-dir DIR] [--all] [--json]
  prompt-chain models [--base-url URL] [--json]
  prompt-chain --help | --version

Commands:
  check    report problems in .prompt files; exit 1 when any is an error
  run      run one chat turn with the file's stored conversation
  memory   show, clear or repair the file's stored conversation
  models   list the models the endpoint serves
Run "prompt-chain COMMAND --help" for a command's options.

Environment:
  OPENAI_API_KEY    the API key (needed for api.openai.com; never stored)
  OPENAI_BASE_URL   an OpenAI-compatible endpoint: Ollama, LM Studio, vLLM, llama.cpp
  XDG_STATE_HOME    conversations go to $XDG_STATE_HOME/prompt-chain/<workspace hash>
                    (default ~/.local/state/prompt-chain/<workspace hash>)
  NO_COLOR          no colour in the --verbose trace

Exit codes: 0 success, 1 failure (errors found, unreadable file, model error), 2 usage error
(a bad flag value, a base URL that is not one), 130 cancelled (Ctrl-C).`;
