// The chat panel's DOM, built from PanelState: one entry per turn (the human input, the reply as Markdown,
// the turn's details folded), markers where the conversation was cleared, and the composer (variables form,
// input, progress, notices). Every prompt, reply, input and file name goes in as text, never as markup:
// model output and .prompt files are untrusted. Entries are rebuilt only when their state changed, so an
// opened <details> stays open.

import type { ChatMessage, MemoryCall } from '../../core/chain/types';
import type { FailureAction, FailureActionId } from '../src/failureActions';
import type { ClearedEntry, InputsView, LoneEntry, Notice, PanelState, StoredEntry, TranscriptEntry, TurnEntry } from '../src/panel/messages';
import { describeCost, describeHistory, describeMemory, describeMemoryCall, lastConversationEntry, panelBusy, resendPlan, roleLabel, runningComparison, traceText } from '../src/panel/session';
import { comparisonNode } from './comparison';
import { button, codeBlock, copyButton, element, markdownNodes, required } from './dom';
import { BottomFollower } from './follow';
import { markdownTree } from './markdown';

/** Past this size a streaming reply is shown as plain text until it completes (re-parsing it per piece would not scale). */
const streamedMarkdownLimit = 100_000;

export interface PanelControls {
  send(input: string, variables: Record<string, string>, editLast: boolean): void;
  retry(): void;
  stop(): void;
  clearMemory(): void;
  pickSession(): void;
  action(action: FailureActionId): void;
  openLink(href: string): void;
  copy(text: string): void;
  compareModels(input: string, variables: Record<string, string>): void;
  replay(variables: Record<string, string>): void;
  saveAsTest(variables: Record<string, string>): void;
}

export class PanelView {
  private readonly file = required('file');
  private readonly facts = required('facts');
  private readonly history = required('history');
  private readonly transcript = required('transcript');
  private readonly progress = required('progress');
  private readonly progressText = required('progress-text');
  private readonly notice = required('notice');
  private readonly editing = required('editing');
  private readonly variables = required('variables');
  private readonly input = required<HTMLTextAreaElement>('input');
  private readonly sendButton = required<HTMLButtonElement>('send');
  private readonly compareButton = required<HTMLButtonElement>('compare');
  private readonly replayButton = required<HTMLButtonElement>('replay');
  private readonly saveTestButton = required<HTMLButtonElement>('save-test');
  private readonly follower = new BottomFollower(required<HTMLButtonElement>('jump'));
  /** Built entries by id, with the state they were built from. */
  private readonly built = new Map<string, { entry: TranscriptEntry; last: boolean; node: HTMLElement }>();
  private readonly openDetails = new Set<string>();
  private variableValues = new Map<string, string>();
  private variableNames = '';
  private editingLast = false;
  /** Sent, and the host has not yet started (or refused) the turn: a second Enter does nothing. */
  private awaitingHost = false;
  /** The streaming turn whose reply is re-rendered at the next frame. */
  private pendingReply: string | undefined;
  private state: PanelState | undefined;

  constructor(private readonly controls: PanelControls) {
    this.sendButton.addEventListener('click', () => this.submit());
    required('stop').addEventListener('click', () => this.controls.stop());
    required('clear').addEventListener('click', () => this.controls.clearMemory());
    required('pick-session').addEventListener('click', () => this.controls.pickSession());
    required('cancel-edit').addEventListener('click', () => this.setEditing(false));
    this.compareButton.addEventListener('click', () => this.controls.compareModels(this.input.value, Object.fromEntries(this.variableValues)));
    this.replayButton.addEventListener('click', () => this.controls.replay(Object.fromEntries(this.variableValues)));
    this.saveTestButton.addEventListener('click', () => this.controls.saveAsTest(Object.fromEntries(this.variableValues)));
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
  }

  render(state: PanelState): void {
    this.state = state;
    this.file.textContent = state.fileName;
    this.facts.textContent = factsLine(state);
    this.history.textContent = describeHistory(state.memory?.history);
    this.renderTranscript(state);
    this.renderComposer(state);
    this.follower.contentChanged();
  }

  /** A piece of the reply arrived: the reply is re-rendered once per frame, not once per piece. */
  streamed(state: PanelState, turnId: string): void {
    this.state = state;
    const wasPending = this.pendingReply !== undefined;
    this.pendingReply = turnId;
    if (!wasPending) requestAnimationFrame(() => this.flushReply());
  }

