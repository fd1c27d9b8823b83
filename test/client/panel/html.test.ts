import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, createNonce, panelHtml } from '../../../client/src/panel/html';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
const options = {
  cspSource,
  nonce: 'bm9uY2Utb25l',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
};

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page declares a CSP');
  return (match[1] ?? '').replace(/&#39;|&apos;/g, "'");
}

describe('panelHtml', () => {
  test('declares a CSP that denies everything but the extension stylesheet and the nonced script', () => {
    assert.equal(cspOf(panelHtml(options)), `default-src 'none'; style-src ${cspSource}; script-src 'nonce-bm9uY2Utb25l';`);
    assert.equal(contentSecurityPolicy(cspSource, 'n'), `default-src 'none'; style-src ${cspSource}; script-src 'nonce-n';`);
  });

  test('loads exactly one script, from dist, carrying the nonce', () => {
    const scripts = [...panelHtml(options).matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]?.[1] ?? '', /nonce="bm9uY2Utb25l"/);
    assert.match(scripts[0]?.[1] ?? '', /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
    assert.equal(scripts[0]?.[2], '', 'no inline script body');
  });

  test('carries no data, no inline styles and no inline event handlers', () => {
    const html = panelHtml(options);
    assert.doesNotMatch(html, /<style\b/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /<form\b/);
    assert.doesNotMatch(html, /data-/);
  });

  test('escapes what it puts in attributes', () => {
    const html = panelHtml({ ...options, scriptUri: 'https://x/"><script>alert(1)</script>' });
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  test('has the panel controls the script binds to', () => {
    const html = panelHtml(options);
    for (const id of ['file', 'memory', 'turns', 'input', 'send', 'stop', 'clear']) assert.match(html, new RegExp(`id="${id}"`));
  });
});

describe('createNonce', () => {
  test('is fresh and long enough for every page', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{24}$/);
  });
});

describe('webview script', () => {
  test('never turns text into markup', () => {
    const dir = join(__dirname, '../../../client/webview');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/, file);
    }
  });
});
