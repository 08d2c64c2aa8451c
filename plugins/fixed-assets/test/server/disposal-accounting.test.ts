import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, caller, category, eventsSince, transition } from './fixtures.js';

/**
 * Disposal accounting: POST /assets/:id/dispose derecognises the asset in every book it carries, in
 * the same transaction as the status change: depreciation up to the disposal date, net book value,
 * gain or loss, a balanced journal entry per book; later runs leave it out.
 */

let t: TestPlatform;
let call: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await bootFixedAssets();
  call = caller(t);
});
afterAll(() => t?.close());

async function run(book: string, periodEnd: string) {
  const started = await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book, periodEnd } }, 202);
  for (let i = 0; i < 200; i++) {
    const r = await call({ method: 'GET', url: `${FA}/depreciation/runs/${started.id}` }, 200);
    if (r.status !== 'running') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('run did not finish');
}

interface Line {
  account: string;
  debit: string;
  credit: string;
  memo: string | null;
  assetId: string | null;
}
const disposalEntry = async (book: string, assetId: string) => {
  const journal = await call({ method: 'GET', url: `${FA}/journal?book=${book}&limit=500` }, 200);
  return journal.find((e: { source: string; sourceId: string }) => e.source === 'disposal' && e.sourceId === assetId);
};
const sums = (lines: Line[]) => lines.reduce((a, l) => ({ debit: a.debit + Math.round(Number(l.debit) * 100), credit: a.credit + Math.round(Number(l.credit) * 100) }), { debit: 0, credit: 0 });
const accountLines = (lines: Line[]) => lines.map((l) => [l.account, l.debit, l.credit]);

