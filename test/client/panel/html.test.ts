import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { contentSecurityPolicy, createNonce, panelHtml, panelResourceFolders, panelScriptPath, panelStylePath } from '../../../client/src/panel/html';

const root = join(__dirname, '../../..');

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
const options = {
  cspSource,
  nonce: 'bm9uY2Utb25l',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
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

  test('loads exactly one script, the webview bundle, carrying the nonce', () => {
    const scripts = [...panelHtml(options).matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]?.[1] ?? '', /nonce="bm9uY2Utb25l"/);
    assert.match(scripts[0]?.[1] ?? '', /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/main\.js"/);
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
    for (const id of ['file', 'facts', 'transcript', 'jump', 'progress', 'notice', 'editing', 'cancel-edit', 'variables', 'input', 'send', 'stop', 'clear']) assert.match(html, new RegExp(`id="${id}"`));
  });
});

describe('what the webview may load (localResourceRoots)', () => {
  const folders = panelResourceFolders.map((folder) => join(root, ...folder));

  test('the page\'s script and stylesheet lie in those folders; `npm run build` writes the script there', () => {
    for (const file of [panelScriptPath, panelStylePath]) {
      const path = join(root, ...file);
      assert.ok(folders.some((folder) => !relative(folder, path).startsWith('..')), `${file.join('/')} may be loaded`);
      assert.ok(existsSync(path), `${file.join('/')} exists (run \`npm run build\` first)`);
    }
  });

  test('nothing else of the extension: no language server, CLI, extension bundle, tokenizer tables or .vsix', () => {
    const loadable = folders.flatMap(filesUnder).map((path) => relative(root, path));
    assert.deepEqual(loadable.filter((path) => /(^|\/)(server|cli|client)\.js$|tokenizer|\.vsix$/.test(path)), []);
    for (const folder of panelResourceFolders) assert.notDeepEqual(folder, ['dist'], 'not the whole of dist/');
  });
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

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
