// promptChain.runTests { uris, only?, models?, update?, runId } -> TestRunReport: the test files run by
// core's runner, every conversation in a memory of its own (the user's stored conversations are never read
// or written), through the endpoint of the user's settings as a chat turn is. Each event goes to the client
// as a TestRunProgress while the run goes; $/cancelRequest stops it and nothing is recorded.

import type { CancellationToken } from 'vscode-languageserver';
import { runTests, type ConversationRef, type TestFileRun } from '../../../core/testing/runTests';
import type { FileFailure, TestRunReport } from '../../../core/testing/types';
import { createModel } from '../../../core/model/createModel';
import { testFileRunOf } from '../../../service/testing/testFileRun';
import { TestRunProgressNotification, type TestRunProgress } from '../protocol';
import type { PromptServer } from '../server';
import { cancelledCommand } from '../runner';
import { endpointOf } from '../endpoint';
import { engineFailure } from '../failures';
import { filePathOf } from '../workspaceRoots';
import { abortControllerFor } from './abortOnCancel';
import { argumentObject, optionalStringList, optionalTestRefs, requiredString, requiredStringList } from './arguments';
import { loadTestFileSource } from './testFileSource';

export async function runTestsCommand(server: PromptServer, command: string, args: unknown[] | undefined, token: CancellationToken): Promise<TestRunReport> {
  const params = runTestsParams(command, args);
  const prepared = await prepareFiles(server, params.uris);
  const first = params.uris[0];
  const settings = await server.settings.get(first ?? '');
  const endpoint = endpointOf(settings);
  // Refused before anything is sent: a base URL that is not one, or OpenAI's endpoint without a key.
  if (!endpoint.local && endpoint.problem) throw engineFailure(endpoint.problem, { endpoint: endpoint.source, apiKey: endpoint.keySource });
  // Each call goes where its model says (a test file may compare local and remote models).
  const model = createModel(endpoint, { maxReplyChars: settings.maxReplyChars, localPool: () => server.localModels.get() });
  const abort = abortControllerFor(token);
  try {
    const report = await runTests({
      files: prepared.runs,
      fileFailures: prepared.failures,
      model,
      ...(params.models && { models: params.models }),
      update: params.update,
      ...(params.only && { only: params.only }),
      signal: abort.signal,
      onEvent: (event) => void server.connection.sendNotification(TestRunProgressNotification, { runId: params.runId, event } satisfies TestRunProgress),
    });
    if (report.cancelled) throw cancelledCommand('The test run was cancelled; no baseline was recorded.');
    return report;
  } finally {
    abort.dispose();
  }
}

interface ParsedParams {
  readonly uris: string[];
  readonly only?: ConversationRef[];
  readonly models?: string[];
  readonly update: boolean;
  readonly runId: string;
}

function runTestsParams(command: string, args: unknown[] | undefined): ParsedParams {
  const object = argumentObject(command, args);
  const only = optionalTestRefs(command, object, 'only');
  const models = optionalStringList(command, object, 'models');
  return {
    uris: requiredStringList(command, object, 'uris'),
    ...(only && { only: only.map((ref) => ({ file: ref.uri, conversation: ref.conversation })) }),
    ...(models && { models }),
    update: object.update === true,
    runId: requiredString(command, object, 'runId'),
  };
}

/** Each test file parsed and checked as the editor shows it; one that cannot run is reported with its errors. */
async function prepareFiles(server: PromptServer, uris: readonly string[]): Promise<{ runs: TestFileRun[]; failures: FileFailure[] }> {
  const runs: TestFileRun[] = [];
  const failures: FileFailure[] = [];
  for (const uri of new Set(uris)) {
    const path = filePathOf(uri);
    const source = path === undefined ? `${uri} is not a file on disk: a test file's prompt and baselines are found beside it.` : await loadTestFileSource(server, uri).catch(messageOf);
    if (typeof source === 'string' || path === undefined) {
      failures.push({ file: uri, problems: [{ code: 'test-file-unreadable', message: String(source), span: { start: 0, end: 0 }, severity: 'error' }] });
      continue;
    }
    const run = testFileRunOf(uri, path, source.ctx.testFile, source.check);
    if ('problems' in run) failures.push(run);
    else runs.push(run);
  }
  return { runs, failures };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
