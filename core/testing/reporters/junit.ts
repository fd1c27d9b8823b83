// The JUnit reporter (the Ant XML format CI systems read): a <testsuite> per test file and model, a
// <testcase> per conversation; a failing assertion is a <failure>, a turn that failed before a reply (the
// endpoint, the model) an <error> with the failure's kind, a test file that could not run a testsuite with
// one errored testcase. Each testcase's <system-out> is its transcript, so a CI page shows the replies.

import type { ConversationOutcome, FileFailure, TestRunReport, TurnOutcome } from '../types';
import { assertionLabel, failedTurns } from './reportFacts';
import { escapeXml, escapeXmlAttribute } from './xmlText';

interface Suite {
  readonly name: string;
  readonly cases: readonly string[];
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly ms: number;
}

export function junitReport(report: TestRunReport): string {
  const suites = [...outcomeSuites(report), ...report.fileFailures.map(fileFailureSuite)];
  const total = (count: (suite: Suite) => number) => suites.reduce((sum, suite) => sum + count(suite), 0);
  const head = `<testsuites name="prompt-chain test" tests="${total((s) => s.tests)}" failures="${total((s) => s.failures)}" errors="${total((s) => s.errors)}" time="${seconds(report.durationMs)}">`;
  const body = suites.map((suite) => suiteXml(suite, report.startedAt));
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...body, '</testsuites>', ''].join('\n');
}

function outcomeSuites(report: TestRunReport): Suite[] {
  const groups = new Map<string, ConversationOutcome[]>();
  for (const outcome of report.outcomes) {
    const name = `${outcome.file} [${outcome.model}]`;
    groups.set(name, [...(groups.get(name) ?? []), outcome]);
  }
  return [...groups].map(([name, outcomes]) => ({
    name,
    cases: outcomes.map(caseXml),
    tests: outcomes.length,
    failures: outcomes.filter((o) => !o.pass && !erred(o)).length,
    errors: outcomes.filter(erred).length,
    ms: outcomes.reduce((sum, o) => sum + o.durationMs, 0),
  }));
}

/** Failed because a turn could not run at all, rather than by an assertion. */
function erred(outcome: ConversationOutcome): boolean {
  return !outcome.pass && outcome.attempts.some((attempt) => attempt.turns.some((turn) => turn.failure !== undefined));
}

function fileFailureSuite(failure: FileFailure): Suite {
  const message = failure.problems.map((p) => `${p.code}: ${p.message}`).join('\n');
  const first = failure.problems[0];
  const error = `<error message="${escapeXmlAttribute(first?.message ?? 'the test file could not run')}" type="${escapeXmlAttribute(first?.code ?? 'test-file')}">${escapeXml(message)}</error>`;
  const testcase = `    <testcase name="${escapeXmlAttribute(failure.file)}" classname="${escapeXmlAttribute(failure.file)}" time="0">\n      ${error}\n    </testcase>`;
  return { name: failure.file, cases: [testcase], tests: 1, failures: 0, errors: 1, ms: 0 };
}

function suiteXml(suite: Suite, timestamp: string): string {
  const attributes = `name="${escapeXmlAttribute(suite.name)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors}" skipped="0" time="${seconds(suite.ms)}" timestamp="${escapeXmlAttribute(timestamp.replace(/Z$/, ''))}"`;
  return [`  <testsuite ${attributes}>`, ...suite.cases, '  </testsuite>'].join('\n');
}

function caseXml(outcome: ConversationOutcome): string {
  const attributes = `name="${escapeXmlAttribute(outcome.conversation)}" classname="${escapeXmlAttribute(`${outcome.file} [${outcome.model}]`)}" time="${seconds(outcome.durationMs)}"`;
  const problems = outcome.pass ? [] : failedTurns(outcome).flatMap(({ attempt, turn }) => turnProblems(outcome, attempt, turn));
  const out = `      <system-out>${escapeXml(transcript(outcome))}</system-out>`;
  return [`    <testcase ${attributes}>`, ...problems, out, '    </testcase>'].join('\n');
}

function turnProblems(outcome: ConversationOutcome, attempt: number, turn: TurnOutcome): string[] {
  const where = `${outcome.attempts.length > 1 ? `attempt ${attempt}, ` : ''}turn ${turn.index + 1}`;
  if (turn.failure) {
    return [`      <error message="${escapeXmlAttribute(`${where}: ${turn.failure.message}`)}" type="${escapeXmlAttribute(turn.failure.kind)}">${escapeXml(turn.failure.message)}</error>`];
  }
  return turn.assertions
    .filter((a) => !a.pass)
    .map((a) => {
      const detail = [`${where}: ${assertionLabel(a.assertion)}`, a.message, a.expected !== undefined ? `expected: ${a.expected}` : '', a.actual !== undefined ? `actual: ${a.actual}` : '', a.reasoning !== undefined ? `judge: ${a.reasoning}` : ''];
      return `      <failure message="${escapeXmlAttribute(`${where}: ${a.message}`)}" type="${a.assertion.kind}">${escapeXml(detail.filter(Boolean).join('\n'))}</failure>`;
    });
}

/** Every attempt's turns: `Human: …` then `AI: …`, as a person would read the conversation. */
function transcript(outcome: ConversationOutcome): string {
  return outcome.attempts
    .map((attempt, index) => {
      const head = outcome.attempts.length > 1 ? [`-- attempt ${index + 1} (${attempt.pass ? 'passed' : 'failed'})`] : [];
      const turns = attempt.turns.flatMap((turn) => [`Human: ${turn.input}`, turn.reply !== undefined ? `AI: ${turn.reply}` : `(no reply: ${turn.failure?.message ?? 'not run'})`]);
      return [...head, ...turns].join('\n');
    })
    .join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
