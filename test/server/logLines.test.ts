// The server's log lines quote settings, paths and servers' errors; a server started by hand with --stdio
// shows them on a terminal, so they carry no raw control characters.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServerBuilt, hangGuardMs, LspClient } from './lspClient';

describe('server log lines', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  before(() => ensureServerBuilt());
  after(() => client?.stop());

  test('a warning quoting a hostile value shows its control characters escaped', async () => {
    // JSON.stringify in the warning escapes ESC and BEL itself, but leaves the C1 CSI and the bidi override raw.
    client = await LspClient.start({ initializationOptions: { stateDir: 'relative\x9b2J\u202e\x1b]0;t\x07' } });
    const warning = await client.logs.waitFor((log) => log.message.includes('initializationOptions.stateDir'));
    assert.ok(warning.message.includes('got "relative\\x9b2J\\u202e\\u001b]0;t\\u0007"'), warning.message);
    assert.doesNotMatch(warning.message, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  });
});
