import { describe, expect, it } from 'vitest';
import { toKnexSql } from '../../src/kernel/sql.js';

describe('toKnexSql: PostgreSQL placeholders to knex bindings', () => {
  it('binds each $n to its parameter, repeated ones included', () => {
    expect(toKnexSql('SELECT $2::int + $1::int, $2', [1, 2])).toEqual({ sql: 'SELECT ?::int + ?::int, ?', bindings: [2, 1, 2] });
  });

  it('keeps $n and ? inside string literals, and escapes jsonb ? operators', () => {
    expect(toKnexSql(`SELECT '$1 ?' AS s, attrs ? 'k' FROM t WHERE id = $1`, ['x'])).toEqual({ sql: `SELECT '$1 ?' AS s, attrs \\? 'k' FROM t WHERE id = ?`, bindings: ['x'] });
  });

  it('treats $n and ? in a line comment as prose, not as placeholders', () => {
    const { sql, bindings } = toKnexSql(`SELECT 1\n  -- $3: why; is it? yes\n  WHERE a = $1 AND b = $2`, ['a', 'b', 'c']);
    expect(bindings).toEqual(['a', 'b']);
    expect(sql).toBe(`SELECT 1\n  -- $3: why; is it  yes\n  WHERE a = ? AND b = ?`);
  });

  it('refuses a placeholder without a parameter', () => {
    expect(() => toKnexSql('SELECT $2', [1])).toThrow('SQL placeholder $2 has no parameter');
  });
});
