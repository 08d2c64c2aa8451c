import { describe, expect, it } from 'vitest';
import { accountFor, type AccountMapping } from '../../src/domain/accounts.js';
import { applyFieldMap, csvRows, type EntryDocument } from '../../src/domain/export.js';
import { decidePosting } from '../../src/domain/guard.js';
import { assertBalanced, finish, mapCostAdjustment, mapDepreciation, mapDisposal, mapInventoryMove, withAccounts, type JournalDraft } from '../../src/domain/journal.js';
import { dec } from '../../src/domain/money.js';
import { nextPeriod, periodOf, periodRange, previousPeriod } from '../../src/domain/periods.js';

const rows = (d: JournalDraft | null) => d!.lines.map((l) => [l.role, l.debit.toFixed(2), l.credit.toFixed(2)]);
const classify = { categoryOf: (id: string) => (id === 'bolt' ? 'fasteners' : null), siteOf: (id: string | null) => (id?.startsWith('north') ? 'north' : id ? 'south' : null) };

describe('inventory moves become balanced entries on the move date', () => {
  it('a receipt debits inventory and credits goods received not invoiced, per line', () => {
    const d = mapInventoryMove(
      {
        id: 'm1',
        number: 'MV-1',
        type: 'receipt',
        reference: 'PO-7',
        effectiveAt: '2026-09-30T23:30:00Z',
        lines: [
          { lineId: '1', itemId: 'bolt', fromLocationId: null, toLocationId: 'north-bin', qty: '10', amount: '20.00' },
          { lineId: '2', itemId: 'nut', fromLocationId: null, toLocationId: 'south-bin', qty: '5', amount: '7.50' },
        ],
      },
      classify,
    );
    expect(d).toMatchObject({ sourceKey: 'inventory.move:m1', entryDate: '2026-09-30', memo: 'Inventory receipt MV-1 (PO-7)' });
    expect(rows(d)).toEqual([
      ['inventory', '20.00', '0.00'],
      ['goods-received-not-invoiced', '0.00', '20.00'],
      ['inventory', '7.50', '0.00'],
      ['goods-received-not-invoiced', '0.00', '7.50'],
    ]);
    expect(d!.lines[0]).toMatchObject({ categoryId: 'fasteners', siteId: 'north', itemId: 'bolt', sourceLineId: '1' });
  });

  it('an issue books its COGS; a count loss and a negative adjustment credit inventory', () => {
    const line = (amount: string | null, from = 'north-bin', to: string | null = null) => ({ lineId: 'l', itemId: 'bolt', fromLocationId: to ? null : from, toLocationId: to, qty: '1', amount });
    expect(rows(mapInventoryMove({ id: 'i', number: 'MV-2', type: 'issue', reference: null, effectiveAt: '2026-10-02T08:00:00Z', lines: [line('6.00')] }, classify))).toEqual([
      ['cogs', '6.00', '0.00'],
      ['inventory', '0.00', '6.00'],
    ]);
    expect(rows(mapInventoryMove({ id: 'c', number: 'MV-3', type: 'count', reference: null, effectiveAt: '2026-10-02T08:00:00Z', lines: [line('2.00')] }, classify))).toEqual([
      ['count-variance', '2.00', '0.00'],
      ['inventory', '0.00', '2.00'],
    ]);
    expect(rows(mapInventoryMove({ id: 'a', number: 'MV-4', type: 'adjustment', reference: null, effectiveAt: '2026-10-02T08:00:00Z', lines: [line('3.00', '', 'north-bin')] }, classify))).toEqual([
      ['inventory', '3.00', '0.00'],
      ['inventory-adjustment', '0.00', '3.00'],
    ]);
  });

  it('books nothing for transfers and for issues waiting for their value', () => {
    const transfer = { lineId: 't', itemId: 'bolt', fromLocationId: 'north-bin', toLocationId: 'south-bin', qty: '1', amount: null };
    const waiting = { lineId: 'w', itemId: 'bolt', fromLocationId: 'north-bin', toLocationId: null, qty: '1', amount: null };
    expect(mapInventoryMove({ id: 't', number: 'MV-5', type: 'transfer', reference: null, effectiveAt: '2026-10-02T08:00:00Z', lines: [transfer] }, classify)).toBeNull();
    expect(mapInventoryMove({ id: 'w', number: 'MV-6', type: 'issue', reference: null, effectiveAt: '2026-10-02T08:00:00Z', lines: [waiting] }, classify)).toBeNull();
  });

  it('a cost adjustment books the change on the line\'s accounts, a decrease on the other side', () => {
    const adj = (delta: string) => mapCostAdjustment({ itemId: 'bolt', moveId: 'm', lineId: '9', moveType: 'issue', delta, causedByMoveId: 'r', reason: 'back-dated-move' }, { direction: 'out', categoryId: 'fasteners', siteId: 'north', effectiveOn: '2026-10-05' });
    expect(adj('1.50')).toMatchObject({ sourceKey: 'inventory.cost:9:r', entryDate: '2026-10-05' });
    expect(rows(adj('1.50'))).toEqual([
      ['cogs', '1.50', '0.00'],
      ['inventory', '0.00', '1.50'],
    ]);
    expect(rows(adj('-0.40'))).toEqual([
      ['inventory', '0.40', '0.00'],
      ['cogs', '0.00', '0.40'],
    ]);
  });
});

