// Small DOM helpers for the chat panel, and the DOM of a reply's Markdown tree (markdown.ts). Everything goes
// in through createElement and text nodes: nothing here parses markup.

import type { MarkdownNode } from './markdown';

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const node = element('button', className, label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

/** A Copy button that says "Copied" for a moment once clicked. */
export function copyButton(label: string, copy: () => void): HTMLButtonElement {
  const node = button(label, 'link-button copy', () => {
    copy();
    node.textContent = 'Copied';
    setTimeout(() => (node.textContent = label), 1500);
  });
  return node;
}

export function required<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The chat panel page has no #${id}.`);
  return node as T;
}

export interface MarkdownHandlers {
  openLink(href: string): void;
  copy(text: string): void;
}

export function markdownNodes(tree: readonly MarkdownNode[], handlers: MarkdownHandlers): Node[] {
  return tree.map((node) => markdownNode(node, handlers));
}

function markdownNode(node: MarkdownNode, handlers: MarkdownHandlers): Node {
  switch (node.kind) {
    case 'text':
      return document.createTextNode(node.text);
    case 'break':
      return document.createElement('br');
    case 'element': {
      const built = document.createElement(node.tag);
      if (node.start !== undefined && built instanceof HTMLOListElement) built.start = node.start;
      built.append(...markdownNodes(node.children, handlers));
      return built;
    }
    case 'link':
      return linkNode(node.href, markdownNodes(node.children, handlers), handlers);
    case 'code':
      return codeBlock(node.code, node.language, handlers.copy);
  }
}

/** Opened by the extension (which checks the scheme again), never by the webview itself. */
function linkNode(href: string | undefined, children: Node[], handlers: MarkdownHandlers): Node {
  if (href === undefined) {
    const span = element('span', 'link-text');
    span.append(...children);
    return span;
  }
  const anchor = element('a', '');
  anchor.href = href;
  anchor.title = href;
  anchor.append(...children);
  anchor.addEventListener('click', (event) => {
    event.preventDefault();
    handlers.openLink(href);
  });
  return anchor;
}

export function codeBlock(code: string, language: string, copy: (text: string) => void, className = ''): HTMLElement {
  const block = element('div', `code-block ${className}`.trim());
  const toolbar = element('div', 'code-toolbar');
  toolbar.append(element('span', 'code-language', language), copyButton('Copy', () => copy(code)));
  const pre = element('pre', '');
  pre.append(element('code', '', code));
  block.append(toolbar, pre);
  return block;
}
