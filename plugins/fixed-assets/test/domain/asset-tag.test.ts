import { describe, expect, it } from 'vitest';
import { categoryCodeFromName, formatTag, parseTagPattern, tagProblem, tagScope, type TagPattern } from '../../src/domain/asset-tag.js';

const parse = (p: string): TagPattern => {
  const r = parseTagPattern(p);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const may2026 = new Date('2026-05-17T23:30:00Z');

describe('asset tag patterns', () => {
  it('formats the default pattern with the year and a padded counter', () => {
    const p = parse('AST-{YYYY}-{#####}');
    expect(formatTag(p, { date: may2026 }, 1)).toBe('AST-2026-00001');
    expect(formatTag(p, { date: may2026 }, 42)).toBe('AST-2026-00042');
    // The counter grows past its width rather than wrapping: a tag is never given twice.
    expect(formatTag(p, { date: may2026 }, 123456)).toBe('AST-2026-123456');
    expect(p.needsCategory).toBe(false);
  });

  it('fills in the category code, two-digit year and month', () => {
    const p = parse('{CAT}-{YY}{MM}-{####}');
    expect(p.needsCategory).toBe(true);
    expect(formatTag(p, { date: may2026, categoryCode: 'LAP' }, 7)).toBe('LAP-2605-0007');
    expect(() => formatTag(p, { date: may2026 }, 7)).toThrow(/category code/);
    expect(formatTag(parse('{#}'), { date: may2026 }, 9)).toBe('9');
  });

  it('reads the date in UTC, so a tag does not depend on the server time zone', () => {
    expect(formatTag(parse('{YYYY}{MM}-{##}'), { date: new Date('2026-12-31T23:59:59Z') }, 1)).toBe('202612-01');
    expect(formatTag(parse('{YYYY}{MM}-{##}'), { date: new Date('2027-01-01T00:00:00Z') }, 1)).toBe('202701-01');
  });

  it('counts per scope: per year, per category', () => {
    const yearly = parse('AST-{YYYY}-{#####}');
    expect(tagScope(yearly, { date: may2026 })).toBe('AST-2026-{#}');
    expect(tagScope(yearly, { date: new Date('2027-01-01T00:00:00Z') })).toBe('AST-2027-{#}');
    const perCategory = parse('{CAT}-{####}');
    expect(tagScope(perCategory, { date: may2026, categoryCode: 'LAP' })).toBe('LAP-{#}');
    expect(tagScope(perCategory, { date: may2026, categoryCode: 'VEH' })).toBe('VEH-{#}');
  });

  it('refuses patterns that cannot number anything, saying why', () => {
    const why = (p: string) => {
      const r = parseTagPattern(p);
      return r.ok ? null : r.message;
    };
    expect(why('')).toBe('must not be empty');
    expect(why('AST-{YYYY}')).toMatch(/needs a counter/);
    expect(why('{###}-{###}')).toMatch(/exactly one counter/);
    expect(why('AST-{YEAR}-{###}')).toMatch(/unknown placeholder \{YEAR\}/);
    expect(why('AST-{###')).toMatch(/without its "\}"/);
    expect(why('AST}-{###}')).toMatch(/without its "\{"/);
    expect(why('AST {###}')).toMatch(/only letters, digits/);
    expect(why('{#############}')).toMatch(/at most 12 digits/);
    expect(why('A'.repeat(60) + '{###}')).toMatch(/at most 64 characters/);
    expect(why('INV/{YY}:{###}.x_y')).toBeNull();
  });

  it('accepts hand-entered tags that print as a barcode', () => {
    expect(tagProblem('ACME 000123')).toBeNull();
    expect(tagProblem('')).toBe('must not be empty');
    expect(tagProblem(' AST-1')).toMatch(/no space at either end/);
    expect(tagProblem('AST-1 ')).toMatch(/no space at either end/);
    expect(tagProblem('ÄST-1')).toMatch(/printable ASCII/);
    expect(tagProblem('A\tB')).toMatch(/printable ASCII/);
    expect(tagProblem('x'.repeat(65))).toMatch(/at most 64/);
  });

  it('makes a category code from its name when none is set', () => {
    expect(categoryCodeFromName('Laptops')).toBe('LAP');
    expect(categoryCodeFromName('Équipement')).toBe('EQU');
    expect(categoryCodeFromName('3D printers')).toBe('3DP');
    expect(categoryCodeFromName('—')).toBeNull();
  });
});
