import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Memento } from 'vscode';
import type { TurnInputsResult } from '../../server/src/protocol';
import { inputsView, isTurnInputsResult, rememberedValues, rememberValues, turnRefusal, turnVariables } from '../../client/src/turnInputs';

const error = { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 9 } }, message: '{history} is not the memory key', severity: 1 as const };
const inputs: TurnInputsResult = {
  inputKey: 'human_input',
  variables: [{ name: 'persona', required: true }, { name: 'tone', required: false }],
  errors: [],
  model: 'gpt-4o-mini',
  endpoint: { label: 'http://127.0.0.1:11434/v1', source: { kind: 'setting', name: 'promptChain.baseUrl' } },
};

function memento(): Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? values.get(key) : fallback) as T,
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as Memento;
}

describe('turn inputs', () => {
  test('a file with errors is refused with the number of problems and Show Problems', () => {
    const refusal = turnRefusal({ ...inputs, errors: [error, error] }, { persona: 'pirate' }, 'broken.prompt');
    assert.equal(refusal?.message, 'broken.prompt has 2 problems to fix before a turn can run (see the Problems panel). Nothing was sent.');
    assert.deepEqual(refusal?.actions.map((action) => action.id), ['showProblems']);
  });

  test('a needed variable without a value is asked for; an optional one is not', () => {
    assert.match(turnRefusal(inputs, { persona: '  ' }, 'a.prompt')?.message ?? '', /^Give \{persona\} a value above the input box/);
    assert.equal(turnRefusal(inputs, { persona: 'pirate' }, 'a.prompt'), undefined);
  });

  test('the turn sends exactly the variables the engine takes, an empty optional one left out', () => {
    assert.deepEqual(turnVariables(inputs, { persona: 'pirate', tone: '', stale: 'x' }), { persona: 'pirate' });
    assert.deepEqual(turnVariables(inputs, { persona: 'pirate', tone: 'dry' }), { persona: 'pirate', tone: 'dry' });
  });

  test('values are remembered per file and come back in the form', async () => {
    const state = memento();
    await rememberValues(state, 'file:///a.prompt', { persona: 'pirate' });
    await rememberValues(state, 'file:///a.prompt', { tone: 'dry' });
    assert.deepEqual(rememberedValues(state, 'file:///a.prompt'), { persona: 'pirate', tone: 'dry' });
    assert.deepEqual(rememberedValues(state, 'file:///b.prompt'), {});
    const view = inputsView(inputs, rememberedValues(state, 'file:///a.prompt'));
    assert.deepEqual(view.variables, [{ name: 'persona', required: true, value: 'pirate' }, { name: 'tone', required: false, value: 'dry' }]);
    assert.equal(view.endpoint, 'http://127.0.0.1:11434/v1');
  });

  test("the server's answer is checked before it is used", () => {
    assert.equal(isTurnInputsResult(inputs), true);
    for (const junk of [null, {}, { ...inputs, variables: [{ name: 1 }] }, { ...inputs, inputKey: 3 }, { ...inputs, endpoint: 'x' }]) {
      assert.equal(isTurnInputsResult(junk), false, JSON.stringify(junk));
    }
  });
});