  focusInput(draft?: string): void {
    if (draft !== undefined && this.input.value === '') this.input.value = draft;
    this.input.focus();
  }

  /** The host took the input: the box empties (unless the user has typed on meanwhile). */
  turnStarted(input: string): void {
    this.awaitingHost = false;
    if (this.input.value === input) this.input.value = '';
    this.setEditing(false);
    this.follower.follow();
  }

  /** A turn failed or was refused: its input comes back into an empty box, to fix and send again. */
  turnEnded(input: string | undefined): void {
    this.awaitingHost = false;
    if (input !== undefined && this.input.value === '') this.input.value = input;
    this.updateSendButton();
  }

  private flushReply(): void {
    const turnId = this.pendingReply;
    this.pendingReply = undefined;
    // A turn that finished meanwhile was rendered whole by render(): leave it be.
    const turn = this.state?.entries.find((entry): entry is TurnEntry => entry.kind === 'turn' && entry.id === turnId);
    const reply = turn?.status === 'running' ? this.built.get(turn.id)?.node.querySelector('.reply') : undefined;
    if (!turn || !(reply instanceof HTMLElement)) return;
    fillReply(reply, turn, this.controls);
    this.follower.contentChanged();
  }

  private renderTranscript(state: PanelState): void {
    // Retry and Edit belong to the conversation's last entry, whatever comparison came after it.
    const lastId = lastConversationEntry(state)?.id;
    const nodes = state.entries.map((entry) => this.entryNode(entry, entry.id === lastId));
    for (const id of this.built.keys()) if (!state.entries.some((entry) => entry.id === id)) this.built.delete(id);
    if (nodes.length === 0) nodes.push(element('div', 'muted empty', 'No turns yet: type below and press Enter to run the first.'));
    this.transcript.replaceChildren(...nodes);
  }

  private entryNode(entry: TranscriptEntry, last: boolean): HTMLElement {
    const cached = this.built.get(entry.id);
    if (cached && cached.entry === entry && cached.last === last) return cached.node;
    const node = this.buildEntry(entry, last);
    this.built.set(entry.id, { entry, last, node });
    return node;
  }

  private buildEntry(entry: TranscriptEntry, last: boolean): HTMLElement {
    switch (entry.kind) {
      case 'cleared':
        return clearedMarker(entry);
      case 'stored':
        return this.storedNode(entry, last);
      case 'lone':
        return loneNode(entry);
      case 'turn':
        return this.turnNode(entry, last);
      case 'comparison':
        return comparisonNode(entry, this.controls);
    }
  }

  private storedNode(entry: StoredEntry, last: boolean): HTMLElement {
    const article = element('article', 'entry entry-stored');
    const reply = element('div', 'reply markdown');
    reply.append(...markdownNodes(markdownTree(entry.output), this.controls));
    article.append(bubble('Human', 'human', inputText(entry.input)), bubble('AI', 'ai', reply));
    article.append(this.entryActions(entry.output, last), element('div', 'muted stored-note', 'Stored earlier'));
    return article;
  }

  private turnNode(turn: TurnEntry, last: boolean): HTMLElement {
    const article = element('article', `entry turn turn-${turn.status}`);
    const reply = element('div', 'reply markdown');
    fillReply(reply, turn, this.controls);
    const ai = bubble('AI', 'ai', reply);
    if (turn.error) ai.append(failureNode(turn.error, turn.actions ?? [], turn.status === 'cancelled', this.controls));
    article.append(bubble('Human', 'human', inputText(turn.input)), ai);
    // A failure that offers Retry among its own actions: the entry's Retry link would say it a second time.
    const failureRetries = (turn.actions ?? []).some((action) => action.id === 'retry');
    if (turn.notSaved) article.append(element('div', 'muted stored-note', `Not saved: ${turn.notSaved}`));
    if (turn.status !== 'running') article.append(this.entryActions(turn.reply, last, !failureRetries));
    if (turn.status !== 'running' || turn.prompt !== undefined) article.append(this.detailsNode(turn));
    return article;
  }

