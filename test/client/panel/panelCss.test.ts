import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test('the panel stylesheet takes its colours and fonts from VS Code theme variables only', () => {
  const css = readFileSync(join(__dirname, '../../../media/panel.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  assert.doesNotMatch(css, /#[0-9a-f]{3,8}\b/i, 'no hex colours');
  assert.doesNotMatch(css, /\b(rgba?|hsla?)\(/i, 'no rgb()/hsl() colours');
  assert.doesNotMatch(css, /@import|url\(/i, 'nothing loaded from elsewhere');
  const variables = [...css.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1]);
  assert.ok(variables.length > 0);
  for (const name of variables) assert.match(name ?? '', /^--vscode-/);
  for (const declaration of css.matchAll(/(?:^|[;{\s])(color|background|font-family)\s*:\s*([^;]+);/g)) {
    assert.match(declaration[2] ?? '', /var\(--vscode-|^transparent$|^inherit$/, `${declaration[1]}: ${declaration[2]}`);
  }
});
