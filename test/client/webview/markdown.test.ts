import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { markdownTree, type MarkdownNode } from '../../../client/webview/markdown';

/** The tree as compact text: <tag>…</tag>, [link→href], ```lang code```. */
function show(nodes: readonly MarkdownNode[]): string {
  return nodes.map((node) => {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'break':
        return '<br>';
      case 'element':
        return `<${node.tag}>${show(node.children)}</${node.tag}>`;
      case 'link':
        return `[${show(node.children)}→${node.href ?? 'none'}]`;
      case 'code':
        return `\`\`\`${node.language} ${node.code}\`\`\``;
    }
  }).join('');
}

describe('markdownTree', () => {
  test('bold, lists and a fenced code block become their nodes', () => {
    assert.equal(show(markdownTree('Hello **friend**!\n\n- one\n- `two`\n\n```js\nconst a = 1;\n```\n')),
      '<p>Hello <strong>friend</strong>!</p><ul><li>one</li><li><code>two</code></li></ul>```js const a = 1;\n```');
  });

  test('raw HTML in a reply stays text', () => {
    assert.equal(show(markdownTree('<img src=x onerror=alert(1)>')), '<p><img src=x onerror=alert(1)></p>');
    assert.equal(show(markdownTree('a <b>b</b> c')), '<p>a <b>b</b> c</p>');
    const tags = JSON.stringify(markdownTree('<script>alert(1)</script>\n\n<div onclick="x">y</div>')).match(/"tag":"\w+"/g);
    assert.deepEqual([...new Set(tags)], ['"tag":"p"']);
  });

  test('links keep an href only when they are http(s); images become their text', () => {
    assert.equal(show(markdownTree('[docs](https://example.com/a) and https://example.org')), '<p>[docs→https://example.com/a] and [https://example.org→https://example.org]</p>');
    assert.equal(show(markdownTree('[x](javascript:alert(1))')), '<p>[x](javascript:alert(1))</p>');
    assert.equal(show(markdownTree('[x](file:///etc/passwd) [y](vscode:extension/foo) [z](mailto:a@b.c)')), '<p>[x](file:///etc/passwd) [y→none] [z→none]</p>');
    assert.equal(show(markdownTree('![a cat](https://example.com/cat.png)')), '<p>a cat</p>');
  });

  test('an ordered list keeps its start; a table its cells (no inline styles)', () => {
    const list = markdownTree('3. c\n4. d');
    assert.equal(list[0]?.kind === 'element' && list[0].start, 3);
    const table = JSON.stringify(markdownTree('| a | b |\n|---|--:|\n| 1 | 2 |'));
    assert.match(table, /"tag":"td"/);
    assert.doesNotMatch(table, /style|text-align/);
  });

  test('an unfinished fence while streaming is still a code block', () => {
    assert.equal(show(markdownTree('Here:\n\n```py\nprint(1)')), '<p>Here:</p>```py print(1)```');
  });
});
