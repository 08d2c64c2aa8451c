import { describe, expect, it } from 'vitest';
import { normaliseWidgetName } from '../../src/domain/widget-name.js';

describe('normaliseWidgetName', () => {
  it('trims and collapses white space, keeping the case people typed', () => {
    expect(normaliseWidgetName('  Blue \t  bin\n')).toEqual({ ok: true, name: 'Blue bin', key: 'blue bin' });
  });

  it('gives names that differ only in case or spacing the same key', () => {
    const a = normaliseWidgetName('Blue  Bin');
    const b = normaliseWidgetName('blue bin');
    expect(a.ok && b.ok && a.key === b.key).toBe(true);
  });

  it('refuses blank names and control characters', () => {
    expect(normaliseWidgetName('   ')).toEqual({ ok: false, message: 'must not be blank' });
    expect(normaliseWidgetName('bin\u0007')).toEqual({ ok: false, message: 'must not contain control characters' });
  });

  it('counts characters, not UTF-16 units, against the 80-character limit', () => {
    expect(normaliseWidgetName('📦'.repeat(80)).ok).toBe(true);
    expect(normaliseWidgetName('x'.repeat(81))).toEqual({ ok: false, message: 'must be at most 80 characters (got 81)' });
  });
});
