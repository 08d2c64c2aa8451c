/**
 * Which database objects a piece of SQL creates, changes, writes or points at: enough to tell
 * whether a plugin's migration stays within its own tables. A scan, not a parser: it reads the
 * statement shapes migrations use (DDL, INSERT/UPDATE/DELETE, foreign keys), with comments and
 * string literals removed first so their text is never mistaken for a statement.
 */

export type SqlAction =
  | 'CREATE TABLE'
  | 'CREATE INDEX'
  | 'INDEX ON'
  | 'CREATE SEQUENCE'
  | 'CREATE TYPE'
  | 'CREATE VIEW'
  | 'CREATE FUNCTION'
  | 'CREATE TRIGGER'
  | 'TRIGGER ON'
  | 'ALTER'
  | 'DROP'
  | 'INSERT'
  | 'UPDATE'
  | 'DELETE'
  | 'TRUNCATE'
  | 'COMMENT'
  | 'REFERENCES';

export interface SqlTouch {
  action: SqlAction;
  /** Object name without schema, lower-cased unless it was quoted. */
  name: string;
}

/** Blank out comments, string literals and dollar-quote markers (their bodies are SQL and stay). */
export function stripSql(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      out += ' ';
      continue;
    }
    if (ch === "'") {
      // '' inside a literal is an escaped quote.
      i++;
      while (i < sql.length) {
        if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      out += "''";
      continue;
    }
    const dollar = ch === '$' ? /^\$[A-Za-z_]*\$/.exec(sql.slice(i)) : null;
    if (dollar) {
      i += dollar[0].length;
      out += ' ';
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

const PART = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)`;
const NAME = String.raw`${PART}(?:\s*\.\s*${PART})*`;
const LIST = String.raw`${NAME}(?:\s*,\s*${NAME})*`;

/** The parts of a possibly qualified name, unquoted; unquoted parts fold to lower case as PostgreSQL does. */
function partsOf(name: string): string[] {
  return (name.match(new RegExp(PART, 'g')) ?? []).map((p) => (p.startsWith('"') ? p.slice(1, -1) : p.toLowerCase()));
}
const lastPart = (name: string) => partsOf(name).at(-1)!;
const listOf = (list: string) => (list.match(new RegExp(NAME, 'g')) ?? []).map(lastPart);

const PATTERNS: { re: RegExp; touches(m: RegExpExecArray): SqlTouch[] }[] = [
  {
    re: new RegExp(String.raw`\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${NAME})`, 'gi'),
    touches: (m) => [{ action: 'CREATE TABLE', name: lastPart(m[1]) }],
  },
  {
    re: new RegExp(String.raw`\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:(?:IF\s+NOT\s+EXISTS\s+)?(?!ON\b)(${NAME})\s+)?ON\s+(?:ONLY\s+)?(${NAME})`, 'gi'),
    touches: (m) => [...(m[1] ? [{ action: 'CREATE INDEX' as const, name: lastPart(m[1]) }] : []), { action: 'INDEX ON', name: lastPart(m[2]) }],
  },
  {
    re: new RegExp(String.raw`\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(SEQUENCE|TYPE|DOMAIN|(?:MATERIALIZED\s+)?VIEW|FUNCTION|PROCEDURE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(${NAME})`, 'gi'),
    touches: (m) => {
      const kind = m[1].toUpperCase();
      const action: SqlAction = kind === 'SEQUENCE' ? 'CREATE SEQUENCE' : kind.endsWith('VIEW') ? 'CREATE VIEW' : kind === 'FUNCTION' || kind === 'PROCEDURE' ? 'CREATE FUNCTION' : 'CREATE TYPE';
      return [{ action, name: lastPart(m[2]) }];
    },
  },
  {
    re: new RegExp(String.raw`\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+(${NAME})[\s\S]*?\bON\s+(?:ONLY\s+)?(${NAME})`, 'gi'),
    touches: (m) => [
      { action: 'CREATE TRIGGER', name: lastPart(m[1]) },
      { action: 'TRIGGER ON', name: lastPart(m[2]) },
    ],
  },
  {
    re: new RegExp(String.raw`\bALTER\s+(?:TABLE|INDEX|SEQUENCE|TYPE|DOMAIN|(?:MATERIALIZED\s+)?VIEW|FUNCTION|PROCEDURE)\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${NAME})`, 'gi'),
    touches: (m) => [{ action: 'ALTER', name: lastPart(m[1]) }],
  },
  {
    re: new RegExp(String.raw`\bDROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?${NAME}\s+ON\s+(${NAME})`, 'gi'),
    touches: (m) => [{ action: 'DROP', name: lastPart(m[1]) }],
  },
  {
    re: new RegExp(String.raw`\bDROP\s+(?:TABLE|INDEX|SEQUENCE|TYPE|DOMAIN|(?:MATERIALIZED\s+)?VIEW|FUNCTION|PROCEDURE)\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(${LIST})`, 'gi'),
    touches: (m) => listOf(m[1]).map((name) => ({ action: 'DROP' as const, name })),
  },
  { re: new RegExp(String.raw`\bINSERT\s+INTO\s+(${NAME})`, 'gi'), touches: (m) => [{ action: 'INSERT', name: lastPart(m[1]) }] },
  {
    // Not `ON UPDATE CASCADE` nor `DO UPDATE SET`: a real UPDATE names a table (and maybe an alias) before SET.
    re: new RegExp(String.raw`\bUPDATE\s+(?:ONLY\s+)?(?!SET\b)(${NAME})(?:\s+(?:AS\s+)?(?!SET\b)[A-Za-z_]\w*)?\s+SET\b`, 'gi'),
    touches: (m) => [{ action: 'UPDATE', name: lastPart(m[1]) }],
  },
  { re: new RegExp(String.raw`\bDELETE\s+FROM\s+(?:ONLY\s+)?(${NAME})`, 'gi'), touches: (m) => [{ action: 'DELETE', name: lastPart(m[1]) }] },
  {
    re: new RegExp(String.raw`\bTRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?(${LIST})`, 'gi'),
    touches: (m) => listOf(m[1]).map((name) => ({ action: 'TRUNCATE' as const, name })),
  },
  {
    re: new RegExp(String.raw`\bCOMMENT\s+ON\s+(TABLE|COLUMN|INDEX|SEQUENCE|TYPE|VIEW)\s+(${NAME})`, 'gi'),
    touches: (m) => {
      const parts = partsOf(m[2]);
      // A column's comment belongs to its table: `tbl.col` or `schema.tbl.col`.
      return [{ action: 'COMMENT', name: m[1].toUpperCase() === 'COLUMN' ? parts.at(-2) ?? parts[0] : parts.at(-1)! }];
    },
  },
  { re: new RegExp(String.raw`\bREFERENCES\s+(${NAME})`, 'gi'), touches: (m) => [{ action: 'REFERENCES', name: lastPart(m[1]) }] },
];

/** Every object the SQL touches, in order of the patterns (not of the text). */
export function sqlTouches(sql: string): SqlTouch[] {
  const text = stripSql(sql);
  const out: SqlTouch[] = [];
  for (const { re, touches } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(...touches(m));
  }
  return out;
}
