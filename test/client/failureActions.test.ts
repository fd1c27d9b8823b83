import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver';
import type { FailureData } from '../../server/src/protocol';
import { failureActions, retryAfterNote, settingNote } from '../../client/src/failureActions';
import { failureOf, isFailureData } from '../../client/src/errorMessage';

const baseUrlSetting = { kind: 'setting', name: 'promptChain.baseUrl' } as const;
const ids = (data: FailureData | undefined) => failureActions(data).map((action) => action.id);

describe('failureActions', () => {
  test('each kind gets its way out', () => {
    assert.deepEqual(ids({ kind: 'auth' }), ['setApiKey']);
    assert.deepEqual(ids({ kind: 'endpoint', setting: baseUrlSetting }), ['retry', 'openSettings']);
    assert.deepEqual(ids({ kind: 'model', setting: { kind: 'setting', name: 'promptChain.defaultModel' } }), ['selectModel', 'openSettings']);
    assert.deepEqual(ids({ kind: 'rate-limit', retryAfterMs: 2000 }), ['retry']);
    assert.deepEqual(ids({ kind: 'timeout' }), ['retry']);
    assert.deepEqual(ids({ kind: 'file-has-errors', diagnostics: [] }), ['showProblems']);
    assert.deepEqual(ids({ kind: 'input' }), []);
    assert.deepEqual(ids({ kind: 'cancelled' }), []);
    assert.deepEqual(ids(undefined), [], 'no kind, no guess from the words');
  });

  test('a shared history failure offers what its reason needs: a session, the stores setting, a retry', () => {
    assert.deepEqual(ids({ kind: 'history', reason: 'no-session' }), ['pickSession']);
    assert.deepEqual(ids({ kind: 'history', reason: 'unknown-store' }), ['pickSession', 'openSettings']);
    assert.equal(failureActions({ kind: 'history', reason: 'auth' })[0]?.setting, 'promptChain.historyStores');
    assert.deepEqual(ids({ kind: 'history', reason: 'unreachable' }), ['retry', 'pickSession']);
    assert.deepEqual(ids({ kind: 'history', reason: 'untrusted' }), []);
    assert.deepEqual(ids({ kind: 'history' }), []);
  });

  test('a local model failure offers the runtime install, a retry of the download, or the model setting', () => {
    assert.deepEqual(ids({ kind: 'local', reason: 'local-runtime' }), ['installLocalRuntime', 'selectModel']);
    assert.deepEqual(ids({ kind: 'local', reason: 'local-download' }), ['retry', 'openSettings']);
    assert.equal(failureActions({ kind: 'local', reason: 'local-model' })[0]?.setting, 'promptChain.localModel');
    assert.deepEqual(ids({ kind: 'local' }), []);
  });

  test('Open Settings goes to the setting that holds the value; a variable or a flag is named instead', () => {
    assert.deepEqual(failureActions({ kind: 'endpoint', setting: baseUrlSetting })[1], { id: 'openSettings', label: 'Open Settings (promptChain.baseUrl)', setting: 'promptChain.baseUrl' });
    const fromEnvironment: FailureData = { kind: 'endpoint', setting: { kind: 'environment', name: 'OPENAI_BASE_URL' } };
    assert.deepEqual(ids(fromEnvironment), ['retry']);
    assert.match(settingNote(fromEnvironment) ?? '', /^OPENAI_BASE_URL comes from the environment VS Code was started with/);
    assert.match(settingNote({ kind: 'endpoint', setting: { kind: 'flag', name: '--base-url' } }) ?? '', /--base-url was given on the command line/);
    assert.equal(settingNote({ kind: 'endpoint', setting: baseUrlSetting }), undefined);
  });

  test('a rate limit says how long to wait when the endpoint said', () => {
    assert.equal(retryAfterNote({ kind: 'rate-limit', retryAfterMs: 1500 }), 'The endpoint asked to wait 2 s before retrying.');
    assert.equal(retryAfterNote({ kind: 'rate-limit' }), undefined);
  });
});

describe('failureOf', () => {
  test("reads the kind from the LSP error's data, not from its message", () => {
    const error = new ResponseError(-32803, 'Could not reach http://127.0.0.1:9/v1 (connection refused). Check promptChain.baseUrl.', { kind: 'endpoint', setting: baseUrlSetting });
    assert.deepEqual(failureOf(error), { message: error.message, data: { kind: 'endpoint', setting: baseUrlSetting } });
    const noKind = failureOf(new ResponseError(-32803, 'The API key was rejected.'));
    assert.equal(noKind.data, undefined);
    assert.deepEqual(failureActions(noKind.data), [], 'an "API key" in the text alone offers nothing');
  });

  test('data of the wrong shape is no FailureData', () => {
    for (const junk of [null, 'auth', { kind: 'nope' }, { kind: 'auth', reason: 3 }, { kind: 'endpoint', setting: { kind: 'setting' } }, { kind: 'endpoint', setting: { kind: 'registry', name: 'x' } }]) {
      assert.equal(isFailureData(junk), false, JSON.stringify(junk));
    }
    assert.equal(isFailureData({ kind: 'file-has-errors', diagnostics: [] }), true);
  });
});
