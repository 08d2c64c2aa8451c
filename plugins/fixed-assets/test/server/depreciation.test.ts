import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { expectNoChange, expectProblem } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, caller, category } from './fixtures.js';

let t: TestPlatform;
let call: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await bootFixedAssets({ runBatchSize: 2 });
  call = caller(t);
});
afterAll(() => t?.close());

/** Start a run and follow it until it is no longer running. */
async function run(book: string, periodEnd: string, status = 202) {
  const started = await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book, periodEnd } }, status);
  for (let i = 0; i < 200; i++) {
    const r = await call({ method: 'GET', url: `${FA}/depreciation/runs/${started.id}` }, 200);
    if (r.status !== 'running') return { started, run: r };
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('run did not finish');
}

describe('POST /depreciation/preview', () => {
  test('straight-line over ten years: 2,250 a year (Excel SLN documentation: cost 30,000, salvage 7,500, life 10)', async () => {
    const { schedule } = await call(
      { method: 'POST', url: `${FA}/depreciation/preview`, payload: { method: 'straight-line', cost: 30000, salvageValue: '7500', usefulLifeYears: 10, placedInService: '2026-01-01', periodFrequency: 'year', convention: 'full-month' } },
      200,
    );
    expect(schedule).toHaveLength(10);
    expect(schedule[0]).toEqual({ period: 1, periodStart: '2026-01-01', periodEnd: '2026-12-31', amount: '2250.00', accumulated: '2250.00', bookValue: '27750.00' });
    expect(schedule[9].bookValue).toBe('7500.00');
  });

  test('MACRS 5-year, half-year convention: the Table A-1 percentages of the basis', async () => {
    const { schedule } = await call({ method: 'POST', url: `${FA}/depreciation/preview`, payload: { method: 'macrs', cost: '10000', recoveryPeriodYears: 5, placedInService: '2026-03-15' } }, 200);
    expect(schedule.map((r: { amount: string }) => r.amount)).toEqual(['2000.00', '3200.00', '1920.00', '1152.00', '1152.00', '576.00']);
  });

  test.each([
    ['salvage above cost', { method: 'straight-line', cost: 100, salvageValue: 200, usefulLifeYears: 5, placedInService: '2026-01-01' }, 'salvageValue'],
    ['a negative life', { method: 'straight-line', cost: 100, usefulLifeYears: -5 }, 'usefulLifeYears'],
    ['an unknown method', { method: 'lunar-decay', cost: 100, usefulLifeYears: 5 }, 'method'],
    ['a MACRS class without tables', { method: 'macrs', cost: 100, recoveryPeriodYears: 4 }, 'recoveryPeriodYears'],
  ])('%s is 422 naming the field', async (_, payload, field) => {
    const res = await t.request({ method: 'POST', url: `${FA}/depreciation/preview`, payload });
    expectProblem(res, 422, 'fixed-assets/invalid-depreciation');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('books and period runs', () => {
  let van: string;
  let drill: string;
  let tools: string;
  beforeAll(async () => {
    tools = await category(t, 'Power tools');
    await t.sql(`INSERT INTO fixed_assets_category_accounts (category_id, expense_account, accumulated_account) VALUES ($1, '6810', '1591')`, [tools]);
    van = (await asset(t, { name: 'Delivery van', acquisitionCost: '36000', status: 'in-service' })).id;
    drill = (await asset(t, { name: 'Core drill', acquisitionCost: '1200', categoryId: tools, status: 'in-service' })).id;
  });

  test('an asset carries several books, each with its own method and schedule', async () => {
    await call({ method: 'PUT', url: `${FA}/assets/${van}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: 6, salvageValue: '0', placedInService: '2025-11-01' } }, 200);
    await call({ method: 'PUT', url: `${FA}/assets/${van}/books/tax`, payload: { method: 'macrs', recoveryPeriodYears: 5, placedInService: '2025-11-01', convention: 'half-year' } }, 200);
    await call({ method: 'PUT', url: `${FA}/assets/${drill}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: 2, placedInService: '2026-01-01' } }, 200);
    const books = await call({ method: 'GET', url: `${FA}/assets/${van}/books` }, 200);
    expect(books.map((b: { book: string; method: string }) => [b.book, b.method])).toEqual([
      ['financial', 'straight-line'],
      ['tax', 'macrs'],
    ]);
    const fin = await call({ method: 'GET', url: `${FA}/assets/${van}/books/financial/schedule` }, 200);
    expect(fin.schedule[0]).toMatchObject({ periodStart: '2025-11-01', periodEnd: '2025-11-30', amount: '500.00', posted: null });
    expect(fin.schedule).toHaveLength(72);
    const tax = await call({ method: 'GET', url: `${FA}/assets/${van}/books/tax/schedule` }, 200);
    expect(tax.schedule[0]).toMatchObject({ periodEnd: '2025-12-31', amount: '7200.00' });
  });

  test('the preview shows what a run would post, per category and account, and posts nothing', async () => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_depreciation_entry`);
    const p = await call({ method: 'POST', url: `${FA}/depreciation/runs/preview`, payload: { book: 'financial', periodEnd: '2026-01-31' } }, 200);
    // The van catches up November and December with January: 3 × 500; the drill's first month: 50.
    expect(p).toMatchObject({ periodStart: '2026-01-01', periodEnd: '2026-01-31', assets: 2, totalAmount: '1550.00', alreadyPosted: false });
    expect(p.byCategory).toEqual(
      expect.arrayContaining([
        { categoryId: null, amount: '1500.00', expenseAccount: '6800', accumulatedAccount: '1590' },
        { categoryId: tools, amount: '50.00', expenseAccount: '6810', accumulatedAccount: '1591' },
      ]),
    );
    expect(await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_depreciation_entry`)).toEqual(before);
  });

  test('a run posts the period once, books a balanced journal entry, and running it again posts nothing more', async () => {
    const { started, run: done } = await run('financial', '2026-01-31');
    expect(started.created).toBe(true);
    expect(done).toMatchObject({ status: 'completed', assetsTotal: 2, assetsDone: 2, totalAmount: '1550.00' });

    const journal = await call({ method: 'GET', url: `${FA}/journal?book=financial` }, 200);
    expect(journal).toHaveLength(1);
    const lines = journal[0].lines as { account: string; debit: string; credit: string }[];
    expect(lines.map((l) => [l.account, l.debit, l.credit])).toEqual(
      expect.arrayContaining([
        ['6800', '1500.00', '0.00'],
        ['1590', '0.00', '1500.00'],
        ['6810', '50.00', '0.00'],
        ['1591', '0.00', '50.00'],
      ]),
    );

    // The event carries the same amounts per category and site, for ledgers outside the platform.
    const posted = t.events.filter((e) => e.name === 'fixed-assets.depreciation.posted').at(-1)!;
    expect(posted.payload).toMatchObject({ runId: started.id, totalAmount: '1550.00', journalEntryId: journal[0].id });
    expect((posted.payload as { lines: unknown[] }).lines).toEqual([
      { categoryId: null, siteId: null, amount: '1500.00', assets: 1 },
      { categoryId: tools, siteId: null, amount: '50.00', assets: 1 },
    ]);

    const again = await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book: 'financial', periodEnd: '2026-01-31' } }, 200);
    expect(again).toMatchObject({ id: started.id, created: false, status: 'completed' });
    expect((await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_depreciation_entry WHERE period_end = '2026-01-31'`))[0].n).toBe(2);
    expect(await call({ method: 'GET', url: `${FA}/journal?book=financial` }, 200)).toHaveLength(1);

    const books = await call({ method: 'GET', url: `${FA}/assets/${van}/books` }, 200);
    expect(books.find((b: { book: string }) => b.book === 'financial')).toMatchObject({ postedAccumulated: '1500.00', postedThrough: '2026-01-31', netBookValue: '34500.00' });
    const fin = await call({ method: 'GET', url: `${FA}/assets/${van}/books/financial/schedule` }, 200);
    expect(fin.schedule[2]).toMatchObject({ periodEnd: '2026-01-31', posted: '1500.00' });
  });

  test('the next period posts only its own month; the tax book runs by year on its own', async () => {
    const { run: feb } = await run('financial', '2026-02-28');
    expect(feb.totalAmount).toBe('550.00');
    const { run: tax } = await run('tax', '2025-12-31');
    expect(tax.totalAmount).toBe('7200.00');
  });

  test('parameters of a book already posted do not change retroactively', async () => {
    const res = await t.request({ method: 'PUT', url: `${FA}/assets/${van}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: 3, placedInService: '2025-11-01' } });
    expectProblem(res, 409, 'fixed-assets/book-posted');
  });

  test('a closed period takes no more postings, and a period must be posted before it closes', async () => {
    expectProblem(await t.request({ method: 'POST', url: `${FA}/periods/close`, payload: { book: 'financial', periodEnd: '2026-03-31' } }), 409, 'fixed-assets/period-not-posted');
    await call({ method: 'POST', url: `${FA}/periods/close`, payload: { book: 'financial', periodEnd: '2026-02-28' } }, 200);
    await expectNoChange(t, async () => {
      expectProblem(await t.request({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book: 'financial', periodEnd: '2025-12-31' } }), 409, 'fixed-assets/period-closed');
    });
    // A period already run stays answered by its run (nothing is posted again).
    await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book: 'financial', periodEnd: '2026-02-28' } }, 200);
    expect(await call({ method: 'GET', url: `${FA}/periods?book=financial` }, 200)).toEqual([expect.objectContaining({ book: 'financial', periodEnd: '2026-02-28' })]);
  });

  test('a period end that does not end one of the book\'s periods is refused, naming the field', async () => {
    const res = await t.request({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book: 'financial', periodEnd: '2026-03-15' } });
    expectProblem(res, 400, 'validation');
    expect(res.json().errors[0]).toMatchObject({ field: 'periodEnd' });
    expectProblem(await t.request({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book: 'nope', periodEnd: '2026-03-31' } }), 404, 'fixed-assets/book-not-found');
  });

  test('a book with a fiscal year from July runs by fiscal year', async () => {
    await call({ method: 'PUT', url: `${FA}/books/statutory`, payload: { name: 'Statutory (July year)', periodFrequency: 'year', fiscalYearStart: '07-01' } }, 200);
    await call({ method: 'PUT', url: `${FA}/assets/${drill}/books/statutory`, payload: { method: 'straight-line', usefulLifeYears: 2, placedInService: '2026-01-01' } }, 200);
    const res = await t.request({ method: 'POST', url: `${FA}/depreciation/runs/preview`, payload: { book: 'statutory', periodEnd: '2026-12-31' } });
    expectProblem(res, 400, 'validation');
    const p = await call({ method: 'POST', url: `${FA}/depreciation/runs/preview`, payload: { book: 'statutory', periodEnd: '2026-06-30' } }, 200);
    // January to June 2026 of a 1,200 asset over 24 months: 300.
    expect(p).toMatchObject({ periodStart: '2025-07-01', periodEnd: '2026-06-30', totalAmount: '300.00' });
    const { run: r } = await run('statutory', '2026-06-30');
    expect(r.totalAmount).toBe('300.00');
    expectProblem(await t.request({ method: 'PUT', url: `${FA}/books/statutory`, payload: { name: 'Statutory', fiscalYearStart: '01-01' } }), 409, 'fixed-assets/book-in-use');
  });
});