  /** Copy reply on every entry; Retry (unless the failure above offers it) and Edit on the last one, when it can be resent. */
  private entryActions(reply: string, last: boolean, offerRetry = true): HTMLElement {
    const actions = element('div', 'entry-actions');
    if (reply) actions.append(copyButton('Copy reply', () => this.controls.copy(reply)));
    if (last && this.state && resendPlan(this.state)) {
      if (offerRetry) actions.append(button('Retry', 'link-button', () => this.controls.retry()));
      actions.append(button('Edit', 'link-button', () => this.editLast()));
    }
    return actions;
  }

  private detailsNode(turn: TurnEntry): HTMLElement {
    const details = element('details', 'turn-details');
    details.open = this.openDetails.has(turn.id);
    details.addEventListener('toggle', () => (details.open ? this.openDetails.add(turn.id) : this.openDetails.delete(turn.id)));
    const cost = describeCost(turn.usage, turn.timings, turn.memoryCalls);
    details.append(element('summary', '', cost ? `Details · ${cost}` : 'Details'));
    details.append(element('div', 'section-label', 'LangChain trace'));
    details.append(codeBlock(traceText(turn), 'verbose', this.controls.copy, 'trace'));
    if (turn.messages) details.append(messagesNode(turn.messages));
    if (turn.memoryCalls) details.append(memoryCallsNode(turn.memoryCalls, this.controls.copy));
    return details;
  }

  private editLast(): void {
    const plan = this.state && resendPlan(this.state);
    if (!plan) return;
    this.input.value = plan.input;
    this.setEditing(true);
    this.input.focus();
  }

  private setEditing(editing: boolean): void {
    this.editingLast = editing;
    this.editing.hidden = !editing;
  }

  private renderComposer(state: PanelState): void {
    this.progress.hidden = !panelBusy(state);
    const comparison = runningComparison(state);
    this.progressText.textContent = comparison ? (comparison.mode === 'models' ? 'Comparing models…' : 'Replaying the conversation…') : 'Generating…';
    renderNotice(this.notice, state.notice, this.controls);
    this.renderVariables(state.inputs);
    const inputKey = state.inputs?.inputKey;
    this.input.placeholder = `${inputKey ? `Message for {${inputKey}}` : 'Message'} (Enter to send, Shift+Enter for a new line)`;
    if (this.editingLast && !resendPlan(state)) this.setEditing(false);
    this.updateSendButton();
  }

  /** The form is rebuilt only when the variables change, so what the user typed stays. */
  private renderVariables(inputs: InputsView | undefined): void {
    const variables = inputs?.variables ?? [];
    const names = variables.map((variable) => `${variable.name}:${variable.required}`).join(',');
    if (names === this.variableNames) return;
    this.variableNames = names;
    const values = new Map(variables.map((variable) => [variable.name, this.variableValues.get(variable.name) ?? variable.value]));
    this.variableValues = values;
    this.variables.replaceChildren(...variables.map((variable) => variableField(variable, values)));
    this.variables.hidden = variables.length === 0;
  }

  private updateSendButton(): void {
    const busy = this.state !== undefined && panelBusy(this.state);
    this.sendButton.disabled = this.awaitingHost || busy;
    // Compare models…, Replay with… and Save as test wait too: the panel runs one thing at a time.
    for (const sideButton of [this.compareButton, this.replayButton, this.saveTestButton]) sideButton.disabled = busy;
  }

  private submit(): void {
    const input = this.input.value;
    if (this.sendButton.disabled || input.trim() === '') return;
    this.awaitingHost = true;
    this.updateSendButton();
    this.controls.send(input, Object.fromEntries(this.variableValues), this.editingLast);
  }
}

function factsLine(state: PanelState): string {
  const parts: string[] = [];
  if (state.inputs) parts.push(state.inputs.model, state.inputs.endpoint);
  if (state.memoryError) parts.push(state.memoryError);
  else if (state.memory) parts.push(describeMemory(state.memory));
  if (state.memory?.damaged) parts.push(`${state.memory.damaged.count} damaged records skipped: run ${state.memory.damaged.repairCommand}`);
  return parts.join(' · ');
}