describe('the worked example: 10,000, salvage 1,000, 5 years straight line monthly from January 2024, sold on 15 July 2026', () => {
  // Straight line: (10,000 − 1,000) / 60 months = 150 a month. Full-month convention: the month of disposal does not
  // count, so January 2024 – June 2026 = 30 months = 4,500 (runs posted 27 months, the disposal posts April–June: 450).
  // Net book value 10,000 − 4,500 = 5,500; net proceeds 5,000 − 200 = 4,800; loss 700.
  // Tax book, MACRS 5-year half-year (IRS Pub 946 Table A-1: 20 %, 32 %, 19.2 %): 2,000 + 3,200 posted; in the year of
  // disposal half of 1,920 = 960 (Pub 946 ch. 4); accumulated 6,160, basis left 3,840, gain 4,800 − 3,840 = 960.
  let forklift: { id: string; tag: string };
  const sale = { kind: 'sold', disposedOn: '2026-07-15', proceeds: '5000', costsOfDisposal: '200' };

  beforeAll(async () => {
    forklift = await asset(t, { name: 'Forklift', acquisitionCost: '10000', purchaseDate: '2024-01-01', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${forklift.id}/books/financial`, payload: { method: 'straight-line', salvageValue: '1000', usefulLifeYears: 5, placedInService: '2024-01-01' } }, 200);
    await call({ method: 'PUT', url: `${FA}/assets/${forklift.id}/books/tax`, payload: { method: 'macrs', recoveryPeriodYears: 5, placedInService: '2024-01-01' } }, 200);
    expect((await run('financial', '2026-03-31')).totalAmount).toBe('4050.00');
    expect((await run('tax', '2024-12-31')).totalAmount).toBe('2000.00');
    expect((await run('tax', '2025-12-31')).totalAmount).toBe('3200.00');
    expect((await transition(t, forklift.id, 'retired')).statusCode).toBe(200);
  });

  it('the preview shows each book\'s figures and writes nothing', async () => {
    const preview = await expectNoChange(t, () => call({ method: 'POST', url: `${FA}/assets/${forklift.id}/disposal-preview`, payload: sale }, 200));
    expect(preview).toEqual({
      disposedOn: '2026-07-15',
      currency: 'EUR',
      books: [
        { book: 'financial', cost: '10000.00', accumulated: '4500.00', catchUpDepreciation: '450.00', netBookValue: '5500.00', netProceeds: '4800.00', gainOrLoss: '-700.00' },
        { book: 'tax', cost: '10000.00', accumulated: '6160.00', catchUpDepreciation: '960.00', netBookValue: '3840.00', netProceeds: '4800.00', gainOrLoss: '960.00' },
      ],
    });
  });

  it('the disposal books one balanced journal entry per book and shows the figures on the asset', async () => {
    const from = t.events.length;
    const sold = await call({ method: 'POST', url: `${FA}/assets/${forklift.id}/dispose`, payload: { ...sale, reason: 'sold to the dealer' } }, 200);
    expect(sold.disposal).toMatchObject({ kind: 'sold', disposedOn: '2026-07-15', proceeds: '5000.00', costsOfDisposal: '200.00' });
    expect(sold.disposal.books).toEqual([
      { book: 'financial', cost: '10000.00', accumulated: '4500.00', catchUpDepreciation: '450.00', netBookValue: '5500.00', netProceeds: '4800.00', gainOrLoss: '-700.00', journalEntryId: expect.any(String) },
      { book: 'tax', cost: '10000.00', accumulated: '6160.00', catchUpDepreciation: '960.00', netBookValue: '3840.00', netProceeds: '4800.00', gainOrLoss: '960.00', journalEntryId: expect.any(String) },
    ]);
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.status-changed', 'fixed-assets.asset.disposed']);
    // The event carries each book's figures, so a ledger outside the platform books the same entry.
    expect((t.events.at(-1)!.payload as { books: unknown[] }).books).toEqual([
      { book: 'financial', cost: '10000.00', accumulated: '4500.00', catchUpDepreciation: '450.00', netBookValue: '5500.00', proceeds: '5000.00', costsOfDisposal: '200.00', netProceeds: '4800.00', gainOrLoss: '-700.00' },
      { book: 'tax', cost: '10000.00', accumulated: '6160.00', catchUpDepreciation: '960.00', netBookValue: '3840.00', proceeds: '5000.00', costsOfDisposal: '200.00', netProceeds: '4800.00', gainOrLoss: '960.00' },
    ]);

    const fin = await disposalEntry('financial', forklift.id);
    expect(fin).toMatchObject({ id: sold.disposal.books[0].journalEntryId, entryDate: '2026-07-15', currency: 'EUR' });
    // Dr expense / Cr accumulated for the catch-up; Dr accumulated, Dr proceeds (net), Dr loss; Cr asset at cost.
    expect(accountLines(fin.lines)).toEqual([
      ['6800', '450.00', '0.00'],
      ['1590', '0.00', '450.00'],
      ['1590', '4500.00', '0.00'],
      ['1200', '4800.00', '0.00'],
      ['6900', '700.00', '0.00'],
      ['1500', '0.00', '10000.00'],
    ]);
    expect(sums(fin.lines)).toEqual({ debit: 1045000, credit: 1045000 });
    expect(fin.lines.every((l: Line) => l.assetId === forklift.id)).toBe(true);

    const tax = await disposalEntry('tax', forklift.id);
    expect(accountLines(tax.lines)).toEqual([
      ['6800', '960.00', '0.00'],
      ['1590', '0.00', '960.00'],
      ['1590', '6160.00', '0.00'],
      ['1200', '4800.00', '0.00'],
      ['7100', '0.00', '960.00'],
      ['1500', '0.00', '10000.00'],
    ]);
    expect(sums(tax.lines)).toEqual({ debit: 1192000, credit: 1192000 });

    // The books are closed at the disposal: everything posted, net book value as derecognised.
    const books = await call({ method: 'GET', url: `${FA}/assets/${forklift.id}/books` }, 200);
    expect(books.map((b: { book: string; postedAccumulated: string; postedThrough: string; netBookValue: string }) => [b.book, b.postedAccumulated, b.postedThrough, b.netBookValue])).toEqual([
      ['financial', '4500.00', '2026-07-15', '5500.00'],
      ['tax', '6160.00', '2026-07-15', '3840.00'],
    ]);
    const history = (await call({ method: 'GET', url: `${FA}/assets/${forklift.id}/history` }, 200)).data;
    expect(history[0]).toMatchObject({ type: 'disposed', data: { costsOfDisposal: '200', books: [{ book: 'financial', gainOrLoss: '-700.00' }, { book: 'tax', gainOrLoss: '960.00' }] } });
    // The asset reads the same afterwards.
    expect((await call({ method: 'GET', url: `${FA}/assets/${forklift.id}` }, 200)).disposal.books).toEqual(sold.disposal.books);
  });

  it('a run for a later period posts nothing for the disposed asset', async () => {
    const later = await run('financial', '2026-08-31');
    expect(later).toMatchObject({ status: 'completed', assetsTotal: 0, totalAmount: '0.00', journalEntryId: null });
    expect(await t.sql(`SELECT period_end::text FROM fixed_assets_depreciation_entry WHERE asset_id = $1 AND period_end > '2026-03-31'`, [forklift.id])).toEqual([]);
    expect((await run('tax', '2026-12-31')).totalAmount).toBe('0.00');
  });

  it('the disposals report lists each book with totals, and as CSV', async () => {
    const report = await call({ method: 'GET', url: `${FA}/reports/disposals?from=2026-07-01&to=2026-07-31` }, 200);
    expect(report.rows).toEqual([
      expect.objectContaining({ assetId: forklift.id, tag: forklift.tag, name: 'Forklift', category: null, kind: 'sold', disposedOn: '2026-07-15', book: 'financial', cost: '10000.00', accumulated: '4500.00', netBookValue: '5500.00', proceeds: '5000.00', costsOfDisposal: '200.00', gainOrLoss: '-700.00' }),
      expect.objectContaining({ assetId: forklift.id, book: 'tax', accumulated: '6160.00', gainOrLoss: '960.00' }),
    ]);
    expect(report.totals).toEqual([
      { book: 'financial', currency: 'EUR', assets: 1, cost: '10000.00', accumulated: '4500.00', netBookValue: '5500.00', proceeds: '5000.00', costsOfDisposal: '200.00', gainOrLoss: '-700.00' },
      { book: 'tax', currency: 'EUR', assets: 1, cost: '10000.00', accumulated: '6160.00', netBookValue: '3840.00', proceeds: '5000.00', costsOfDisposal: '200.00', gainOrLoss: '960.00' },
    ]);
    expect((await call({ method: 'GET', url: `${FA}/reports/disposals?book=tax&to=2026-06-30` }, 200)).rows).toEqual([]);

    const csv = await t.request({ method: 'GET', url: `${FA}/reports/disposals?book=financial&from=2026-01-01&format=csv` });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="fixed-assets-disposals-[0-9A-Za-z-]+\.csv"$/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('tag,asset,category,kind,disposed_on,book,currency,cost,accumulated,net_book_value,proceeds,costs_of_disposal,gain_or_loss');
    expect(lines.slice(1)).toEqual([`${forklift.tag},Forklift,,sold,2026-07-15,financial,EUR,10000.00,4500.00,5500.00,5000.00,200.00,-700.00`]);
  });
});

describe('disposal accounting in other situations', () => {
  it('runs posted beyond the disposal date are reversed by a negative catch-up; scrapped for nothing, the net book value is the loss', async () => {
    // 12,000 over 10 years = 100 a month; posted January–October 2025 (1,000); scrapped on 20 August 2025: full-month
    // counts January–July (700), so the disposal reverses 300 (Dr accumulated / Cr expense).
    await call({ method: 'PUT', url: `${FA}/books/reversal`, payload: { name: 'Reversal book' } }, 200);
    const pump = await asset(t, { name: 'Pump', acquisitionCost: '12000', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${pump.id}/books/reversal`, payload: { method: 'straight-line', usefulLifeYears: 10, placedInService: '2025-01-01' } }, 200);
    expect((await run('reversal', '2025-10-31')).totalAmount).toBe('1000.00');
    await transition(t, pump.id, 'retired');
    const scrapped = await call({ method: 'POST', url: `${FA}/assets/${pump.id}/dispose`, payload: { kind: 'scrapped', disposedOn: '2025-08-20' } }, 200);
    expect(scrapped.disposal.books).toEqual([
      { book: 'reversal', cost: '12000.00', accumulated: '700.00', catchUpDepreciation: '-300.00', netBookValue: '11300.00', netProceeds: '0.00', gainOrLoss: '-11300.00', journalEntryId: expect.any(String) },
    ]);
    const entry = await disposalEntry('reversal', pump.id);
    expect(accountLines(entry.lines)).toEqual([
      ['6800', '0.00', '300.00'],
      ['1590', '300.00', '0.00'],
      ['1590', '700.00', '0.00'],
      ['6900', '11300.00', '0.00'],
      ['1500', '0.00', '12000.00'],
    ]);
    expect(sums(entry.lines)).toEqual({ debit: 1230000, credit: 1230000 });
  });

  it('uses the accounts of the asset\'s category', async () => {
    const vans = await category(t, 'Vans');
    await t.sql(`INSERT INTO fixed_assets_category_accounts (category_id, asset_account, accumulated_account, gain_account, proceeds_account) VALUES ($1, '1520', '1592', '7110', '1210')`, [vans]);
    await call({ method: 'PUT', url: `${FA}/books/vans`, payload: { name: 'Vans book', periodFrequency: 'year' } }, 200);
    const van = await asset(t, { name: 'Van', acquisitionCost: '30000', categoryId: vans, status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${van.id}/books/vans`, payload: { method: 'straight-line', usefulLifeYears: 5, placedInService: '2024-01-01' } }, 200);
    await transition(t, van.id, 'retired');
    // Nothing posted: 2024, 2025 and none of 2026 (full-month, yearly book: January–March 2026 = 1,500) all at disposal.
    const sold = await call({ method: 'POST', url: `${FA}/assets/${van.id}/dispose`, payload: { kind: 'sold', disposedOn: '2026-04-01', proceeds: 20000 } }, 200);
    expect(sold.disposal.books[0]).toMatchObject({ accumulated: '13500.00', catchUpDepreciation: '13500.00', netBookValue: '16500.00', gainOrLoss: '3500.00' });
    expect(accountLines((await disposalEntry('vans', van.id)).lines)).toEqual([
      ['6800', '13500.00', '0.00'],
      ['1592', '0.00', '13500.00'],
      ['1592', '13500.00', '0.00'],
      ['1210', '20000.00', '0.00'],
      ['7110', '0.00', '3500.00'],
      ['1520', '0.00', '30000.00'],
    ]);
  });

  it('refuses a disposal dated in a closed period of one of its books, writing nothing', async () => {
    await call({ method: 'PUT', url: `${FA}/books/closing`, payload: { name: 'Closing book' } }, 200);
    const press = await asset(t, { name: 'Press', acquisitionCost: '6000', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${press.id}/books/closing`, payload: { method: 'straight-line', usefulLifeYears: 5, placedInService: '2025-01-01' } }, 200);
    await run('closing', '2025-06-30');
    await call({ method: 'POST', url: `${FA}/periods/close`, payload: { book: 'closing', periodEnd: '2025-06-30' } }, 200);
    await transition(t, press.id, 'retired');
    const refused = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${press.id}/dispose`, payload: { kind: 'scrapped', disposedOn: '2025-06-15' } }));
    expect(expectProblem(refused, 409, 'fixed-assets/period-closed')).toMatchObject({ book: 'closing', periodEnd: '2025-06-30' });
    expectProblem(await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${press.id}/disposal-preview`, payload: { kind: 'scrapped', disposedOn: '2025-06-15' } })), 409, 'fixed-assets/period-closed');
    // In the open period after it: 6 months posted, July counts nothing (full-month).
    const ok = await call({ method: 'POST', url: `${FA}/assets/${press.id}/dispose`, payload: { kind: 'scrapped', disposedOn: '2025-07-10' } }, 200);
    expect(ok.disposal.books[0]).toMatchObject({ book: 'closing', accumulated: '600.00', catchUpDepreciation: '0.00', netBookValue: '5400.00' });
    expect(accountLines((await disposalEntry('closing', press.id)).lines)).toEqual([
      ['1590', '600.00', '0.00'],
      ['6900', '5400.00', '0.00'],
      ['1500', '0.00', '6000.00'],
    ]);
  });

  it('an asset in no book disposes as before: no journal entry, no books', async () => {
    const chair = await asset(t, { name: 'Chair', acquisitionCost: '300' });
    const before = (await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_journal_entry`))[0].n;
    const lost = await call({ method: 'POST', url: `${FA}/assets/${chair.id}/dispose`, payload: { kind: 'lost', costsOfDisposal: '12.5' } }, 200);
    expect(lost.disposal).toMatchObject({ kind: 'lost', proceeds: null, costsOfDisposal: '12.50', books: [] });
    expect((await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_journal_entry`))[0].n).toBe(before);
  });

  it('the preview refuses what the disposal would refuse', async () => {
    const desk = await asset(t, { name: 'Desk', acquisitionCost: '800', status: 'in-service' });
    expectProblem(await t.request({ method: 'POST', url: `${FA}/assets/${desk.id}/disposal-preview`, payload: { kind: 'sold', proceeds: 100 } }), 409, 'fixed-assets/illegal-transition');
    const res = await t.request({ method: 'POST', url: `${FA}/assets/${desk.id}/disposal-preview`, payload: { kind: 'stolen', costsOfDisposal: '1.234', disposedOn: '2999-01-01' } });
    expect(expectProblem(res, 400, 'validation').errors!.map((e: { field: string }) => e.field).sort()).toEqual(['costsOfDisposal', 'disposedOn']);
  });
});
