import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { modelPicks, otherModel } from '../../client/src/modelPicks';

const labels = (items: { label: string; separator?: true }[]) => items.filter((item) => !item.separator).map((item) => item.label);

describe('modelPicks', () => {
  test('the endpoint\'s models, the current one marked and active, with a heading naming the endpoint', () => {
    const picks = modelPicks({ models: ['llama3.2', 'qwen2.5'], source: 'endpoint' }, 'qwen2.5', 'http://localhost:11434/v1');
    assert.equal(picks.title, 'Prompt Chain: Select Model · models listed by http://localhost:11434/v1');
    assert.deepEqual(labels(picks.items), ['llama3.2', 'qwen2.5', otherModel]);
    assert.deepEqual(picks.items.find((item) => item.label === 'qwen2.5'), { label: 'qwen2.5', description: 'current', active: true });
    assert.deepEqual(picks.items[0], { label: 'models listed by http://localhost:11434/v1', separator: true });
  });

  test('a current model the list lacks stays pickable, above the list', () => {
    const picks = modelPicks({ models: ['llama3.2'], source: 'endpoint' }, 'my-fine-tune', undefined);
    assert.deepEqual(picks.items[0], { label: 'my-fine-tune', description: 'current · not in this list', active: true });
    assert.deepEqual(labels(picks.items), ['my-fine-tune', 'llama3.2', otherModel]);
  });

  test('the settings\' list says so, and why: the endpoint lists none, or the server did not answer', () => {
    const listed = { models: ['gpt-4o-mini'], source: 'settings' as const };
    assert.match(modelPicks(listed, 'gpt-4o-mini', 'https://api.openai.com/v1').title, /from the promptChain\.models setting \(the endpoint lists none\)$/);
    const failed = modelPicks(listed, undefined, undefined, 'connection refused');
    assert.match(failed.title, /the language server did not answer: connection refused/);
    assert.equal(failed.items.some((item) => item.active), false, 'no current model when the server could not say');
  });
});
