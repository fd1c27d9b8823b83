// Which store and session a run uses: the table of cases every host relies on.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAttachment, parseNamedStores, type AttachmentRequest } from '../../../core/history/attachment';
import { FILE_SESSION } from '../../../core/history/stores/file';
import { HistoryStoreError, type HistoryTarget } from '../../../core/history/types';

/** A stand-in for historyUrl.ts: enough to see which URL was chosen (the real parser is tested beside it). */
function parseUrl(text: string): HistoryTarget {
  const kind = text.startsWith('redis') ? 'redis' : text.startsWith('postgres') ? 'postgres' : text.startsWith('sqlite:') ? 'sqlite' : text.startsWith('file:') ? 'file' : undefined;
  if (!kind) throw new HistoryStoreError('invalid-url', 'not a history URL');
  return { kind, url: text, display: text.replace(/:[^:@/]*@/, ':***@'), options: { readonly: false } };
}

const stores = { team: 'redis://:pw@cache:6379', local: 'sqlite:/tmp/chat.db', notes: 'file:/tmp/h.json' };
const base: AttachmentRequest = { stores, trusted: true, parseUrl };

function kindOf(request: Partial<AttachmentRequest>): string {
  try {
    const attachment = decideAttachment({ ...base, ...request });
    return attachment.kind === 'local' ? 'local' : `${attachment.target.url} #${attachment.sessionId}${attachment.storeName ? ` (${attachment.storeName})` : ''}`;
  } catch (error) {
    assert.ok(error instanceof HistoryStoreError, String(error));
    return `error ${error.kind}`;
  }
}

describe('decideAttachment', () => {
  const cases: [string, Partial<AttachmentRequest>, string][] = [
    ['nothing named: the local store', {}, 'local'],
    ['nothing named, a session alone: still local', { sessionId: 's1' }, 'local'],
    ['the file names a store', { fileStore: 'team', sessionId: 's1' }, 'redis://:pw@cache:6379 #s1 (team)'],
    ['an explicit URL', { explicit: 'postgres://db/app', sessionId: 'u' }, 'postgres://db/app #u'],
    ['an explicit URL wins over the file', { fileStore: 'team', explicit: 'sqlite:/x.db', sessionId: 'a' }, 'sqlite:/x.db #a'],
    ['an explicit name wins over the file', { fileStore: 'team', explicit: 'local', sessionId: 'a' }, 'sqlite:/tmp/chat.db #a (local)'],
    ['a blank explicit value is no choice', { fileStore: 'team', explicit: '  ', sessionId: 'a' }, 'redis://:pw@cache:6379 #a (team)'],
    ['an unknown file name', { fileStore: 'prod', sessionId: 's' }, 'error unknown-store'],
    ['an unknown explicit name', { explicit: 'prod', sessionId: 's' }, 'error unknown-store'],
    ['an inherited property is no store', { fileStore: 'constructor', sessionId: 's' }, 'error unknown-store'],
    ['a URL in the file is refused (the parser reports it too)', { fileStore: 'redis://h', sessionId: 's' }, 'error unknown-store'],
    ['a bad explicit URL', { explicit: 'mysql://h', sessionId: 's' }, 'error invalid-url'],
    ['no session for a store', { fileStore: 'team' }, 'error no-session'],
    ['a blank session is none', { explicit: 'postgres://db', sessionId: ' ' }, 'error no-session'],
    ['a file history needs no session', { fileStore: 'notes' }, `file:/tmp/h.json #${FILE_SESSION} (notes)`],
    ['untrusted: the file cannot attach', { fileStore: 'team', sessionId: 's', trusted: false }, 'error untrusted'],
    ['untrusted: nor a pick', { explicit: 'team', sessionId: 's', trusted: false }, 'error untrusted'],
    ['untrusted and nothing named: local', { trusted: false }, 'local'],
  ];
  for (const [name, request, expected] of cases) test(name, () => assert.equal(kindOf(request), expected));

  test('messages name the store by its name or display form, never the password', () => {
    for (const request of [{ fileStore: 'team', trusted: false }, { explicit: 'redis://:pw@h', trusted: false }, { fileStore: 'team' }, { explicit: 'redis://:pw@h' }]) {
      try {
        decideAttachment({ ...base, ...request });
        assert.fail('expected a refusal');
      } catch (error) {
        assert.ok(error instanceof HistoryStoreError);
        assert.ok(!error.message.includes('pw'), error.message);
        assert.ok(!error.message.includes('\n'));
      }
    }
  });

  test('an unknown name lists the configured ones and says where to add one', () => {
    assert.throws(() => decideAttachment({ ...base, fileStore: 'prod', sessionId: 's' }), /No history store is named "prod".*"team", "local", "notes".*PROMPT_CHAIN_HISTORY_STORES/);
    assert.throws(() => decideAttachment({ ...base, stores: {}, fileStore: 'prod', sessionId: 's' }), /no store is configured/);
  });
});

describe('parseNamedStores', () => {
  test('a JSON object of names to URLs', () => {
    assert.deepEqual(parseNamedStores('{"team": "redis://h", "a.b-c_1": "sqlite:x.db"}', 'PROMPT_CHAIN_HISTORY_STORES'), { team: 'redis://h', 'a.b-c_1': 'sqlite:x.db' });
    assert.deepEqual(parseNamedStores(undefined, 'X'), {});
    assert.deepEqual(parseNamedStores(' ', 'X'), {});
  });

  for (const [json, pattern] of [
    ['{"team": "redis://:pw@h"', /is not JSON/],
    ['["redis://:pw@h"]', /must be a JSON object/],
    ['{"bad name": "redis://:pw@h"}', /store name "bad name"/],
    ['{"team": 3}', /must map to a URL string/],
  ] as const) {
    test(`refuses ${json} in one line without echoing a URL`, () => {
      assert.throws(() => parseNamedStores(json, 'PROMPT_CHAIN_HISTORY_STORES'), (error: unknown) => error instanceof HistoryStoreError && error.kind === 'invalid-url' && pattern.test(error.message) && !error.message.includes('pw@'));
    });
  }
});
