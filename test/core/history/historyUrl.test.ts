import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHistoryUrl, passwordForms, redactUrl, urlCredentials } from '../../../core/history/historyUrl';
import { HistoryStoreError } from '../../../core/history/types';

const CWD = '/work/app';
const parse = (text: string) => parseHistoryUrl(text, CWD);

/** An invalid-url refusal: one line, matching `pattern`, never holding `secret`. */
function refused(text: string, pattern: RegExp, secret = 's3cret'): void {
  assert.throws(
    () => parse(text),
    (error: unknown) => {
      assert.ok(error instanceof HistoryStoreError, String(error));
      assert.equal(error.kind, 'invalid-url');
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes(secret), `the message shows the password: ${error.message}`);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
    text,
  );
}

describe('parseHistoryUrl: kinds and defaults', () => {
  test("Redis: Python's key prefix by default, none for LangChain.js", () => {
    const python = parse('redis://localhost:6379/0');
    assert.deepEqual([python.kind, python.options], ['redis', { readonly: false, prefix: 'message_store:' }]);
    assert.deepEqual(parse('rediss://cache.example.com?dialect=js').options, { readonly: false, dialect: 'js', prefix: '' });
    assert.deepEqual(parse('redis://h?prefix=chat:&ttl=3600&readonly=1').options, { readonly: true, prefix: 'chat:', ttl: 3600 });
  });

  test('Postgres: the table and the schema default; the driver keeps its own parameters', () => {
    assert.deepEqual(parse('postgres://u@db/app').options, { readonly: false, table: 'message_store', schema: 'langchain-postgres' });
    const community = parse('postgresql://u@db/app?table=chat_history&schema=community&sslmode=require');
    assert.deepEqual([community.kind, community.options], ['postgres', { readonly: false, table: 'chat_history', schema: 'community' }]);
    assert.equal(community.url, 'postgresql://u@db/app?table=chat_history&schema=community&sslmode=require');
  });

  test("SQLite paths as SQLAlchemy reads them: sqlite:///rel is relative, sqlite:////abs absolute", () => {
    assert.equal(parse('sqlite:///chat.db').path, '/work/app/chat.db');
    assert.equal(parse('sqlite:////var/lib/app/chat.db').path, '/var/lib/app/chat.db');
    assert.equal(parse('sqlite:data/chat.db').path, '/work/app/data/chat.db');
    assert.equal(parse('sqlite:/abs/chat.db').path, '/abs/chat.db');
    assert.deepEqual(parse('sqlite:chat.db?table=history&readonly=true').options, { readonly: true, table: 'history' });
  });

  test('file paths: file URLs, and plain paths relative to the folder', () => {
    assert.equal(parse('file:///home/me/chat%20log.json').path, '/home/me/chat log.json');
    assert.equal(parse('file://localhost/home/me/h.json').path, '/home/me/h.json');
    assert.equal(parse('file:history.json').path, '/work/app/history.json');
    assert.equal(parse('file:../shared/h.json?dialect=js').path, '/work/shared/h.json');
    assert.deepEqual(parse('file:h.json').options, { readonly: false });
  });

  test('readonly alone, and its spellings', () => {
    assert.equal(parse('file:h.json?readonly').options.readonly, true);
    assert.equal(parse('file:h.json?readonly=TRUE').options.readonly, true);
    assert.equal(parse('file:h.json?readonly=0').options.readonly, false);
  });
});

describe('parseHistoryUrl: the password is never shown', () => {
  test('display is the URL with the password as ***', () => {
    assert.equal(parse('redis://:s3cret@cache:6379/0').display, 'redis://:***@cache:6379/0');
    assert.equal(parse('postgres://app:s3cret@db:5432/chat?table=t').display, 'postgres://app:***@db:5432/chat?table=t');
    assert.equal(parse('postgres://app@db/chat?password=s3cret&sslmode=require').display, 'postgres://app@db/chat?password=***&sslmode=require');
    assert.equal(parse('redis://cache').display, 'redis://cache');
  });

  test('an unencoded @ in the password is still hidden', () => {
    assert.equal(redactUrl('redis://u:p@ss:s3cret@cache/0'), 'redis://u:***@cache/0');
  });

  test('refusals name the display form only', () => {
    refused('redis://:s3cret@cache?ttl=soon', /^Invalid history URL `redis:\/\/:\*\*\*@cache\?ttl=soon`: ttl must be a whole number of seconds above 0, not `soon`$/);
    refused('mysql://root:s3cret@db/app', /expected redis:\/\/, rediss:\/\/, postgres:\/\/, postgresql:\/\/, sqlite:PATH or file:PATH/);
    refused('redis://:s3cret@cache?table=t', /unknown option `table` for a redis store \(known: prefix, dialect, ttl, readonly\)/);
    refused('postgres://u:s3cret@db/app?prefix=x', /unknown option `prefix` for a postgres store \(known: table, schema, dialect, readonly\)/);
    refused('redis://u:s3cret@cache:port/0', /^Invalid history URL `redis:\/\/\*\*\*`: not a valid URL/);
  });
});

