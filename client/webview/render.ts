// The chat panel's DOM, built from PanelState. Every prompt, reply, input and file name goes in as text
// (textContent / text nodes), never as markup: model output and .prompt files are untrusted.

import type { ChatMessage, Turn } from '../../core/chain/types';
import type { PanelState, TurnView } from '../src/panel/messages';
import { describeCost, roleLabel, runningTurn, traceText } from '../src/panel/session';

/** Long conversations show their most recent turns; the rest stay in memory. */
const memoryTurnsShown = 100;

export interface PanelControls {
  send(input: string): void;
  stop(): void;
  clearMemory(): void;
}

export class PanelView {
  private readonly file = required('file');
  private readonly memory = required('memory');
  private readonly turns = required('turns');
  private readonly input = required('input') as HTMLTextAreaElement;
  private readonly sendButton = required('send') as HTMLButtonElement;
  private readonly stopButton = required('stop') as HTMLButtonElement;
  private readonly clearButton = required('clear') as HTMLButtonElement;
  /** The reply element of each rendered turn, for streamed tokens. */
  private readonly replies = new Map<string, HTMLElement>();

  constructor(private readonly controls: PanelControls) {
    this.sendButton.addEventListener('click', () => this.submit());
    this.stopButton.addEventListener('click', () => this.controls.stop());
    this.clearButton.addEventListener('click', () => this.controls.clearMemory());
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
  }

  render(state: PanelState): void {
    const follow = nearBottom();
    this.file.textContent = state.fileName;
    this.memory.replaceChildren(...memoryNodes(state));
    this.replies.clear();
    this.turns.replaceChildren(...state.turns.map((turn) => this.turnNode(turn)));
    const running = runningTurn(state) !== undefined;
    this.sendButton.disabled = running;
    this.stopButton.disabled = !running;
    if (follow) scrollToBottom();
  }

  appendToken(turnId: string, text: string): void {
    const follow = nearBottom();
    this.replies.get(turnId)?.append(text);
    if (follow) scrollToBottom();
  }

  private submit(): void {
    const input = this.input.value;
    if (this.sendButton.disabled || input.trim() === '') return;
    this.controls.send(input);
    this.input.value = '';
  }

  private turnNode(turn: TurnView): HTMLElement {
    const article = element('article', `turn turn-${turn.status}`);
    article.append(element('pre', 'trace', traceText(turn)));
    if (turn.messages) article.append(messagesNode(turn.messages));
    const reply = element('div', 'content', turn.reply);
    this.replies.set(turn.turnId, reply);
    article.append(labelled('AI', 'message reply', reply));
    const cost = describeCost(turn.usage, turn.timings);
    if (cost) article.append(element('div', 'cost', cost));
    if (turn.error) article.append(element('div', turn.status === 'cancelled' ? 'notice' : 'error', turn.error));
    return article;
  }
}

function memoryNodes(state: PanelState): Node[] {
  if (state.memoryError) return [element('div', 'error', state.memoryError)];
  if (!state.memory) return [element('div', 'muted', 'Loading the stored conversation…')];
  const { memoryKey, turns } = state.memory;
  const count = `${turns.length} ${turns.length === 1 ? 'turn' : 'turns'}`;
  const heading = element('h2', 'memory-heading', `Conversation so far · ${count} stored, filling {${memoryKey}}`);
  if (turns.length === 0) return [heading, element('div', 'muted', 'No stored turns yet: the next turn starts the conversation.')];
  const hidden = Math.max(0, turns.length - memoryTurnsShown);
  const notice = hidden > 0 ? [element('div', 'muted', `${hidden} earlier turns not shown.`)] : [];
  return [heading, ...notice, ...turns.slice(hidden).flatMap(storedTurnNodes)];
}

function storedTurnNodes(turn: Turn): HTMLElement[] {
  return [
    labelled('Human', 'message message-human', element('div', 'content', turn.input)),
    labelled('AI', 'message message-ai', element('div', 'content', turn.output)),
  ];
}

function messagesNode(messages: readonly ChatMessage[]): HTMLElement {
  const list = element('div', 'messages');
  list.append(element('div', 'section-label', 'Messages sent'));
  for (const message of messages) {
    list.append(labelled(roleLabel(message.type), `message message-${message.type}`, element('div', 'content', message.content)));
  }
  return list;
}

function labelled(role: string, className: string, content: HTMLElement): HTMLElement {
  const node = element('div', className);
  node.append(element('div', 'role', role), content);
  return node;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function required(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The chat panel page has no #${id}.`);
  return node;
}

function nearBottom(): boolean {
  const root = document.scrollingElement ?? document.documentElement;
  return root.scrollHeight - root.scrollTop - root.clientHeight < 40;
}

function scrollToBottom(): void {
  const root = document.scrollingElement ?? document.documentElement;
  root.scrollTop = root.scrollHeight;
}
