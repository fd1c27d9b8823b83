// A reply's Markdown as a tree of plain nodes, from markdown-it's tokens, for render.ts to build with
// createElement and text nodes. No HTML string is ever produced or parsed: raw HTML in a reply is off in the
// parser (`html: false`, so it stays text), only the tags below can come out, links keep an href only when
// it is http(s), and images become their text (the panel loads nothing from elsewhere). Pure: no DOM.

import MarkdownIt from 'markdown-it';
import { isOpenableLink } from '../src/panel/links';

export type MarkdownNode =
  | { kind: 'text'; text: string }
  | { kind: 'element'; tag: MarkdownTag; children: MarkdownNode[]; start?: number }
  /** A link: `href` only when it is http(s); otherwise its text is shown, not followed. */
  | { kind: 'link'; href?: string; children: MarkdownNode[] }
  /** A fenced or indented code block: shown with a Copy button. */
  | { kind: 'code'; code: string; language: string }
  | { kind: 'break' };

const allowedTags = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'strong', 'em', 's', 'code', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'] as const;
export type MarkdownTag = (typeof allowedTags)[number];

const parser = new MarkdownIt('default', { html: false, linkify: true, typographer: false });
type Token = ReturnType<typeof parser.parse>[number];

export function markdownTree(source: string): MarkdownNode[] {
  const root: MarkdownNode[] = [];
  appendTokens(parser.parse(source, {}), root);
  return root;
}

/** Walks a token list; `*_open` / `*_close` pairs (nesting 1 / -1) become one node holding what lies between. */
function appendTokens(tokens: readonly Token[], into: MarkdownNode[]): void {
  const stack: MarkdownNode[][] = [into];
  const top = () => stack[stack.length - 1] ?? into;
  for (const token of tokens) {
    // The paragraphs of a tight list are hidden: their text belongs straight in the list item.
    if (token.hidden && token.nesting !== 0) continue;
    if (token.nesting === 1) {
      const node = openNode(token);
      top().push(node);
      stack.push(node.kind === 'element' || node.kind === 'link' ? node.children : []);
    } else if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else {
      top().push(...leafNodes(token));
    }
  }
}

function openNode(token: Token): MarkdownNode {
  if (token.type === 'link_open') return { kind: 'link', children: [], ...httpHref(attribute(token, 'href')) };
  const tag = allowedTag(token.tag);
  // Unknown containers (from a future markdown-it rule) keep their text in a paragraph.
  if (!tag) return { kind: 'element', tag: 'p', children: [] };
  const start = tag === 'ol' ? Number(attribute(token, 'start') ?? 1) : undefined;
  return { kind: 'element', tag, children: [], ...(start !== undefined && Number.isInteger(start) && start !== 1 && { start }) };
}

function leafNodes(token: Token): MarkdownNode[] {
  switch (token.type) {
    case 'inline': {
      const children: MarkdownNode[] = [];
      appendTokens(token.children ?? [], children);
      return children;
    }
    case 'text':
    case 'html_inline':
    case 'html_block':
      return [{ kind: 'text', text: token.content }];
    case 'code_inline':
      return [{ kind: 'element', tag: 'code', children: [{ kind: 'text', text: token.content }] }];
    case 'fence':
    case 'code_block':
      return [{ kind: 'code', code: token.content, language: token.info.trim().split(/\s+/)[0] ?? '' }];
    case 'softbreak':
      return [{ kind: 'text', text: '\n' }];
    case 'hardbreak':
      return [{ kind: 'break' }];
    case 'hr':
      return [{ kind: 'element', tag: 'hr', children: [] }];
    case 'image':
      return [{ kind: 'text', text: token.content || attribute(token, 'alt') || '' }];
    default:
      return token.content ? [{ kind: 'text', text: token.content }] : [];
  }
}

function attribute(token: Token, name: string): string | undefined {
  const value = token.attrGet(name);
  return value === null ? undefined : String(value);
}

function allowedTag(tag: string): MarkdownTag | undefined {
  return (allowedTags as readonly string[]).includes(tag) ? (tag as MarkdownTag) : undefined;
}

function httpHref(href: string | undefined): { href?: string } {
  return href !== undefined && isOpenableLink(href) ? { href } : {};
}
