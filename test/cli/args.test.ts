import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError, valueOf, valuesOf, has, type FlagSpec } from '../../cli/src/args';

const specs: FlagSpec[] = [{ name: 'input', value: true }, { name: 'var', value: true, repeatable: true }, { name: 'json' }, { name: 'help', short: 'h' }];

describe('parseArgs', () => {
  test('values, switches, repeatable flags and positionals in any order', () => {
    const args = parseArgs(['a.prompt', '--var', 'x=1', '--input=hi there', '--json', '--var', 'y=2', 'b'], specs);
    assert.deepEqual(args.positionals, ['a.prompt', 'b']);
    assert.equal(valueOf(args, 'input'), 'hi there');
    assert.deepEqual(valuesOf(args, 'var'), ['x=1', 'y=2']);
    assert.ok(has(args, 'json') && !has(args, 'help'));
  });

  test('a value may start with a dash; `--` ends the flags', () => {
    const args = parseArgs(['--input', '-h', '--', '--json', '-'], specs);
    assert.equal(valueOf(args, 'input'), '-h');
    assert.deepEqual(args.positionals, ['--json', '-']);
    assert.ok(!has(args, 'json'));
  });

  test('short aliases', () => {
    assert.ok(has(parseArgs(['-h'], specs), 'help'));
  });

  test('mistakes are usage errors naming the flag', () => {
    const cases: [string[], string][] = [
      [['--nope'], 'unknown option --nope'],
      [['-x'], 'unknown option -x'],
      [['--input'], '--input needs a value'],
      [['--json=yes'], '--json takes no value'],
      [['--input', 'a', '--input', 'b'], '--input given more than once'],
    ];
    for (const [argv, message] of cases) {
      assert.throws(() => parseArgs(argv, specs), (error: Error) => error instanceof UsageError && error.message === message);
    }
  });
});
