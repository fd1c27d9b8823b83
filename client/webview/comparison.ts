// A comparison in the chat panel's transcript: Compare models (the input, then a column per model) or Replay
// conversation (a row per stored turn: its input, then the stored reply beside the new one, a changed one
// marked). Replies render as Markdown from text, never as markup; each cell has its own Copy.

import type { ComparisonCell, ComparisonEntry, ComparisonRow } from '../src/panel/messages';
import { copyButton, element, markdownNodes, type MarkdownHandlers } from './dom';
import { markdownTree } from './markdown';

export function comparisonNode(comparison: ComparisonEntry, handlers: MarkdownHandlers): HTMLElement {
  const article = element('article', `entry comparison comparison-${comparison.status}`);
  article.setAttribute('aria-label', comparison.title);
  article.append(element('div', 'comparison-title', comparison.title));
  for (const row of comparison.rows) article.append(rowNode(comparison, row, handlers));
  if (comparison.error) article.append(element('div', comparison.status === 'cancelled' ? 'failure notice' : 'failure error', comparison.error));
  return article;
}

function rowNode(comparison: ComparisonEntry, row: ComparisonRow, handlers: MarkdownHandlers): HTMLElement {
  const node = element('div', 'comparison-row');
  const input = element('div', 'bubble human');
  input.append(element('div', 'role', 'Human'), element('div', 'text', row.input));
  const grid = element('div', 'comparison-grid');
  // Through the CSSOM, which the panel's CSP allows (an inline style attribute it would refuse).
  grid.style.gridTemplateColumns = `repeat(${comparison.columns.length}, minmax(12em, 1fr))`;
  row.cells.forEach((cell, column) => grid.append(cellNode(comparison.columns[column] ?? '', cell, handlers)));
  node.append(input, grid);
  return node;
}

function cellNode(column: string, cell: ComparisonCell, handlers: MarkdownHandlers): HTMLElement {
  const node = element('section', `comparison-cell cell-${cell.status}${cell.changed ? ' cell-changed' : ''}`);
  node.setAttribute('aria-label', column);
  const header = element('div', 'cell-header');
  header.append(element('span', 'cell-model', column));
  if (cell.detail) header.append(element('span', 'muted cell-detail', cell.detail));
  node.append(header, cellBody(cell, handlers));
  if (cell.status === 'done' && cell.text) node.append(copyButton('Copy reply', () => handlers.copy(cell.text ?? '')));
  return node;
}

function cellBody(cell: ComparisonCell, handlers: MarkdownHandlers): HTMLElement {
  if (cell.status === 'pending') {
    const waiting = element('div', 'generating');
    waiting.append(element('span', 'spinner'), document.createTextNode('Waiting for the reply…'));
    return waiting;
  }
  if (cell.status !== 'done') return element('div', cell.status === 'failed' ? 'failure-message error' : 'muted', cell.error ?? '');
  const reply = element('div', 'reply markdown');
  reply.append(...markdownNodes(markdownTree(cell.text ?? ''), handlers));
  return reply;
}
