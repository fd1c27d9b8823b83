import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { modelStatusText, sourceText, unknownStatusText } from '../../client/src/modelStatusText';

describe('modelStatusText', () => {
  test('labelled, with the model and the host of the endpoint the server named', () => {
    const status = modelStatusText('chatbot.prompt', {
      model: 'gpt-4o-mini',
      endpoint: { label: 'http://localhost:11434/v1', source: { kind: 'setting', name: 'promptChain.baseUrl' } },
    });
    assert.equal(status.text, 'Prompt Chain: gpt-4o-mini · localhost:11434');
    assert.equal(
      status.tooltip,
      'Chat turns of chatbot.prompt use gpt-4o-mini at http://localhost:11434/v1 (from the promptChain.baseUrl user setting). Click to select the model.',
    );
  });

  test('an endpoint label that is already a host is shown as it is', () => {
    const status = modelStatusText('a.prompt', { model: 'm', endpoint: { label: 'api.openai.com', source: { kind: 'default', name: '' } } });
    assert.equal(status.text, 'Prompt Chain: m · api.openai.com');
  });

  test('each source is named as the user would look for it', () => {
    assert.equal(sourceText({ kind: 'environment', name: 'OPENAI_BASE_URL' }), 'from the OPENAI_BASE_URL environment variable');
    assert.equal(sourceText({ kind: 'flag', name: '--base-url' }), 'from --base-url');
    assert.equal(sourceText({ kind: 'default', name: 'promptChain.baseUrl' }), 'the default; set promptChain.baseUrl to change it');
    assert.equal(sourceText({ kind: 'default', name: '' }), 'the default');
  });

  test('when the server cannot answer, the item stays labelled and says why', () => {
    assert.deepEqual(unknownStatusText('a.prompt', 'the server is starting'), {
      text: 'Prompt Chain',
      tooltip: 'Prompt Chain could not tell the model of a.prompt: the server is starting',
    });
  });
});
