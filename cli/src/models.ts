// `prompt-chain models [--base-url URL] [--json]`: the models the endpoint lists (GET /models), by the
// same call the language server's promptChain.listModels makes (core/model/listModels.ts), one per line;
// with no endpoint and no key configured, the local models turns run on instead (`local`, then the cache).
// A failure is the endpoint's one-line error with its kind, as for `run`: a script asked for this list.
// `models pull|list|rm` manage the cache of local model files instead (localModels.ts).

import { failureOf } from '../../core/chain/failure';
import { resolveEndpoint } from '../../core/model/endpoint';
import { listEndpointModels } from '../../core/model/listModels';
import { localModelChoices, localModelsDir } from '../../core/model/local/cache';
import { has, nonEmptyValueOf, parseArgs, UsageError } from './args';
import { isLocalModelAction, localModelActions, localModelsCommand } from './localModels';
import { ExitCode, json, type Io } from './output';
import { commandUsage } from './usage';

export async function modelsCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [{ name: 'base-url', value: true }, { name: 'json' }, { name: 'help', short: 'h' }]);
  if (has(args, 'help')) {
    io.out(`${commandUsage.models}\n`);
    return ExitCode.ok;
  }
  const [action, ...names] = args.positionals;
  if (isLocalModelAction(action)) {
    if (has(args, 'base-url')) throw new UsageError(`--base-url goes with the endpoint's list (prompt-chain models), not with models ${action}`);
    return localModelsCommand(action, names, args, io);
  }
  if (action !== undefined) throw new UsageError(`unknown models action "${action}" (${localModelActions.join(', ')}; none lists the endpoint's models)`);
  const baseUrl = nonEmptyValueOf(args, 'base-url', 'a URL');
  const endpoint = resolveEndpoint({ baseUrl, baseUrlSource: { kind: 'flag', name: '--base-url' }, env: io.env });
  if (endpoint.problem?.kind === 'bad-url') throw new UsageError(endpoint.problem.message);
  const asJson = has(args, 'json');
  try {
    // No endpoint configured: turns run in-process, so the list is the local models, as the editor's.
    const models = endpoint.local ? await localModelChoices(localModelsDir(io.env)) : await listEndpointModels(endpoint, { signal: io.signal });
    if (asJson) io.out(json({ models, source: 'endpoint' }));
    else if (models.length === 0) io.err(`${endpoint.label} lists no models\n`);
    else io.out(models.map((model) => `${model}\n`).join(''));
    return ExitCode.ok;
  } catch (error) {
    const failure = asJson ? failureOf(error, { endpoint: endpoint.source, apiKey: endpoint.keySource }) : undefined;
    if (failure) io.out(json({ error: failure }));
    throw error;
  }
}
