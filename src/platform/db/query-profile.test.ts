import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from 'kysely';
import { createQueryProfile, queryProfileLogger, statementShape } from './query-profile.ts';

const event = (text: string, ms: number, level: 'query' | 'error' = 'query'): LogEvent =>
  ({ level, query: { sql: text, parameters: [], query: {} }, queryDurationMillis: ms,
    error: undefined }) as unknown as LogEvent;

describe('query profile', () => {
  it('folds placeholders and multi-row value lists into one shape per statement', () => {
    assert.equal(statementShape('select *\n  from t where a = $1 and b in ($2, $3, $4)'),
      'select * from t where a = $ and b in ($...)');
    assert.equal(statementShape('insert into t (a, b) values ($1, $2), ($3, $4), ($5, $6)'),
      statementShape('insert into t (a, b) values ($1, $2), ($3, $4)'));
    assert.notEqual(statementShape('insert into t (a) values ($1)'),
      statementShape('insert into u (a) values ($1)'));
  });

  it('counts and times each shape, the slowest first, errors apart', () => {
    const profile = createQueryProfile();
    profile.log(event('select 1 where x = $1', 2));
    profile.log(event('select 1 where x = $2', 4));
    profile.log(event('commit', 10, 'error'));
    assert.deepEqual(profile.entries(), [
      { statement: 'commit', count: 1, totalMs: 10, maxMs: 10, errors: 1 },
      { statement: 'select 1 where x = $', count: 2, totalMs: 6, maxMs: 4, errors: 0 },
    ]);
  });

  it('is off unless HUDUMA_QUERY_PROFILE_FILE names a file', () => {
    assert.equal(queryProfileLogger({}), undefined);
    assert.equal(queryProfileLogger({ HUDUMA_QUERY_PROFILE_FILE: '' }), undefined);
  });
});
