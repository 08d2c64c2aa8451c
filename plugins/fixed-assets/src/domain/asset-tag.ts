/**
 * Asset tags: the short code printed on the label and scanned at check-out. Pure formatting and
 * validation; the counter itself lives in the database (one row per scope, incremented under a
 * row lock), so two registrations at once never get the same number.
 *
 * A pattern is literal text plus placeholders:
 * - `{#…#}`  the counter, zero-padded to the number of `#` (1–12). Exactly one. It grows past its
 *            width rather than wrap (`{###}` after 999 gives 1000): a tag is never reused.
 * - `{YYYY}` / `{YY}` / `{MM}`  year / two-digit year / month of registration (UTC).
 * - `{CAT}`  the category's tag code (e.g. `LAP` for laptops).
 *
 * The counter runs per *scope*: the pattern with everything but the counter filled in. So
 * `AST-{YYYY}-{#####}` starts again at 1 each year, and `{CAT}-{####}` counts per category.
 */

/** Tags are printed as barcodes (Code 128 / QR), so printable ASCII only, no space at either end. */
const TAG_RE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
export const MAX_TAG_LENGTH = 64;
/** Literal text in a pattern: what reads well on a label and in a URL. */
const LITERAL_RE = /^[A-Za-z0-9._/:-]*$/;
/** A category's tag code. */
export const CATEGORY_CODE_RE = /^[A-Z0-9]{1,10}$/;

export type TagPart =
  | { kind: 'literal'; text: string }
  | { kind: 'year4' }
  | { kind: 'year2' }
  | { kind: 'month' }
  | { kind: 'category' }
  | { kind: 'counter'; width: number };

export interface TagPattern {
  source: string;
  parts: TagPart[];
  /** True when the pattern uses `{CAT}`: an asset needs a category with a code to get a tag. */
  needsCategory: boolean;
}

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const PLACEHOLDERS: Record<string, TagPart> = { YYYY: { kind: 'year4' }, YY: { kind: 'year2' }, MM: { kind: 'month' }, CAT: { kind: 'category' } };

/** Parse and check a pattern; the message says what is wrong in words a person configuring it understands. */
export function parseTagPattern(source: string): Result<TagPattern> {
  if (typeof source !== 'string' || !source.length) return { ok: false, message: 'must not be empty' };
  if (source.length > MAX_TAG_LENGTH) return { ok: false, message: `must be at most ${MAX_TAG_LENGTH} characters` };
  const parts: TagPart[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{', i);
    const literal = source.slice(i, open === -1 ? undefined : open);
    if (literal.includes('}')) return { ok: false, message: 'has a "}" without its "{"' };
    if (!LITERAL_RE.test(literal)) return { ok: false, message: `may contain only letters, digits, ".", "_", "/", ":", "-" and placeholders; "${literal}" has other characters` };
    if (literal) parts.push({ kind: 'literal', text: literal });
    if (open === -1) break;
    const close = source.indexOf('}', open);
    if (close === -1) return { ok: false, message: 'has a "{" without its "}"' };
    const name = source.slice(open + 1, close);
    if (/^#+$/.test(name)) {
      if (name.length > 12) return { ok: false, message: 'the counter may have at most 12 digits' };
      parts.push({ kind: 'counter', width: name.length });
    } else if (PLACEHOLDERS[name]) {
      parts.push(PLACEHOLDERS[name]);
    } else {
      return { ok: false, message: `unknown placeholder {${name}}; use {YYYY}, {YY}, {MM}, {CAT} or a counter like {####}` };
    }
    i = close + 1;
  }
  const counters = parts.filter((p) => p.kind === 'counter').length;
  if (counters !== 1) return { ok: false, message: counters ? 'must have exactly one counter' : 'needs a counter such as {####}' };
  return { ok: true, value: { source, parts, needsCategory: parts.some((p) => p.kind === 'category') } };
}

export interface TagContext {
  /** When the asset is registered; the year and month are read in UTC. */
  date: Date;
  /** The category's tag code, required when the pattern has `{CAT}`. */
  categoryCode?: string | null;
}

function render(pattern: TagPattern, ctx: TagContext, counter: (width: number) => string): string {
  return pattern.parts
    .map((p) => {
      switch (p.kind) {
        case 'literal':
          return p.text;
        case 'year4':
          return String(ctx.date.getUTCFullYear()).padStart(4, '0');
        case 'year2':
          return String(ctx.date.getUTCFullYear() % 100).padStart(2, '0');
        case 'month':
          return String(ctx.date.getUTCMonth() + 1).padStart(2, '0');
        case 'category':
          if (!ctx.categoryCode) throw new Error(`tag pattern ${pattern.source} needs a category code`);
          return ctx.categoryCode;
        case 'counter':
          return counter(p.width);
      }
    })
    .join('');
}

/** The counter's scope: the pattern filled in except for the counter (`AST-2026-{#}`). */
export const tagScope = (pattern: TagPattern, ctx: TagContext): string => render(pattern, ctx, () => '{#}');

/** The tag for counter value `n` (1, 2, …). */
export function formatTag(pattern: TagPattern, ctx: TagContext, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`tag counter must be a positive integer, got ${n}`);
  return render(pattern, ctx, (width) => String(n).padStart(width, '0'));
}

/** Why a tag someone typed (or imported) cannot be used, or null when it can. */
export function tagProblem(tag: string): string | null {
  if (!tag.length) return 'must not be empty';
  if (tag.length > MAX_TAG_LENGTH) return `must be at most ${MAX_TAG_LENGTH} characters`;
  if (!TAG_RE.test(tag)) return 'may contain only printable ASCII characters (it is printed as a barcode), with no space at either end';
  return null;
}

/**
 * A category code from its name when none is configured: the first three letters or digits,
 * upper-cased, accents dropped (`Laptops` → `LAP`, `Équipement` → `EQU`). Null when the name has none.
 */
export function categoryCodeFromName(name: string): string | null {
  const code = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 3);
  return code || null;
}
