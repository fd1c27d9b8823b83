// The chat panel's HTML: one static page whose only script and stylesheet come from the extension's own
// folders. It carries no data: file names, prompts and replies reach the page as messages and are put in
// the DOM as text by the script, so nothing a model or a .prompt file says can become markup.

import { randomBytes } from 'node:crypto';

/**
 * Where the page's script and stylesheet live in the extension, as path segments, and the folders the webview
 * may load anything from (its localResourceRoots): those two files' folders, nothing else of the extension.
 */
export const panelScriptPath = ['dist', 'webview', 'main.js'] as const;
export const panelStylePath = ['media', 'panel.css'] as const;
export const panelResourceFolders = [['dist', 'webview'], ['media']] as const;

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  /** Fresh for every page load: only the script tag carrying it may run. */
  nonce: string;
  /** `webview.asWebviewUri` of panelScriptPath and panelStylePath. */
  scriptUri: string;
  styleUri: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}';`;
}

export function panelHtml(options: PanelHtmlOptions): string {
  const csp = escapeAttribute(contentSecurityPolicy(options.cspSource, options.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>Prompt Chain</title>
</head>
<body>
<header class="header">
<div class="file" id="file"></div>
<div class="facts" id="facts"></div>
<div class="history-line"><span id="history"></span> <button type="button" id="pick-session" class="link-button">Session…</button></div>
</header>
<main class="transcript" id="transcript" aria-label="Conversation" aria-live="polite"></main>
<button type="button" id="jump" class="jump" hidden>Jump to latest</button>
<footer class="composer">
<div class="progress" id="progress" role="status" hidden><span class="spinner"></span><span id="progress-text">Generating…</span><button type="button" id="stop" class="secondary">Stop</button></div>
<div class="notice-box" id="notice" role="alert" hidden></div>
<div class="editing" id="editing" hidden><span>Editing the last input: Send replaces the last turn once its new reply is complete.</span><button type="button" id="cancel-edit" class="link-button">Cancel</button></div>
<div class="variables" id="variables" aria-label="Other variables of the template" hidden></div>
<textarea id="input" rows="3" aria-label="Human input" placeholder="Message (Enter to send, Shift+Enter for a new line)" autofocus></textarea>
<div class="actions">
<button type="button" id="send">Send</button>
<button type="button" id="clear" class="secondary">Clear memory</button>
<span class="actions-gap"></span>
<button type="button" id="compare" class="secondary" title="Run the input on several models side by side; memory is not touched">Compare models…</button>
<button type="button" id="replay" class="secondary" title="Run the stored conversation again on another model or the edited prompt">Replay with…</button>
<button type="button" id="save-test" class="secondary" title="Save the stored conversation as a test with snapshot assertions">Save as test</button>
</div>
</footer>
<script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