function fillReply(reply: HTMLElement, turn: TurnEntry, controls: PanelControls): void {
  if (turn.status === 'running' && turn.reply === '') {
    const generating = element('div', 'generating');
    generating.append(element('span', 'spinner'), document.createTextNode('Generating…'));
    reply.replaceChildren(generating);
  } else if (turn.status === 'running' && turn.reply.length > streamedMarkdownLimit) {
    reply.replaceChildren(element('div', 'plain', turn.reply));
  } else {
    reply.replaceChildren(...markdownNodes(markdownTree(turn.reply), controls));
  }
}

/** A shared history's message without its pair, labelled as get_buffer_string labels it; its text as text. */
function loneNode(entry: LoneEntry): HTMLElement {
  const article = element('article', 'entry entry-stored entry-lone');
  article.append(bubble(roleLabel(entry.message.type), entry.message.type, inputText(entry.message.content)));
  article.append(element('div', 'muted stored-note', 'Stored earlier · a message without its pair'));
  return article;
}

function bubble(role: string, className: string, content: HTMLElement): HTMLElement {
  const node = element('div', `bubble ${className}`);
  node.append(element('div', 'role', role), content);
  return node;
}

function inputText(input: string): HTMLElement {
  return element('div', 'text', input);
}

function failureNode(message: string, actions: readonly FailureAction[], cancelled: boolean, controls: PanelControls): HTMLElement {
  const node = element('div', cancelled ? 'failure notice' : 'failure error');
  node.append(element('div', 'failure-message', message));
  if (actions.length > 0) node.append(actionButtons(actions, controls));
  return node;
}

function actionButtons(actions: readonly FailureAction[], controls: PanelControls): HTMLElement {
  const row = element('div', 'failure-actions');
  for (const action of actions) row.append(button(action.label, 'secondary', () => controls.action(action.id)));
  return row;
}

function renderNotice(node: HTMLElement, notice: Notice | undefined, controls: PanelControls): void {
  node.hidden = notice === undefined;
  if (!notice) return node.replaceChildren();
  node.replaceChildren(element('div', 'failure-message', notice.message));
  if (notice.actions.length > 0) node.append(actionButtons(notice.actions, controls));
}

function clearedMarker(entry: ClearedEntry): HTMLElement {
  const forgotten = `${entry.count} ${entry.count === 1 ? 'turn' : 'turns'} forgotten`;
  const marker = element('div', 'cleared-marker', `Conversation cleared · ${forgotten}; the turns above no longer reach the model`);
  marker.setAttribute('role', 'separator');
  return marker;
}

function messagesNode(messages: readonly ChatMessage[]): HTMLElement {
  const list = element('div', 'messages');
  list.append(element('div', 'section-label', `Messages sent (${messages.length})`));
  for (const message of messages) {
    const item = element('div', `message message-${message.type}`);
    item.append(element('div', 'role', roleLabel(message.type)), element('div', 'text', message.content));
    list.append(item);
  }
  return list;
}

/** Each call the memory made after the reply (the summary), folded: what it sent and what came back. */
function memoryCallsNode(calls: readonly MemoryCall[], copy: (text: string) => void): HTMLElement {
  const list = element('div', 'memory-calls');
  list.append(element('div', 'section-label', `Memory calls (${calls.length})`));
  for (const call of calls) {
    const item = element('details', call.failure ? 'memory-call memory-call-failed' : 'memory-call');
    item.append(element('summary', '', describeMemoryCall(call)));
    item.append(element('div', 'section-label', call.messages ? 'Sent as one human message' : 'Prompt sent'));
    item.append(codeBlock(call.prompt, 'text', copy, 'memory-call-prompt'));
    if (call.failure) item.append(element('div', 'failure-message error', call.failure.message));
    else if (call.reply !== undefined) item.append(element('div', 'section-label', 'New summary'), element('div', 'text memory-call-reply', call.reply));
    list.append(item);
  }
  return list;
}

function variableField(variable: InputsView['variables'][number], values: Map<string, string>): HTMLElement {
  const label = element('label', 'variable');
  const input = element('input', '');
  input.type = 'text';
  input.value = values.get(variable.name) ?? '';
  input.placeholder = variable.required ? 'required' : 'optional: the file gives a value';
  input.setAttribute('aria-label', `Value of {${variable.name}}`);
  input.addEventListener('input', () => values.set(variable.name, input.value));
  label.append(element('span', 'variable-name', `{${variable.name}}`), input);
  return label;
}
