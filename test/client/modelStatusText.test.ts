import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sourceClause } from '../../core/model/settingSource';
import { historyStatusText, modelStatusText, unknownStatusText } from '../../client/src/modelStatusText';

describe('modelStatusText', () => {
  test('labelled, with the model and the host of the endpoint the server named', () => {
    const status = modelStatusText('chatbot.prompt', {
      model: 'gpt-4o-mini',
      endpoint: { label: 'http://localhost:11434/v1', source: { kind: 'setting', name: 'promptChain.baseUrl' } },
    });
    assert.equal(status.text, 'Prompt Chain: gpt-4o-mini · localhost:11434');
    assert.equal(
      status.tooltip,
      'Chat turns of chatbot.prompt use gpt-4o-mini at http://localhost:11434/v1 (from the promptChain.baseUrl setting). Click to select the model.',
    );
  });

  test('an endpoint label that is already a host is shown as it is', () => {
    const status = modelStatusText('a.prompt', { model: 'm', endpoint: { label: 'api.openai.com', source: { kind: 'default', name: '' } } });
    assert.equal(status.text, 'Prompt Chain: m · api.openai.com');
  });

  test('each source is named as the user would look for it, in the words of the server\'s messages', () => {
    assert.equal(sourceClause({ kind: 'environment', name: 'OPENAI_BASE_URL' }), 'from OPENAI_BASE_URL');
    assert.equal(sourceClause({ kind: 'flag', name: '--base-url' }), 'from --base-url');
    assert.equal(sourceClause({ kind: 'setting', name: 'promptChain.baseUrl' }), 'from the promptChain.baseUrl setting');
    assert.equal(sourceClause({ kind: 'default', name: 'promptChain.baseUrl' }), 'the default; set the promptChain.baseUrl setting to change it');
    assert.equal(sourceClause({ kind: 'default', name: '' }), 'the default');
  });

  test('when the server cannot answer, the item stays labelled and says why', () => {
    assert.deepEqual(unknownStatusText('a.prompt', 'the server is starting'), {
      text: 'Prompt Chain',
      tooltip: 'Prompt Chain could not tell the model of a.prompt: the server is starting',
    });
  });
});

describe('historyStatusText', () => {
  const history = { store: 'team', display: 'redis://127.0.0.1:6379', sessionId: '8f3c2a1b-9d04-4f6e-a1b2-c3d4e5f60718', readonly: false, source: 'attached' as const };

  test('store and the start of the session; the whole id and URL in the tooltip', () => {
    const status = historyStatusText('chat.prompt', { history });
    assert.equal(status?.text, '$(database) team · 8f3c2a1b-9d0…');
    assert.match(status?.tooltip ?? '', /session 8f3c2a1b-9d04-4f6e-a1b2-c3d4e5f60718 of team \(redis:\/\/127\.0\.0\.1:6379\), attached to chat\.prompt/);
  });

  test('nothing for the local conversation; the problem when the file names a store that cannot be used', () => {
    assert.equal(historyStatusText('chat.prompt', { history: null }), undefined);
    const status = historyStatusText('chat.prompt', { history: null, historyProblem: 'chat.prompt names history store team; pick a session.' });
    assert.match(status?.tooltip ?? '', /names history store team/);
  });
});
