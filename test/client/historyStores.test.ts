import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parsePgUrl } from 'pg-connection-string';
import { parseHistoryUrl } from '../../core/history/historyUrl';
import { displayStoreUrl, historyStoresEnvironment, splitPassword, userLevelStores, withPassword } from '../../client/src/historyStores';

describe('splitPassword', () => {
  test('a Postgres URL loses only its password, the rest byte for byte', () => {
    assert.deepEqual(splitPassword('postgres://app:s3cr%40t@db.internal:5432/chat?table=message_store&readonly=1'), {
      url: 'postgres://app@db.internal:5432/chat?table=message_store&readonly=1',
      password: 's3cr%40t',
    });
  });

  test('a Redis URL with a password and no user keeps no empty user part', () => {
    assert.deepEqual(splitPassword('redis://:hunter2@127.0.0.1:6379/0?prefix=chat:'), { url: 'redis://127.0.0.1:6379/0?prefix=chat:', password: 'hunter2' });
  });

  test('a raw @ in a password stays in the password (the last @ ends the user part)', () => {
    assert.deepEqual(splitPassword('rediss://u:p@ss@host/0'), { url: 'rediss://u@host/0', password: 'p@ss' });
  });

  test('URLs without a password are unchanged', () => {
    for (const url of ['sqlite:chat.db', 'file:history.json', 'redis://host:6379', 'postgres://app@db/chat', 'postgres://app:@db/chat']) {
      assert.deepEqual(splitPassword(url), { url });
    }
  });
});

describe('splitPassword: the password found as core finds it, whatever it holds', () => {
  test('a raw / ? # in the password is moved out of the settings, and comes back byte for byte', () => {
    for (const mark of ['/', '?', '#']) {
      const url = `redis://u:s3${mark}cret@host/0`;
      const split = splitPassword(url);
      assert.deepEqual(split, { url: 'redis://u@host/0', password: `s3${mark}cret` });
      assert.equal(withPassword(split.url, split.password), url);
      assert.ok(!displayStoreUrl(url).includes('cret'), displayStoreUrl(url));
    }
  });

  test('a password= parameter is moved like a userinfo one, and the driver reads the same password', () => {
    const url = 'postgres://app@db/chat?password=s3%2Bc+r%26t&sslmode=require';
    const split = splitPassword(url);
    assert.deepEqual(split, { url: 'postgres://app@db/chat?sslmode=require', password: encodeURIComponent('s3+c r&t') });
    const restored = withPassword(split.url, split.password);
    assert.equal(parsePgUrl(restored).password, parsePgUrl(url).password);
    assert.equal(parsePgUrl(restored).password, 's3+c r&t');
    assert.equal(parseHistoryUrl(restored, '/').display, 'postgres://app:***@db/chat?sslmode=require');
    assert.deepEqual(splitPassword('postgres://db/chat?table=t&password=x'), { url: 'postgres://db/chat?table=t', password: 'x' });
  });

  test('two passwords, or a bad escape in a parameter: left as written, with a problem that quotes nothing', () => {
    for (const url of ['postgres://app:one@db/chat?password=s3cret', 'postgres://db/chat?password=s3cret%zz']) {
      const split = splitPassword(url);
      assert.equal(split.url, url);
      assert.equal(split.password, undefined);
      assert.ok(split.problem && !split.problem.includes('s3cret'), split.problem);
    }
  });
});

describe('withPassword', () => {
  test('puts the stored password back where it was', () => {
    for (const url of ['postgres://app:s3cr%40t@db:5432/chat?table=t', 'redis://:hunter2@127.0.0.1:6379/0', 'rediss://u:p@ss@host/0']) {
      const split = splitPassword(url);
      assert.equal(withPassword(split.url, split.password), url);
    }
  });

  test('a URL that holds its own password keeps it; no password changes nothing', () => {
    assert.equal(withPassword('redis://:own@host', 'stored'), 'redis://:own@host');
    assert.equal(withPassword('redis://host', undefined), 'redis://host');
    assert.equal(withPassword('sqlite:chat.db', 'stored'), 'sqlite:chat.db');
  });
});

describe('userLevelStores', () => {
  test('only the user-level value counts; bad entries are named, not used', () => {
    const { stores, problems } = userLevelStores({
      globalValue: { team: ' redis://host ', 'bad name': 'redis://x', empty: '', number: 3 },
      workspaceValue: { evil: 'redis://attacker' },
    } as { globalValue?: unknown });
    assert.deepEqual(stores, { team: 'redis://host' });
    assert.equal(problems.length, 3);
    assert.match(problems[0] ?? '', /"bad name" is not a store name/);
  });

  test('nothing set, or not an object', () => {
    assert.deepEqual(userLevelStores(undefined), { stores: {}, problems: [] });
    assert.equal(userLevelStores({ globalValue: ['redis://x'] }).problems.length, 1);
  });
});

describe('historyStoresEnvironment', () => {
  test('full URLs for the server, none when there are no stores', () => {
    const env = historyStoresEnvironment({ team: 'redis://127.0.0.1:6379', local: 'sqlite:chat.db' }, { team: 'hunter2' });
    assert.deepEqual(JSON.parse(env ?? ''), { team: 'redis://:hunter2@127.0.0.1:6379', local: 'sqlite:chat.db' });
    assert.equal(historyStoresEnvironment({}, {}), undefined);
  });
});

test('displayStoreUrl never shows a password', () => {
  assert.equal(displayStoreUrl('postgres://app:s3cr%40t@db/chat'), 'postgres://app:***@db/chat');
  assert.equal(displayStoreUrl('redis://host'), 'redis://host');
});

test('displayStoreUrl hides a password parameter too', () => {
  assert.equal(displayStoreUrl('postgres://db/chat?password=hunter2&table=t'), 'postgres://db/chat?password=***&table=t');
});
