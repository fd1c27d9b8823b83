// The server's record of which shared history each file is attached to: decided by core's decider, kept in
// the state folder across restarts, the file's own memory.history winning over an older pick.

import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HistoryAttachments } from '../../server/src/historyAttachments';
import { HistoryStoreError } from '../../core/history/types';

const uri = 'file:///w/chat.prompt';

describe('HistoryAttachments', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const warnings: string[] = [];
  const open = (trusted = true) => new HistoryAttachments(env, trusted, dir, (message) => warnings.push(message));
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'prompt-chain-attachments-'));
    env = { PROMPT_CHAIN_HISTORY_STORES: JSON.stringify({ team: 'sqlite:team.db', other: 'file:other.json', guarded: 'redis://:pw-123@h:6379' }) };
    warnings.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a pick is kept across a restart, with names and session ids only', () => {
    open().attach(uri, undefined, 'guarded', 's-1', dir);
    const decided = open().decide(uri, undefined, dir);
    assert.deepEqual(decided?.view, { store: 'guarded', display: 'redis://:***@h:6379', sessionId: 's-1', readonly: false, source: 'attached' });
    const saved = readFileSync(path.join(dir, 'history-attachments.json'), 'utf8');
    assert.deepEqual(JSON.parse(saved), { [uri]: { store: 'guarded', sessionId: 's-1' } });
    assert.ok(!saved.includes('pw-123'));
  });

  test('the file names the store: an older pick of another store is not used', () => {
    const attachments = open();
    attachments.attach(uri, undefined, 'other', 'default', dir);
    assert.throws(() => attachments.decide(uri, 'team', dir), (error: HistoryStoreError) => error.kind === 'no-session');
    attachments.attach(uri, 'team', 'team', 'alpha', dir);
    assert.equal(attachments.decide(uri, 'team', dir)?.view.source, 'file');
  });

  test('untrusted: nothing is attached until trust is granted; a local file stays local', () => {
    const attachments = open(false);
    assert.throws(() => attachments.attach(uri, undefined, 'team', 'a', dir), (error: HistoryStoreError) => error.kind === 'untrusted');
    assert.equal(attachments.decide(uri, undefined, dir), undefined);
    attachments.trust();
    attachments.attach(uri, undefined, 'team', 'a', dir);
    assert.equal(attachments.decide(uri, undefined, dir)?.sessionId, 'a');
  });

  test('a damaged saved file is said once and starts empty; bad store JSON refuses every shared history', () => {
    writeFileSync(path.join(dir, 'history-attachments.json'), '{not json');
    assert.equal(open().decide(uri, undefined, dir), undefined);
    assert.match(warnings[0] ?? '', /not a saved list of history sessions/);
    env = { PROMPT_CHAIN_HISTORY_STORES: '{"team": ' };
    const broken = open();
    assert.ok(warnings.some((warning) => /PROMPT_CHAIN_HISTORY_STORES is not JSON/.test(warning)), warnings.join('\n'));
    assert.throws(() => broken.decide(uri, 'team', dir), (error: HistoryStoreError) => error.kind === 'invalid-url');
  });

  test("the store list never shows a password holding / ? # @ or :, nor an unparseable URL's text", () => {
    env = { PROMPT_CHAIN_HISTORY_STORES: JSON.stringify({ slash: 'redis://u:pw/123@h:6379/0', colons: 'redis://u:pw@1:23@h:6379', broken: 'redis://u:pw-123@[h' }) };
    const views = open().storeViews(dir);
    assert.deepEqual(views.find((view) => view.name === 'colons')?.display, 'redis://u:***@h:6379');
    for (const view of views) assert.ok(!/pw|123/.test(view.display), view.display);
    assert.match(views.find((view) => view.name === 'slash')?.display ?? '', /^\(not a usable URL: Invalid history URL `redis:\/\/\*\*\*`: .*percent-encode/);
    assert.match(views.find((view) => view.name === 'broken')?.display ?? '', /`redis:\/\/\*\*\*`: not a valid URL/);
  });

  test('a blank or huge session id is refused', () => {
    assert.throws(() => open().attach(uri, undefined, 'team', ' ', dir), (error: HistoryStoreError) => error.kind === 'no-session');
    assert.throws(() => open().attach(uri, undefined, 'team', 'x'.repeat(1001), dir), (error: HistoryStoreError) => error.kind === 'no-session');
  });
});