describe('urlCredentials: a password holding / ? # @ : is found, shown as ***, and read as the drivers read it', () => {
  // Each password would break a reading of the authority that stops at the first / ? or #.
  for (const mark of ['/', '?', '#']) {
    test(`a raw ${mark}: hidden everywhere, and refused with a message to percent-encode it`, () => {
      const url = `redis://u:s3${mark}cret@cache/0`;
      assert.equal(urlCredentials(url)?.password, `s3${mark}cret`);
      // URL parsers read host `u` with port `s3`, which is no port: nothing but the scheme is shown.
      assert.equal(redactUrl(url), 'redis://***');
      refused(url, /^Invalid history URL `redis:\/\/\*\*\*`: .*percent-encode them \(\/ as %2F, \? as %3F, # as %23, @ as %40\)$/, 'cret');
      // Percent-encoded, it parses, and the driver reads the password the user meant.
      const target = parse(`redis://u:s3${encodeURIComponent(mark)}cret@cache/0`);
      assert.equal(decodeURIComponent(new URL(target.url).password), `s3${mark}cret`);
      assert.equal(target.display, 'redis://u:***@cache/0');
    });
  }

  test('a raw @ and : parse: the last @ ends the userinfo, the first : starts the password', () => {
    const target = parse('postgres://app:s3@c:ret@db:5432/chat');
    assert.equal(target.display, 'postgres://app:***@db:5432/chat');
    const parsed = new URL(target.url);
    assert.deepEqual([parsed.username, decodeURIComponent(parsed.password), parsed.host], ['app', 's3@c:ret', 'db:5432']);
  });

  test('redis://u:12/34@h, which URL parsers read as host u port 12, is refused, not sent to host u', () => {
    assert.equal(redactUrl('redis://u:12/34@h'), 'redis://u:***@h');
    refused('redis://u:12/34@h', /percent-encode/, '12/34');
  });

  test('a % that is not an escape is refused (the drivers would throw on it)', () => {
    refused('redis://u:50%cret@cache', /write % as %25$/, 'cret');
    refused('postgres://db/app?password=50%zzcret', /bad percent-escape in the value of `password`$/, 'cret');
    // A raw ? in the password is not read as the start of a query (whose options would be quoted).
    refused('redis://u:s3?cret=1@cache', /percent-encode/, 'cret');
  });

  test('a URL that cannot be parsed shows only its scheme and ***', () => {
    assert.equal(redactUrl('redis://u:s3cret@[bad/0'), 'redis://***');
    assert.equal(redactUrl('postgres://db:99999999/app?password=s3cret'), 'postgres://***');
    refused('redis://u:s3cret@[bad/0', /^Invalid history URL `redis:\/\/\*\*\*`: not a valid URL/);
  });

  test('sqlite: and file: take no userinfo; an @ in their path is a path', () => {
    refused('file://u:s3cret@localhost/h.json', /a file: URL takes no user or password/);
    refused('sqlite://u:s3cret@host/chat.db', /a sqlite: URL takes no user or password/);
    assert.equal(parse('sqlite:///data/a@b.db').path, '/work/app/data/a@b.db');
    assert.equal(parse('sqlite:///data/a@b.db').display, 'sqlite:///data/a@b.db');
  });

  test("passwordForms: as written, decoded, and as WHATWG's parser encodes it, longest first", () => {
    assert.deepEqual(passwordForms('redis://u:s3%2Fc@ret@h'), ['s3%2Fc%40ret', 's3%2Fc@ret', 's3/c@ret']);
    assert.deepEqual(passwordForms('postgres://db/app?password=a+b%21'), ['a+b%21', 'a b!', 'a+b!']);
    assert.deepEqual(passwordForms('redis://cache'), []);
  });
});

describe('parseHistoryUrl: every option checked', () => {
  test('bad values are one-line invalid-url errors', () => {
    refused('redis://h?dialect=ruby', /dialect must be python or js, not `ruby`/);
    refused('redis://h?ttl=0', /ttl must be a whole number/);
    refused('redis://h?ttl=1.5', /ttl must be a whole number/);
    refused('redis://h?ttl=1&ttl=2', /option ttl is given twice/);
    refused('file:h.json?readonly=maybe', /readonly must be 1, true, 0 or false/);
    refused('sqlite:c.db?table=drop%20table', /table must be a plain SQL name/);
    refused('sqlite:c.db?table=', /table must be a plain SQL name/);
    refused('postgres://db/app?schema=v2', /schema must be langchain-postgres or community/);
    refused('sqlite:c.db?mode=ro', /unknown option `mode` for a sqlite store \(known: table, dialect, readonly\)/);
    refused('file:h.json?%zz=1', /bad percent-escape/);
  });

  test('a database that cannot be shared, a path that cannot be opened', () => {
    refused('sqlite://', /in-memory SQLite database cannot be shared/);
    refused('sqlite:', /in-memory/);
    refused('file:', /no file path/);
    refused('file://fileserver/share/h.json', /a file on another host \(`fileserver`\)/);
    refused('file:h%00.json', /NUL/);
  });

  test('hostile text: long, multi-line, control characters stay one bounded line', () => {
    refused(`redis://h?${'x'.repeat(100_000)}=1`, /unknown option/);
    refused('nope:a\nb\u001b[2J', /^Invalid history URL `nope:a\\nb\\x1b\[2J`/);
    // Not a URL at all: only the scheme is shown.
    refused('nope://a\nb\u001b[2J', /^Invalid history URL `nope:\/\/\*\*\*`/);
    assert.ok(errorOf(`redis://h?dialect=${'y'.repeat(1_000_000)}`).message.length < 600);
  });
});

function errorOf(text: string): Error {
  try {
    parse(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`accepted: ${text.slice(0, 50)}`);
}
