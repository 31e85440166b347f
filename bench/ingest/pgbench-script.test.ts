import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentTransactionScript } from './pgbench.ts';
import { parameterValues, parsePgbenchScript } from './pgbench-script.ts';

describe('pgbench script reader', () => {
  it('numbers each variable occurrence, skipping casts and string literals', () => {
    const [first, second, ...rest] = parsePgbenchScript(
      "select nextval('s') as n \\gset\n" +
      "insert into t (a, b, c) values ((:n)::bigint, ':n not a variable', (:n)::text)\n" +
      '  returning id as row_id \\gset\n' +
      'BEGIN;\nselect 1 where $$x$$ = :row_id;\nEND;\n');
    assert.deepEqual(first, { text: "select nextval('s') as n", parameters: [],
      storesRow: true });
    assert.deepEqual(second, {
      text: "insert into t (a, b, c) values (($1)::bigint, ':n not a variable', ($2)::text)\n" +
        '  returning id as row_id',
      parameters: ['n', 'n'], storesRow: true });
    assert.deepEqual(rest.map((command) => [command.text, command.parameters, command.storesRow]),
      [['BEGIN', [], false], ['select 1 where $$x$$ = $1', ['row_id'], false],
        ['END', [], false]]);
  });

  it('keeps a semicolon inside a string literal in its statement', () => {
    const commands = parsePgbenchScript("select 'a;b' as x;\nselect 2;");
    assert.deepEqual(commands.map((command) => command.text), ["select 'a;b' as x", 'select 2']);
  });

  it('refuses a meta-command it cannot run', () => {
    assert.throws(() => parsePgbenchScript('\\set n random(1, 10)\nselect :n;'),
      /unsupported pgbench meta-command/);
  });

  it('gives parameter values from the variables set so far, and names a missing one', () => {
    const [command] = parsePgbenchScript('select (:a)::int + (:b)::int + (:a)::int;');
    assert.ok(command !== undefined);
    assert.deepEqual(parameterValues(command, new Map([['a', '1'], ['b', '2']])),
      ['1', '2', '1']);
    assert.throws(() => parameterValues(command, new Map([['a', '1']])), /:b is not set/);
  });

  it('reads the per-payment transaction: one transaction, rows stored where pgbench stores', () => {
    const commands = parsePgbenchScript(paymentTransactionScript);
    const texts = commands.map((command) => command.text);
    assert.equal(texts.filter((text) => text === 'BEGIN').length, 1);
    assert.equal(texts.at(-1), 'END');
    assert.equal(commands.filter((command) => command.storesRow).length, 5);
    assert.ok(commands.every((command) => !/(^|[^:]):[a-z]/.test(command.text.replace(
      /'[^']*'/g, ''))), 'no variable is left unreplaced outside a literal');
  });
});