describe('fixed-asset events', () => {
  it('a depreciation run debits expense and credits accumulated depreciation per category and site, on the period end', () => {
    const d = mapDepreciation({ runId: 'r1', book: 'financial', periodStart: '2026-01-01', periodEnd: '2026-01-31', totalAmount: '1550.00', lines: [
      { categoryId: null, siteId: 'north', amount: '1500.00', assets: 1 },
      { categoryId: 'tools', siteId: null, amount: '50.00', assets: 1 },
    ] });
    expect(d!.entryDate).toBe('2026-01-31');
    expect(rows(d)).toEqual([
      ['depreciation-expense', '1500.00', '0.00'],
      ['accumulated-depreciation', '0.00', '1500.00'],
      ['depreciation-expense', '50.00', '0.00'],
      ['accumulated-depreciation', '0.00', '50.00'],
    ]);
  });

  it('a disposal at a loss derecognises cost and accumulated depreciation (IAS 16 ¶68, the fixed-assets worked example)', () => {
    // Forklift: cost 10,000, accumulated 4,500 incl. 450 catch-up, sold for 5,000 less 200 costs: loss 700.
    const d = mapDisposal({ id: 'a', tag: 'FL-1', kind: 'sold', disposedOn: '2026-07-15', currency: 'EUR', book: { cost: '10000.00', accumulated: '4500.00', catchUpDepreciation: '450.00', netProceeds: '4800.00', gainOrLoss: '-700.00' } }, { categoryId: null, siteId: null });
    expect(rows(d)).toEqual([
      ['depreciation-expense', '450.00', '0.00'],
      ['accumulated-depreciation', '0.00', '450.00'],
      ['accumulated-depreciation', '4500.00', '0.00'],
      ['disposal-proceeds', '4800.00', '0.00'],
      ['loss-on-disposal', '700.00', '0.00'],
      ['fixed-assets-cost', '0.00', '10000.00'],
    ]);
  });

  it('a disposal at a gain credits the gain', () => {
    const d = mapDisposal({ id: 'a', tag: 'FL-1', kind: 'sold', disposedOn: '2026-07-15', currency: 'EUR', book: { cost: '10000.00', accumulated: '6160.00', catchUpDepreciation: '960.00', netProceeds: '4800.00', gainOrLoss: '960.00' } }, { categoryId: null, siteId: null });
    expect(rows(d).at(-2)).toEqual(['gain-on-disposal', '0.00', '960.00']);
  });
});

describe('balance', () => {
  it('an unbalanced draft is refused', () => {
    const line = (debit: string, credit: string) => ({ role: 'inventory' as const, debit: dec(debit), credit: dec(credit), categoryId: null, siteId: null, memo: '' });
    expect(() => finish({ sourceKey: 'x', sourceType: 'inventory-move', sourceRef: 'x', entryDate: '2026-10-01', memo: '', currency: null, lines: [line('1', '0'), line('0', '0.99')] })).toThrow(/does not balance/);
    expect(() => assertBalanced({ sourceKey: 'y', lines: [line('1', '1')] })).toThrow(/line inventory/);
  });
});

