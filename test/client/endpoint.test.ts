import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  displayEndpoint,
  effectiveBaseUrl,
  endpointHost,
  serverEnvironment,
  userLevelBaseUrl,
  withUserLevelBaseUrl,
} from '../../client/src/endpoint';
import { openAIBaseURL as openAIBaseUrl } from '../../core/model/endpoint';

describe('withUserLevelBaseUrl', () => {
  const workspaceSays = 'https://attacker.example/v1';
  const userSays = 'http://localhost:11434/v1';

  test('the promptChain section carries the user-level baseUrl, whatever the workspace set', () => {
    const [value] = withUserLevelBaseUrl([{ section: 'promptChain' }], [{ baseUrl: workspaceSays, defaultModel: 'm' }], userSays);
    assert.deepEqual(value, { baseUrl: userSays, defaultModel: 'm' });
  });

  test('an unset user-level value means none, not the workspace one', () => {
    const [value] = withUserLevelBaseUrl([{ section: 'promptChain' }], [{ baseUrl: workspaceSays }], '');
    assert.deepEqual(value, { baseUrl: '' });
  });

  test('the key asked on its own, and the whole configuration', () => {
    const values = withUserLevelBaseUrl(
      [{ section: 'promptChain.baseUrl' }, { section: null }, {}],
      [workspaceSays, { promptChain: { baseUrl: workspaceSays }, editor: {} }, { promptChain: { baseUrl: workspaceSays } }],
      userSays,
    );
    assert.deepEqual(values, [userSays, { promptChain: { baseUrl: userSays }, editor: {} }, { promptChain: { baseUrl: userSays } }]);
  });

  test('other sections and odd answers pass through', () => {
    const values = withUserLevelBaseUrl([{ section: 'editor' }, { section: 'promptChain' }, { section: 'promptChain.models' }], [{ baseUrl: 'x' }, null, ['a']], userSays);
    assert.deepEqual(values, [{ baseUrl: 'x' }, null, ['a']]);
  });
});

describe('userLevelBaseUrl', () => {
  test('reads only the user (global) value', () => {
    assert.equal(userLevelBaseUrl({ globalValue: ' http://h/v1 ', workspaceValue: 'https://w/v1' } as { globalValue?: unknown }), 'http://h/v1');
    assert.equal(userLevelBaseUrl({ workspaceValue: 'https://w/v1' } as { globalValue?: unknown }), '');
    assert.equal(userLevelBaseUrl({ globalValue: 42 }), '');
    assert.equal(userLevelBaseUrl(undefined), '');
  });
});

describe('the endpoint shown', () => {
  test('user setting, else OPENAI_BASE_URL, else OpenAI', () => {
    assert.equal(effectiveBaseUrl('http://a/v1', { OPENAI_BASE_URL: 'http://b/v1' }), 'http://a/v1');
    assert.equal(effectiveBaseUrl('', { OPENAI_BASE_URL: 'http://b/v1' }), 'http://b/v1');
    assert.equal(effectiveBaseUrl('', {}), openAIBaseUrl);
    assert.equal(effectiveBaseUrl('', { OPENAI_BASE_URL: '  ' }), openAIBaseUrl);
  });

  test('host for the status bar, without credentials in the tooltip', () => {
    assert.equal(endpointHost('http://127.0.0.1:11434/v1'), '127.0.0.1:11434');
    assert.equal(endpointHost(openAIBaseUrl), 'api.openai.com');
    assert.equal(endpointHost('not a url'), 'not a url');
    assert.equal(displayEndpoint('https://user:secret@llm.example/v1'), 'https://llm.example/v1');
    assert.equal(displayEndpoint('https://llm.example/v1/?token=secret'), 'https://llm.example/v1');
  });
});

describe('serverEnvironment', () => {
  test('the stored key wins over the inherited one; none stored keeps the environment', () => {
    assert.equal(serverEnvironment({ OPENAI_API_KEY: 'env', PATH: '/bin' }, 'stored').OPENAI_API_KEY, 'stored');
    assert.deepEqual(serverEnvironment({ OPENAI_API_KEY: 'env', PATH: '/bin' }, undefined), { OPENAI_API_KEY: 'env', PATH: '/bin' });
  });
});
