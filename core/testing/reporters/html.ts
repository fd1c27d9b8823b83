// The HTML reporter: one self-contained page (inline CSS, no script, a CSP that allows nothing else), a
// conversation per section as a transcript, the models in columns, each reply with its tokens, latency and
// assertions, a snapshot's diff highlighted. Every piece of model, prompt and test text is escaped.

import type { AssertionOutcome, AttemptOutcome, ConversationOutcome, DiffLine, FileFailure, TestRunReport, TurnOutcome } from '../types';
import { assertionLabel, attemptsLabel, conversationRows, formatDuration, outcomeTokens, replyTokens, summaryLine, type ConversationRow } from './reportFacts';
import { escapeXml as escape } from './xmlText';

const STYLE = `
:root { color-scheme: light dark; --pass: #1a7f37; --fail: #cf222e; --line: #8884; --human: #8881; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 0 0 8px; }
.summary { margin: 0 0 20px; } .meta { color: #888; font-size: 12px; }
section { border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 0 0 16px; }
section.fail { border-left: 4px solid var(--fail); } section.pass { border-left: 4px solid var(--pass); }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-top: 1px solid var(--line); padding: 8px; vertical-align: top; text-align: left; }
th.human { background: var(--human); font-weight: normal; width: 22%; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; font: inherit; }
.ok { color: var(--pass); } .bad { color: var(--fail); }
ul.assertions { list-style: none; padding: 0; margin: 6px 0 0; font-size: 13px; }
.detail { margin-left: 1.2em; color: #888; white-space: pre-wrap; overflow-wrap: anywhere; }
.diff { font: 12px/1.4 ui-monospace, monospace; margin: 4px 0 0 1.2em; white-space: pre-wrap; overflow-wrap: anywhere; }
.diff .removed { background: #cf222e33; } .diff .added { background: #1a7f3733; } .diff span { display: block; }
details pre { font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
`;

export function htmlReport(report: TestRunReport): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline'`;
  const head = `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="viewport" content="width=device-width"><title>Prompt tests</title><style>${STYLE}</style>`;
  const intro = `<h1>Prompt tests</h1><p class="summary">${escape(summaryLine(report))}<br><span class="meta">${escape(report.startedAt)} · models: ${escape(report.models.join(', '))}</span></p>`;
  const body = [intro, ...report.fileFailures.map(fileFailureHtml), ...conversationRows(report).map((row) => conversationHtml(row, report.models))];
  return `<!doctype html>\n<html lang="en"><head>${head}</head><body>\n${body.join('\n')}\n</body></html>\n`;
}

function fileFailureHtml(failure: FileFailure): string {
  const problems = failure.problems.map((p) => `<li><b>${escape(p.code)}</b> ${escape(p.message)}</li>`).join('');
  return `<section class="fail"><h2>${escape(failure.file)}: could not run</h2><ul>${problems}</ul></section>`;
}

function conversationHtml(row: ConversationRow, models: readonly string[]): string {
  const shown = models.filter((model) => row.byModel.has(model));
  const outcomes = shown.map((model) => row.byModel.get(model)).filter((o): o is ConversationOutcome => o !== undefined);
  const attempts = outcomes.map(shownAttempt);
  const pass = outcomes.every((o) => o.pass);
  const header = `<tr><th class="human">Human</th>${outcomes.map(modelHeader).join('')}</tr>`;
  const turnCount = Math.max(0, ...attempts.map((a) => a.turns.length));
  const turns = Array.from({ length: turnCount }, (_, index) => turnRow(index, attempts));
  const title = `<h2><span class="${pass ? 'ok' : 'bad'}">${pass ? '✓' : '✗'}</span> ${escape(row.conversation)} <span class="meta">${escape(row.file)}</span></h2>`;
  return `<section class="${pass ? 'pass' : 'fail'}">${title}<table><thead>${header}</thead><tbody>${turns.join('')}</tbody></table></section>`;
}

/** The attempt a column shows: the first that failed, else the first (a repeat's others count in the header). */
function shownAttempt(outcome: ConversationOutcome): AttemptOutcome {
  return outcome.attempts.find((a) => !a.pass) ?? outcome.attempts[0] ?? { turns: [], pass: false };
}

function modelHeader(outcome: ConversationOutcome): string {
  const tokens = outcomeTokens(outcome);
  const attempt = outcome.attempts.length > 1 ? ` · showing attempt ${outcome.attempts.indexOf(shownAttempt(outcome)) + 1}` : '';
  const facts = `${attemptsLabel(outcome)}${tokens === undefined ? '' : ` · ${tokens} tokens`} · ${formatDuration(outcome.durationMs)}${attempt}`;
  return `<th><span class="model ${outcome.pass ? 'ok' : 'bad'}">${escape(outcome.model)}</span><br><span class="meta">${escape(facts)}</span></th>`;
}

function turnRow(index: number, attempts: readonly AttemptOutcome[]): string {
  const input = attempts.map((a) => a.turns[index]).find((t) => t !== undefined)?.input ?? '';
  const cells = attempts.map((a) => {
    const turn = a.turns[index];
    return turn ? `<td>${replyHtml(turn)}</td>` : '<td class="meta">not run (an earlier turn failed)</td>';
  });
  return `<tr><th class="human"><pre class="text">${escape(input)}</pre></th>${cells.join('')}</tr>`;
}

function replyHtml(turn: TurnOutcome): string {
  const reply = turn.reply !== undefined ? `<pre class="text">${escape(turn.reply)}</pre>` : '';
  const failure = turn.failure ? `<p class="bad">${escape(`${turn.failure.kind}: ${turn.failure.message}`)}</p>` : '';
  const tokens = replyTokens(turn);
  const meta = `<div class="meta">${tokens === undefined ? '' : `${tokens} tokens · `}${escape(formatDuration(turn.latencyMs))}</div>`;
  const assertions = `<ul class="assertions">${turn.assertions.map((a) => assertionHtml(a, turn)).join('')}</ul>`;
  const prompt = turn.prompt !== undefined ? `<details><summary class="meta">Prompt after formatting</summary><pre>${escape(turn.prompt)}</pre></details>` : '';
  return `${reply}${failure}${meta}${assertions}${prompt}`;
}

function assertionHtml(outcome: AssertionOutcome, turn: TurnOutcome): string {
  const mark = outcome.pass ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>';
  const details = outcome.pass ? [] : [outcome.message, outcome.expected !== undefined ? `expected: ${outcome.expected}` : '', outcome.actual !== undefined ? `actual: ${outcome.actual}` : ''];
  if (outcome.reasoning !== undefined) details.push(`judge: ${outcome.reasoning}`);
  const detail = details.filter(Boolean).map((line) => `<div class="detail">${escape(line)}</div>`).join('');
  const diff = outcome.assertion.kind === 'snapshot' && turn.snapshot && !outcome.pass ? diffHtml(turn.snapshot.diff) : '';
  return `<li>${mark} ${escape(assertionLabel(outcome.assertion))}${detail}${diff}</li>`;
}

function diffHtml(diff: readonly DiffLine[]): string {
  const marks = { same: ' ', removed: '-', added: '+' } as const;
  return `<div class="diff">${diff.map((line) => `<span class="${line.op}">${marks[line.op]} ${escape(line.text)}</span>`).join('')}</div>`;
}
