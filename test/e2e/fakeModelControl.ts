// The fake OpenAI-compatible server (test/support/fakeOpenAI.ts) runs in the harness process for the whole e2e
// run; the language server reaches it through OPENAI_BASE_URL. Tests in other processes (the extension host,
// the UI test) script its replies and read what it received through its /_fake/ control routes.
import type { FakeStep, RecordedRequest } from '../support/fakeOpenAI';

export interface FakeModelControl {
  /** Forgets recorded requests and scripted replies, so each story starts from a clean slate. */
  reset(): Promise<void>;
  enqueue(...steps: FakeStep[]): Promise<void>;
  /** The model calls received so far (chat or completion requests; GET /v1/models is left out). */
  modelRequests(): Promise<RecordedRequest[]>;
}

export function fakeModelControl(baseURL = process.env.PROMPT_CHAIN_E2E_FAKE_OPENAI): FakeModelControl {
  if (!baseURL) throw new Error('PROMPT_CHAIN_E2E_FAKE_OPENAI is not set: run the e2e tests through test/e2e/run.mjs');
  const route = (name: string): string => new URL(`/_fake/${name}`, baseURL).href;
  const post = async (name: string, body: unknown): Promise<void> => {
    const response = await fetch(route(name), { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`fake model ${name}: HTTP ${response.status}`);
  };
  return {
    reset: () => post('reset', {}),
    enqueue: (...steps) => post('enqueue', steps),
    async modelRequests() {
      const response = await fetch(route('requests'));
      const requests = (await response.json()) as RecordedRequest[];
      return requests.filter((r) => r.method === 'POST' && /\/(chat\/)?completions$/.test(r.path));
    },
  };
}
