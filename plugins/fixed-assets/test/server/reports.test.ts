import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { expectProblem } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, caller, category, custodyMatchesStatus, inDays, location, person } from './fixtures.js';

/**
 * The reports, with numbers a person can check by hand. Straight-line assets from 1 January 2026
 * in the monthly financial book: a 36,000 van over 6 years (500 a month), a 1,200 drill over 2
 * years (50 a month) and a 12,000 press over 10 years (100 a month) that is scrapped mid-February;
 * January and February are posted. A trailer (10,000, salvage 1,000, 3 years: 250 a month) comes
 * into service in March.
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
beforeAll(async () => {
  // Batches of two: the forecast walks the register in several keyset batches.
  t = await bootFixedAssets({ runBatchSize: 2 });
  call = caller(t);
});
afterAll(async () => {
  if (t) await custodyMatchesStatus(t);
  await t?.close();
});

async function run(book: string, periodEnd: string) {
  const started = await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book, periodEnd } }, 202);
  for (let i = 0; i < 200; i++) {
    const r = await call({ method: 'GET', url: `${FA}/depreciation/runs/${started.id}` }, 200);
    if (r.status !== 'running') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('run did not finish');
}

const csvLines = (body: string) => body.split('\r\n').filter(Boolean);

describe('net book value and depreciation forecast', () => {
  let vehicles: string;
  let tools: string;
  let north: string;
  let south: string;
  let van: string;
  let drill: string;
  let trailer: string;

  beforeAll(async () => {
    vehicles = await category(t, 'Vehicles');
    tools = await category(t, 'Tools, "hand" & power');
    north = await location(t, 'North', 'site');
    const hall = await location(t, 'Hall A', 'building', north);
    const bay = await location(t, 'Bay 3', 'area', hall);
    south = await location(t, 'South', 'site');
    van = (await asset(t, { name: 'Delivery van', categoryId: vehicles, locationId: bay, acquisitionCost: '36000', status: 'in-service' })).id;
    drill = (await asset(t, { name: 'Core drill', categoryId: tools, locationId: south, acquisitionCost: '1200', status: 'in-service' })).id;
    const press = (await asset(t, { name: 'Press', categoryId: tools, locationId: south, acquisitionCost: '12000', status: 'in-service' })).id;
    for (const [id, life] of [[van, 6], [drill, 2], [press, 10]] as const) {
      await call({ method: 'PUT', url: `${FA}/assets/${id}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: life, placedInService: '2026-01-01' } }, 200);
    }
    expect((await run('financial', '2026-01-31')).totalAmount).toBe('650.00');
    // Scrapped on 15 February (written straight to the register: disposal accounting is not what is tested here).
    await t.sql(`UPDATE fixed_assets_asset SET status = 'disposed', disposal_kind = 'scrapped', disposed_on = '2026-02-15' WHERE id = $1`, [press]);
    expect((await run('financial', '2026-02-28')).totalAmount).toBe('550.00');
    trailer = (await asset(t, { name: 'Trailer', categoryId: vehicles, locationId: hall, acquisitionCost: '10000', status: 'in-service' })).id;
    await call({ method: 'PUT', url: `${FA}/assets/${trailer}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: 3, salvageValue: '1000', placedInService: '2026-03-01' } }, 200);
  });

  test('NBV after two posted periods, per category: cost − opening − entries of periods ending by the date', async () => {
    const r = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-02-28&book=financial&groupBy=category` }, 200);
    expect(r).toMatchObject({ asOf: '2026-02-28', book: 'financial', groupBy: 'category' });
    // The press (scrapped on 15 February) and the trailer (in service from March) are not on the books then.
    expect(r.groups).toEqual([
      { id: tools, label: 'Tools, "hand" & power', currency: 'EUR', assets: 1, cost: '1200.00', revaluation: '0.00', accumulatedDepreciation: '100.00', impairment: '0.00', netBookValue: '1100.00' },
      { id: vehicles, label: 'Vehicles', currency: 'EUR', assets: 1, cost: '36000.00', revaluation: '0.00', accumulatedDepreciation: '1000.00', impairment: '0.00', netBookValue: '35000.00' },
    ]);
    expect(r.totals).toEqual([{ currency: 'EUR', assets: 2, cost: '37200.00', revaluation: '0.00', accumulatedDepreciation: '1100.00', impairment: '0.00', netBookValue: '36100.00' }]);
  });

  test('as of the end of January: one period posted, and the press still on the books', async () => {
    const r = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-01-31&groupBy=none` }, 200);
    // Van 500, drill 50, press 100.
    expect(r.groups).toEqual([{ id: null, label: 'All assets', currency: 'EUR', assets: 3, cost: '49200.00', revaluation: '0.00', accumulatedDepreciation: '650.00', impairment: '0.00', netBookValue: '48550.00' }]);
    const before = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2025-12-31` }, 200);
    expect(before).toMatchObject({ groups: [], totals: [] });
  });

  test('grouped by site (the top-most site above the location) and by location; filters take the tree below', async () => {
    const bySite = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-03-31&groupBy=site` }, 200);
    // March is not posted: the trailer is on the books (from March) with nothing depreciated yet.
    expect(bySite.groups.map((g: { id: string; label: string; assets: number; netBookValue: string }) => [g.id, g.label, g.assets, g.netBookValue])).toEqual([
      [north, 'North', 2, '45000.00'],
      [south, 'South', 1, '1100.00'],
    ]);
    const byLocation = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-03-31&groupBy=location&locationId=${north}` }, 200);
    expect(byLocation.groups.map((g: { label: string; assets: number }) => [g.label, g.assets])).toEqual([
      ['North / Hall A', 1],
      ['North / Hall A / Bay 3', 1],
    ]);
    const tools_ = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-03-31&categoryId=${tools}` }, 200);
    expect(tools_.totals).toEqual([expect.objectContaining({ assets: 1, netBookValue: '1100.00' })]);
  });

  test('as CSV: a named file, RFC 4180 quoting, labels a spreadsheet cannot run, a totals row', async () => {
    await call({ method: 'PATCH', url: `/api/core/categories/${tools}`, payload: { name: '=HYPERLINK("x"), tools' } }, 200);
    try {
      const res = await t.request({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-02-28&format=csv` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="fixed-assets-net-book-value-financial-2026-02-28.csv"');
      expect(csvLines(res.body)).toEqual([
        'category,currency,assets,cost,revaluation,accumulated_depreciation,impairment,net_book_value',
        `"'=HYPERLINK(""x""), tools",EUR,1,1200.00,0.00,100.00,0.00,1100.00`,
        'Vehicles,EUR,1,36000.00,0.00,1000.00,0.00,35000.00',
        'Total,EUR,2,37200.00,0.00,1100.00,0.00,36100.00',
      ]);
    } finally {
      await call({ method: 'PATCH', url: `/api/core/categories/${tools}`, payload: { name: 'Tools, "hand" & power' } }, 200);
    }
  });

  test('forecast: each fiscal year what the runs will post; the years and beyond add up to cost − salvage − posted', async () => {
    const f = await call({ method: 'GET', url: `${FA}/reports/depreciation-forecast?book=financial&years=5&from=2026-03-01&groupBy=category` }, 200);
    expect(f.years).toEqual([
      { label: '2026', start: '2026-01-01', end: '2026-12-31' },
      { label: '2027', start: '2027-01-01', end: '2027-12-31' },
      { label: '2028', start: '2028-01-01', end: '2028-12-31' },
      { label: '2029', start: '2029-01-01', end: '2029-12-31' },
      { label: '2030', start: '2030-01-01', end: '2030-12-31' },
    ]);
    // Drill: 2026 is 12 × 50 less the 100 posted; 2027 the last 12 months. Remaining 1,200 − 0 − 100.
    // Van: 6,000 a year less 1,000 posted in 2026, the sixth year (2031) beyond. Trailer: 10 months of 250 in 2026,
    // 3,000 in 2027 and 2028, January–February 2029. Remaining 35,000 + 9,000 (10,000 − 1,000 salvage).
    expect(f.groups).toEqual([
      { id: tools, label: 'Tools, "hand" & power', currency: 'EUR', assets: 1, amounts: ['500.00', '600.00', '0.00', '0.00', '0.00'], beyond: '0.00', remaining: '1100.00' },
      { id: vehicles, label: 'Vehicles', currency: 'EUR', assets: 2, amounts: ['7500.00', '9000.00', '9000.00', '6500.00', '6000.00'], beyond: '6000.00', remaining: '44000.00' },
    ]);
    expect(f.totals).toEqual([{ currency: 'EUR', assets: 3, amounts: ['8000.00', '9600.00', '9000.00', '6500.00', '6000.00'], beyond: '6000.00', remaining: '45100.00' }]);

    const all = await call({ method: 'GET', url: `${FA}/reports/depreciation-forecast?years=10&from=2026-03-01&groupBy=none` }, 200);
    const sum = all.totals[0].amounts.reduce((a: number, x: string) => a + Math.round(Number(x) * 100), 0) / 100;
    expect({ sum, beyond: all.totals[0].beyond }).toEqual({ sum: 45100, beyond: '0.00' });

    const csv = await t.request({ method: 'GET', url: `${FA}/reports/depreciation-forecast?years=2&from=2026-03-01&groupBy=none&format=csv` });
    expect(csv.headers['content-disposition']).toBe('attachment; filename="fixed-assets-depreciation-forecast-financial-2026-03-01.csv"');
    expect(csvLines(csv.body)).toEqual(['group,currency,assets,FY 2026,FY 2027,beyond,remaining', 'All assets,EUR,3,8000.00,9600.00,27500.00,45100.00', 'Total,EUR,3,8000.00,9600.00,27500.00,45100.00']);
  });

  test('a fiscal year from July is labelled by both calendar years', async () => {
    await call({ method: 'PUT', url: `${FA}/books/statutory`, payload: { name: 'Statutory', periodFrequency: 'year', fiscalYearStart: '07-01' } }, 200);
    const f = await call({ method: 'GET', url: `${FA}/reports/depreciation-forecast?book=statutory&years=2&from=2026-03-01` }, 200);
    expect(f.years).toEqual([
      { label: '2025/26', start: '2025-07-01', end: '2026-06-30' },
      { label: '2026/27', start: '2026-07-01', end: '2027-06-30' },
    ]);
    expect(f.groups).toEqual([]);
    expectProblem(await t.request({ method: 'GET', url: `${FA}/reports/depreciation-forecast?book=nope` }), 404, 'fixed-assets/book-not-found');
  });

  test('revaluations add to the carrying amount and impairments to accumulated depreciation, from their effective date', async () => {
    // Recorded as the adjustment routes record them (first day of a period; amount = after − before).
    await t.sql(
      `INSERT INTO fixed_assets_book_adjustment (asset_id, book_code, kind, effective_on, carrying_before, carrying_after, amount, created_by_label)
       VALUES ($1, 'financial', 'revaluation', '2026-03-01', 35000, 40000, 5000, 'test'), ($2, 'financial', 'impairment', '2026-03-01', 1100, 800, -300, 'test')`,
      [van, drill],
    );
    const feb = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-02-28&groupBy=none` }, 200);
    expect(feb.totals[0]).toMatchObject({ cost: '37200.00', netBookValue: '36100.00' });
    const mar = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-03-01&categoryId=${vehicles}` }, 200);
    // Van 36,000 + 5,000 revalued, 1,000 depreciated; the trailer 10,000 with nothing depreciated.
    expect(mar.groups[0]).toMatchObject({ assets: 2, cost: '51000.00', revaluation: '5000.00', accumulatedDepreciation: '1000.00', impairment: '0.00', netBookValue: '50000.00' });
    const drillNbv = await call({ method: 'GET', url: `${FA}/reports/net-book-value?asOf=2026-03-01&categoryId=${tools}` }, 200);
    expect(drillNbv.groups[0]).toMatchObject({ cost: '1200.00', accumulatedDepreciation: '400.00', impairment: '300.00', netBookValue: '800.00' });
  });
});

describe('custody and utilization', () => {
  let gear: string;
  let ana: string;
  let a: { id: string; tag: string };
  let b: { id: string; tag: string };
  let c: { id: string; tag: string };
  let d: { id: string; tag: string };

  beforeAll(async () => {
    gear = await category(t, 'Survey gear');
    ana = await person(t, 'Ana');
    const make = (name: string) => asset(t, { name, categoryId: gear, purchaseDate: '2025-12-01', status: 'in-service' });
    [a, b, c, d] = [await make('Level A'), await make('Level B'), await make('Total station C'), await make('Tripod D')];
    // Check-outs happen now; their times are then moved into January 2026, the window the test reads.
    for (const [x, body] of [
      [a, { to: 'person', personId: ana }],
      [b, { to: 'person', personId: ana, expectedReturnAt: inDays(1) }],
      [c, { to: 'project', project: 'Bridge' }],
    ] as const) {
      await call({ method: 'POST', url: `${FA}/assets/${x.id}/check-out`, payload: body }, 201);
    }
    await call({ method: 'POST', url: `${FA}/assets/${a.id}/check-in`, payload: {} }, 200);
    const move = (id: string, out: string, back: string | null, due: string | null) =>
      t.sql(`UPDATE fixed_assets_custody SET checked_out_at = $2, checked_in_at = $3, expected_return_at = $4 WHERE asset_id = $1`, [id, out, back, due]);
    await move(a.id, '2026-01-05T08:00:00Z', '2026-01-08T08:00:00Z', null);
    await move(b.id, '2026-01-06T00:00:00Z', null, '2026-01-07T00:00:00Z');
    await move(c.id, '2026-01-02T00:00:00Z', null, null);
    // A booking of A for 1–3 January (made for the future, then moved back, as bookings cannot be made in the past).
    const booking = await call({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [a.id], startsAt: inDays(40), endsAt: inDays(41) } }, 201);
    await t.sql(`UPDATE fixed_assets_booking SET period = tstzrange('2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z') WHERE id = $1`, [booking.id]);
    await t.sql(`UPDATE fixed_assets_booking_asset SET period = tstzrange('2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z') WHERE booking_id = $1`, [booking.id]);
  });

  test('who had what at a past instant, per holder, with the overdue flag as of then', async () => {
    const r = await call({ method: 'GET', url: `${FA}/reports/custody?asOf=2026-01-07T12:00:00Z` }, 200);
    expect(r).toMatchObject({ asOf: '2026-01-07T12:00:00.000Z', total: 2, custodies: 3, overdue: 1 });
    expect(r.data.map((h: { holder: { label: string }; count: number; overdue: number }) => [h.holder.label, h.count, h.overdue])).toEqual([
      ['Ana', 2, 1],
      ['Bridge', 1, 0],
    ]);
    const anas = r.data[0].custodies;
    expect(anas.map((x: { tag: string; overdue: boolean; daysOut: number; checkedInAt: string | null }) => [x.tag, x.overdue, x.daysOut, x.checkedInAt])).toEqual([
      [a.tag, false, 2, '2026-01-08T08:00:00.000Z'],
      [b.tag, true, 1, null],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));

    const later = await call({ method: 'GET', url: `${FA}/reports/custody?asOf=2026-01-09T00:00:00Z&type=person` }, 200);
    expect(later.data.map((h: { holder: { label: string }; custodies: { tag: string }[] }) => [h.holder.label, h.custodies.map((x) => x.tag)])).toEqual([['Ana', [b.tag]]]);
    const early = await call({ method: 'GET', url: `${FA}/reports/custody?asOf=2026-01-03T00:00:00Z` }, 200);
    expect(early).toMatchObject({ total: 1, custodies: 1, data: [{ holder: { type: 'project', id: null, label: 'Bridge' } }] });

    const csv = await t.request({ method: 'GET', url: `${FA}/reports/custody?asOf=2026-01-07T12:00:00Z&format=csv` });
    expect(csv.headers['content-disposition']).toBe('attachment; filename="fixed-assets-custody-2026-01-07T120000.csv"');
    const lines = csvLines(csv.body);
    expect(lines[0]).toBe('holder_type,holder,tag,asset,checked_out_at,checked_out_by,expected_return_at,overdue,days_out,checked_in_at');
    expect(lines).toContain(`person,Ana,${b.tag},Level B,2026-01-06T00:00:00.000Z,admin@example.test,2026-01-07T00:00:00.000Z,true,1,`);
    expect(lines).toHaveLength(4);
  });

  test('utilization over 1–10 January: checked out 3 of 10 days is 30.00 %', async () => {
    const r = await call({ method: 'GET', url: `${FA}/reports/utilization?from=2026-01-01&to=2026-01-10&categoryId=${gear}` }, 200);
    expect(r).toMatchObject({ windowStart: '2026-01-01T00:00:00.000Z', windowEnd: '2026-01-11T00:00:00.000Z', windowHours: '240.00', total: 4 });
    // C: out from 2 January on (9 days), B: from 6 January on (5 days), A: 5–8 January (3 days), booked 1–3 January (2 days).
    expect(r.data.map((x: { tag: string; checkedOutHours: string; utilization: string; bookedHours: string; booked: string }) => [x.tag, x.checkedOutHours, x.utilization, x.bookedHours, x.booked])).toEqual([
      [c.tag, '216.00', '90.00', '0.00', '0.00'],
      [b.tag, '120.00', '50.00', '0.00', '0.00'],
      [a.tag, '72.00', '30.00', '48.00', '20.00'],
      [d.tag, '0.00', '0.00', '0.00', '0.00'],
    ]);
    // 408 of 4 × 240 hours.
    expect(r.totals).toEqual({ assets: 4, checkedOutHours: '408.00', bookedHours: '48.00', utilization: '42.50', booked: '5.00' });

    const page = await call({ method: 'GET', url: `${FA}/reports/utilization?from=2026-01-01&to=2026-01-10&categoryId=${gear}&limit=1&offset=2` }, 200);
    expect(page).toMatchObject({ total: 4, limit: 1, offset: 2, data: [{ tag: a.tag }] });

    const csv = await t.request({ method: 'GET', url: `${FA}/reports/utilization?from=2026-01-01&to=2026-01-10&categoryId=${gear}&format=csv` });
    expect(csv.headers['content-disposition']).toBe('attachment; filename="fixed-assets-utilization-2026-01-01-2026-01-10.csv"');
    expect(csvLines(csv.body)).toEqual([
      'tag,asset,status,checked_out_hours,utilization_percent,booked_hours,booked_percent',
      `${c.tag},Total station C,checked-out,216.00,90.00,0.00,0.00`,
      `${b.tag},Level B,checked-out,120.00,50.00,0.00,0.00`,
      `${a.tag},Level A,in-service,72.00,30.00,48.00,20.00`,
      `${d.tag},Tripod D,in-service,0.00,0.00,0.00,0.00`,
    ]);
  });

  test('a window that is all in the future, or ends before it starts, is refused', async () => {
    const future = await t.request({ method: 'GET', url: `${FA}/reports/utilization?from=2099-01-01&to=2099-01-31` });
    expect(expectProblem(future, 400, 'validation').errors).toEqual([expect.objectContaining({ field: 'from' })]);
    const backwards = await t.request({ method: 'GET', url: `${FA}/reports/utilization?from=2026-01-10&to=2026-01-01` });
    expect(expectProblem(backwards, 400, 'validation').errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });
});