describe('the chart of accounts', () => {
  const chart: AccountMapping[] = [
    { role: 'inventory', categoryId: null, siteId: null, account: '1400' },
    { role: 'inventory', categoryId: null, siteId: 'north', account: '1401' },
    { role: 'inventory', categoryId: 'fasteners', siteId: null, account: '1410' },
    { role: 'inventory', categoryId: 'fasteners', siteId: 'north', account: '1411' },
  ];
  it('takes the most specific mapping: category and site, category, site, default', () => {
    expect(accountFor(chart, 'inventory', 'fasteners', 'north')).toBe('1411');
    expect(accountFor(chart, 'inventory', 'fasteners', 'south')).toBe('1410');
    expect(accountFor(chart, 'inventory', 'paint', 'north')).toBe('1401');
    expect(accountFor(chart, 'inventory', null, null)).toBe('1400');
  });
  it('gives every line its account', () => {
    const d = mapInventoryMove({ id: 'm', number: 'MV', type: 'receipt', reference: null, effectiveAt: '2026-10-01T00:00:00Z', lines: [{ lineId: '1', itemId: 'bolt', fromLocationId: null, toLocationId: 'north-1', qty: '1', amount: '1.00' }] }, classify)!;
    expect(() => withAccounts(d, chart)).toThrow(/no default account for the role goods-received-not-invoiced/);
    expect(withAccounts(d, [...chart, { role: 'goods-received-not-invoiced', categoryId: null, siteId: null, account: '2150' }]).map((l) => l.account)).toEqual(['1411', '2150']);
  });
});

describe('periods and the closed-period rule', () => {
  it('are calendar months in UTC', () => {
    expect(periodRange('2024-02')).toEqual({ period: '2024-02', start: '2024-02-01', end: '2024-02-29' });
    expect(periodOf('2026-10-31T23:59:59.999Z')).toBe('2026-10');
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(previousPeriod('2027-01')).toBe('2026-12');
  });
  it('accepts after the last closed day, refuses or re-dates to the first instant of the open period before it', () => {
    expect(decidePosting(null, '2020-01-01T00:00:00Z', 'refuse')).toEqual({ action: 'accept' });
    expect(decidePosting('2026-09-30', '2026-10-01T00:00:00.000Z', 'refuse')).toEqual({ action: 'accept' });
    expect(decidePosting('2026-09-30', '2026-09-30T23:59:59.999Z', 'refuse')).toMatchObject({ action: 'refuse', period: '2026-09' });
    expect(decidePosting('2026-09-30', '2026-08-15T10:00:00Z', 'redate')).toMatchObject({ action: 'redate', period: '2026-08', effectiveAt: '2026-10-01T00:00:00.000Z' });
  });
});

describe('export', () => {
  const doc: EntryDocument = {
    id: 'e1', number: 1, idempotencyKey: 'k', entryDate: '2026-10-01', period: '2026-10', sourceType: 'inventory-move', sourceRef: 'MV-1', memo: 'm', currency: 'EUR', redatedFrom: null, totalDebit: '1.00', totalCredit: '1.00',
    lines: [{ lineNo: 1, account: '1400', role: 'inventory', debit: '1.00', credit: '0.00', categoryId: null, siteId: null, itemId: null, assetId: null, memo: null }],
  };
  it('renames entry and line fields as the field map says and keeps the rest', () => {
    const out = applyFieldMap(doc, { entryDate: 'postingDate', 'lines.account': 'glAccount' }) as { postingDate: string; lines: Record<string, unknown>[] };
    expect(out.postingDate).toBe('2026-10-01');
    expect(out).not.toHaveProperty('entryDate');
    expect(out.lines[0]).toMatchObject({ glAccount: '1400', debit: '1.00' });
    expect(out.lines[0]).not.toHaveProperty('account');
  });
  it('writes one CSV row per line', () => {
    expect(csvRows([doc])).toEqual([['e1', 1, '2026-10-01', '2026-10', 'inventory-move', 'MV-1', 'm', 'EUR', 1, '1400', 'inventory', '1.00', '0.00', null, null, null, null, null, 'k']]);
  });
});
