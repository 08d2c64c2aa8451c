import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { parseCsv, toCsv } from '@quartermaster/sdk';
import { FA, asset, bootFixedAssets, caller, category, eventsSince, item, location, person, userWith } from './fixtures.js';

/** Register writes: assets, their history and books, tags and identifiers. */
const REGISTER = ['fixed_assets_asset', 'fixed_assets_tag', 'core_identifier', 'fixed_assets_depreciation'];

const rowsOf = (csv: string) => {
  const [head, ...rows] = parseCsv(csv).records.map((r) => r.cells);
  return { head, rows, byTag: new Map(rows.map((r) => [r[0], Object.fromEntries(head.map((h, i) => [h, r[i]]))])) };
};

/** The reference data both installations of the round trip share (the register refers to it). */
async function reference(t: TestPlatform) {
  const call = caller(t);
  const site = await location(t, 'Main site', 'site', undefined, 'MAIN');
  const office = await location(t, 'Office 2', 'room', site);
  const yard = await location(t, 'Yard', 'area', site, 'YARD');
  const equipment = await category(t, 'Equipment');
  const vehicles = await category(t, 'Vehicles', equipment);
  await category(t, 'Laptops', equipment);
  await call({ method: 'PUT', url: `${FA}/categories/${vehicles}/settings`, payload: { fields: [{ key: 'plate', label: 'Licence plate', type: 'text', required: true }] } }, 200);
  const printer = await item(t, 'Label printer');
  await call({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'sku', value: 'PRN-200', targetType: 'core.item', targetId: printer } }, 201);
  const ana = await person(t, 'Ana Costa', { employeeNumber: 'E-7' });
  const bob = await userWith(t, 'bob@example.test', [permissions.assetRead]);
  return { site, office, yard, equipment, vehicles, printer, ana, bob: bob.id };
}

/** Follow an import job until it is no longer running. */
async function settle(t: TestPlatform, id: string) {
  const call = caller(t);
  for (let i = 0; i < 400; i++) {
    const job = await call({ method: 'GET', url: `${FA}/imports/${id}` }, 200);
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

describe('CSV import and export of the register', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let ref: Awaited<ReturnType<typeof reference>>;
  const importCsv = (csv: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    t.request({ method: 'POST', url: `${FA}/imports`, payload: { csv, ...extra }, ...(headers ? { headers } : {}) });
  const exportCsv = async (query = '', headers?: Record<string, string>) => {
    const res = await t.request({ method: 'GET', url: `${FA}/export/assets.csv${query}`, ...(headers ? { headers } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  beforeAll(async () => {
    t = await bootFixedAssets({ importSyncMaxRows: 20, importBatchSize: 3 });
    call = caller(t);
    ref = await reference(t);
  });
  afterAll(() => t?.close());

  it('reports every invalid row with its row, column and message, and imports nothing', async () => {
    const taken = await asset(t, { name: 'Already here', tag: 'TAKEN-1' });
    const header = 'tag,name,category,location,item_sku,acquisition_cost,purchase_date,custom_fields,financial_method,financial_life_years,financial_salvage,financial_placed_in_service,financial_accumulated';
    const lines = [
      'OK-1,Good laptop,Equipment / Laptops,MAIN,,1200,2025-01-10,,straight-line,3,,2025-01-10,', // row 2: fine
      'BAD-3,Unknown category,Equipment / Drones,MAIN,,,,,,,,,', // 3
      'BAD-4,Unknown location,,Main site / Basement,,,,,,,,,', // 4
      'BAD-5,Unknown SKU,,,NOPE-SKU,,,,,,,,', // 5
      'BAD-6,Comma decimal,,,,"12,50",,,,,,,', // 6
      'OK-1,Same tag twice,,,,,,,,,,,', // 7
      `${taken.tag},Taken tag,,,,,,,,,,,`, // 8
      'BAD-9,Salvage above cost,,,,1000,2025-01-10,,straight-line,5,2000,2025-01-10,', // 9
      'BAD-10,Unknown method,,,,1000,,,lunar-decay,5,,2025-01-10,', // 10
      'BAD-11,Too much brought over,,,,1000,,,straight-line,5,100,2025-01-10,950', // 11
      '', // 12: a blank line is skipped, still counted
      'BAD-13,,,,,,,,,,,,', // 13: no name
      'BAD-14,Van without plate,Vehicles,YARD,,30000,,,,,,,', // 14: the category needs a plate
      'BAD-15,Three decimals,,,,10.125,,,,,,,', // 15
      'BAD-16,Not JSON,,,,,,{plate:1},,,,,', // 16
      'BAD-17,Future purchase,,,,,2999-01-01,,,,,,', // 17
    ];
    const res = await expectNoChange(t, () => importCsv([header, ...lines].join('\n'), { fileName: 'register.csv' }), REGISTER);
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json();
    expect(res.headers.location).toBe(`/api/fixed-assets/imports/${job.id}`);
    expect(job).toMatchObject({ status: 'failed', mode: 'create', dryRun: false, fileName: 'register.csv', rowsTotal: 15, rowsDone: 0, counts: { total: 15, invalid: 14, created: 0 } });
    expect(job.detail).toBe('14 of 15 rows are invalid; nothing was imported');
    const byRow = job.errors.map((e: any) => [e.row, e.column, e.message]);
    expect(byRow).toEqual(
      expect.arrayContaining([
        [3, 'category', expect.stringContaining('no category has this path or name')],
        [4, 'location', expect.stringContaining('no location has this code or path')],
        [5, 'item_sku', 'no item has this SKU'],
        [6, 'acquisition_cost', expect.stringContaining('must be a number')],
        [7, 'tag', 'OK-1 is on row 2 too'],
        [8, 'tag', expect.stringContaining('is already registered')],
        [9, 'financial_salvage', expect.any(String)],
        [10, 'financial_method', expect.stringContaining('must be one of')],
        [11, 'financial_accumulated', 'must not exceed cost less salvage (900)'],
        [13, 'name', 'is required'],
        [14, 'custom_fields', 'plate: is required'],
        [15, 'acquisition_cost', 'must have at most 2 decimal places'],
        [16, 'custom_fields', expect.stringContaining('not valid JSON')],
        [17, 'purchase_date', 'must not be in the future'],
      ]),
    );
    expect(job.errors.find((e: any) => e.row === 6)).toMatchObject({ value: '12,50' });
    expect(job.errors.some((e: any) => e.row === 2 || e.row === 12)).toBe(false);
    // Nothing of row 2 either: all or nothing.
    expect((await call({ method: 'GET', url: `${FA}/assets?q=OK-1` }, 200)).total).toBe(0);
    expect(await call({ method: 'GET', url: `${FA}/imports/${job.id}?errorsLimit=2&errorsOffset=1` }, 200)).toMatchObject({ errors: [{ row: 4 }, { row: 5 }], errorsStored: job.errorsStored });
  });

  it('refuses a file that is not usable CSV, recording nothing', async () => {
    for (const [csv, detail] of [
      ['name;tag\nA;B', 'separated by semicolons'],
      ['name,colour\nA,red', 'Unknown column "colour"'],
      ['tag,location\nX,MAIN', 'Missing column name'],
      ['name,tag\n', 'no rows'],
      ['name,tag\n"Unclosed,X', 'never closed'],
    ] as const) {
      const res = await expectNoChange(t, () => importCsv(csv));
      expect(expectProblem(res, 422, 'fixed-assets/invalid-csv').detail).toContain(detail);
    }
  });

  it('book columns need the depreciation permission', async () => {
    const clerk = await userWith(t, 'clerk@example.test', [permissions.assetRead, permissions.assetWrite]);
    const res = await expectNoChange(t, () => importCsv('name,financial_method,financial_placed_in_service\nX,straight-line,2025-01-01', {}, clerk.headers));
    expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.depreciationRun);
    const plain = await importCsv('name,location\nClerk chair,Main site / Office 2', { dryRun: true }, clerk.headers);
    expect(plain.json()).toMatchObject({ status: 'done', dryRun: true, detail: 'Dry run: 1 row would be imported; nothing was written' });
  });

  it('imports a valid file: components after their parent, custom fields, custodians, statuses, books', async () => {
    const csv = toCsv(
      ['Tag', 'Name', 'Serial number', 'Category', 'SKU', 'Location', 'Parent tag', 'Status', 'Condition', 'Custodian e-mail', 'Custodian person', 'Supplier', 'Purchase date', 'Acquisition cost', 'Currency', 'Custom fields', 'financial_method', 'financial_life_years', 'financial_placed_in_service', 'tax_method', 'tax_recovery_period', 'tax_placed_in_service'],
      [
        ['VAN-1-LIFT', 'Tail lift', '', '', '', '', 'VAN-1', '', 'good', '', '', '', '', '', '', '', '', '', '', '', '', ''],
        ['VAN-1', 'Delivery van', 'WDB906', 'Equipment / Vehicles', '', 'YARD', '', 'in-service', '', '', 'E-7', 'Van & Co', '2024-03-01', '36000', 'eur', '{"plate":"VZ-318-K"}', 'straight-line', '6', '2024-03-01', 'macrs', '5', '2024-03-01'],
        ['', 'Label printer', 'SN-PR-1', 'Laptops', 'PRN-200', 'Main site / Office 2', '', 'retired', 'fair', 'BOB@example.test', '', '', '', '499.90', '', '', '', '', '', '', '', ''],
      ],
    );
    const from = t.events.length;
    const res = await importCsv(csv, { fileName: 'fleet.csv' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'done', rowsTotal: 3, rowsDone: 3, counts: { created: 3, invalid: 0, errors: 0 }, errors: [] });
    expect(eventsSince(t, from).filter((n) => n === 'fixed-assets.asset.created')).toHaveLength(3);
    expect(eventsSince(t, from)).toContain('fixed-assets.asset.retired');

    const van = (await call({ method: 'GET', url: `${FA}/assets?q=VAN-1` }, 200)).data.find((x: any) => x.tag === 'VAN-1');
    expect(van).toMatchObject({
      serialNumber: 'WDB906',
      category: { path: 'Equipment / Vehicles' },
      location: { id: ref.yard },
      custodian: { type: 'person', id: ref.ana },
      supplier: 'Van & Co',
      acquisitionCost: '36000.00',
      currency: 'EUR',
      customFields: { plate: 'VZ-318-K' },
      childCount: 1,
    });
    const lift = (await call({ method: 'GET', url: `${FA}/assets?parentId=${van.id}` }, 200)).data[0];
    expect(lift).toMatchObject({ tag: 'VAN-1-LIFT', locationId: ref.yard });
    const printer = (await call({ method: 'GET', url: `${FA}/assets?q=SN-PR-1` }, 200)).data[0];
    expect(printer).toMatchObject({ tag: expect.stringMatching(/^AST-\d{4}-\d{5}$/), status: 'retired', condition: 'fair', item: { id: ref.printer }, custodian: { type: 'user', id: ref.bob } });
    const books = await call({ method: 'GET', url: `${FA}/assets/${van.id}/books` }, 200);
    expect(books.map((b: any) => [b.book, b.method, b.costBasis])).toEqual([
      ['financial', 'straight-line', '36000.00'],
      ['tax', 'macrs', '36000.00'],
    ]);
    const jobs = await call({ method: 'GET', url: `${FA}/imports?status=done` }, 200);
    expect(jobs.data[0]).toMatchObject({ id: res.json().id, fileName: 'fleet.csv' });
  });

  it('brings accumulated depreciation over from another system: the next run posts only the remainder', async () => {
    const csv = [
      'tag,name,acquisition_cost,purchase_date,financial_method,financial_life_years,financial_placed_in_service,financial_accumulated',
      'MIG-1,Migrated press,12000,2020-01-01,straight-line,10,2020-01-01,6000.00',
      'MIG-2,Press without history,12000,2020-01-01,straight-line,10,2020-01-01,',
    ].join('\r\n');
    const job = (await importCsv(csv)).json();
    expect(job).toMatchObject({ status: 'done', counts: { created: 2 } });
    const [mig1] = (await call({ method: 'GET', url: `${FA}/assets?q=MIG-1` }, 200)).data;
    expect((await call({ method: 'GET', url: `${FA}/assets/${mig1.id}/books` }, 200))[0]).toMatchObject({ openingAccumulated: '6000.00', postedAccumulated: '6000.00', netBookValue: '6000.00' });

    const started = await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book: 'financial', periodEnd: '2025-01-31' } }, 202);
    let run = started;
    for (let i = 0; i < 200 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = await call({ method: 'GET', url: `${FA}/depreciation/runs/${started.id}` }, 200);
    }
    expect(run.status).toBe('completed');
    const posted = await t.sql<{ tag: string; amount: string }>(
      `SELECT a.tag, e.amount::text AS amount FROM fixed_assets_depreciation_entry e JOIN fixed_assets_asset a ON a.id = e.asset_id WHERE e.run_id = $1 AND a.tag LIKE 'MIG-%' ORDER BY a.tag`,
      [started.id],
    );
    // 12,000 over 120 months is 100 a month: the migrated press posts January 2025 only; the other catches up 61 months.
    expect(posted.map((p) => [p.tag, Number(p.amount)])).toEqual([
      ['MIG-1', 100],
      ['MIG-2', 6100],
    ]);
    expect((await call({ method: 'GET', url: `${FA}/assets/${mig1.id}/books` }, 200))[0]).toMatchObject({ postedAccumulated: '6100.00', postedThrough: '2025-01-31' });
  });

  it('exports with RFC 4180 quoting, neutralises spreadsheet formulas, and takes the register filters', async () => {
    const quirky = await asset(t, { name: 'Desk, oak "executive"', tag: 'Q-1', notes: 'line one\nline two', categoryId: ref.equipment, supplier: '=HYPERLINK("http://evil.example","x")' });
    await asset(t, { name: '+cmd|calc', tag: 'Q-2', department: '@SUM(A1)', costCentre: '-2+3', acquisitionCost: '10' });
    const res = await exportCsv('?q=Q-');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="fixed-assets-assets-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = res.body;
    expect(body.split('\r\n')[0]).toBe(
      'tag,name,serial_number,category,item_sku,location,parent_tag,status,condition,custodian_user,custodian_person,department,cost_centre,supplier,purchase_date,invoice_number,acquisition_cost,currency,warranty_end,notes,custom_fields,' +
        ['financial', 'tax'].map((b) => ['method', 'cost_basis', 'salvage', 'life_years', 'recovery_period', 'convention', 'factor', 'rate', 'switch_to_straight_line', 'total_units', 'units_by_period', 'placed_in_service', 'accumulated'].map((p) => `${b}_${p}`).join(',')).join(','),
    );
    expect(body).toContain('"Desk, oak ""executive"""');
    expect(body).toContain('"line one\nline two"');
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    const { byTag, rows } = rowsOf(body);
    expect(rows).toHaveLength(2);
    expect(byTag.get('Q-1')).toMatchObject({ name: 'Desk, oak "executive"', category: 'Equipment', notes: 'line one\nline two', supplier: `'=HYPERLINK("http://evil.example","x")`, status: 'in-service' });
    expect(byTag.get('Q-2')).toMatchObject({ name: "'+cmd|calc", department: "'@SUM(A1)", cost_centre: "'-2+3", acquisition_cost: '10.00' });

    // The register's filters: category (and below), status.
    const equipment = rowsOf((await exportCsv(`?categoryId=${ref.equipment}&q=Q-`)).body).rows.map((r) => r[0]);
    expect(equipment).toEqual([quirky.tag]);
    const retired = rowsOf((await exportCsv('?status=retired')).body).rows.map((r) => r[1]);
    expect(retired).toEqual(['Label printer']);
    // Without depreciation.read, no book columns.
    const reader = await userWith(t, 'reader@example.test', [permissions.assetRead]);
    expect(rowsOf((await exportCsv('?q=Q-', reader.headers)).body).head).toHaveLength(21);
    expectProblem(await t.request({ method: 'GET', url: `${FA}/export/assets.csv?limit=5` }), 400, 'validation');
  });

  it('streams a large register in one snapshot', async () => {
    await t.sql(
      `INSERT INTO fixed_assets_asset (tag, name, currency, status) SELECT 'BULK-' || lpad(g::text, 5, '0'), 'Bulk chair ' || g, 'EUR', 'in-service' FROM generate_series(1, 1234) g`,
    );
    const { rows } = rowsOf((await exportCsv('?q=BULK-')).body);
    expect(rows).toHaveLength(1234);
    expect(rows[0][0]).toBe('BULK-00001');
    expect(rows.at(-1)![0]).toBe('BULK-01234');
    await t.sql(`DELETE FROM fixed_assets_asset WHERE tag LIKE 'BULK-%'`);
  });

  it('upserts: an unchanged file changes nothing; a changed row updates and moves its asset', async () => {
    const exported = (await exportCsv('?q=VAN-1')).body;
    const same = (await importCsv(exported, { mode: 'upsert' })).json();
    expect(same).toMatchObject({ status: 'done', counts: { created: 0, updated: 0, unchanged: 2 } });
    // In create mode the same file is refused: the tags are registered.
    const refused = (await importCsv(exported)).json();
    expect(refused).toMatchObject({ status: 'failed', counts: { invalid: 2 } });

    const changed = exported.replace('Van & Co', 'Van and Co').replace(/,Main site \/ Yard,/, ',Main site / Office 2,');
    const from = t.events.length;
    const job = (await importCsv(changed, { mode: 'upsert' })).json();
    expect(job).toMatchObject({ status: 'done', counts: { updated: 1, unchanged: 1 } });
    const van = (await call({ method: 'GET', url: `${FA}/assets?q=VAN-1` }, 200)).data.find((x: any) => x.tag === 'VAN-1');
    expect(van).toMatchObject({ supplier: 'Van and Co', locationId: ref.office });
    expect(eventsSince(t, from)).toEqual(expect.arrayContaining(['fixed-assets.asset.updated', 'fixed-assets.asset.moved']));
  });

  it('imports large files in the background, batch by batch', async () => {
    const csv = toCsv(['name', 'location'], Array.from({ length: 25 }, (_, i) => [`Background chair ${i + 1}`, 'MAIN']));
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ background: true, rowsTotal: 25 });
    const job = await settle(t, res.json().id);
    expect(job).toMatchObject({ status: 'done', rowsDone: 25, rowsValidated: 25, progress: { phase: 'importing', processed: 25, total: 25 }, counts: { created: 25 } });
    expect((await call({ method: 'GET', url: `${FA}/assets?q=Background%20chair` }, 200)).total).toBe(25);
  });

  it('round trip: export, import into a fresh installation, export again — the same register', async () => {
    // Depreciation posted in this installation: the export carries the accumulated amount.
    const exported = (await exportCsv()).body;
    expect(rowsOf(exported).rows.length).toBeGreaterThan(10);
    const fresh = await bootFixedAssets();
    try {
      await reference(fresh);
      const res = await fresh.request({ method: 'POST', url: `${FA}/imports`, payload: { csv: exported } });
      expect(res.statusCode, res.body).toBe(202);
      let job = res.json();
      if (job.background) job = await settle(fresh, job.id);
      expect(job, JSON.stringify(job.errors)).toMatchObject({ status: 'done', counts: { invalid: 0 } });
      const again = await fresh.request({ method: 'GET', url: `${FA}/export/assets.csv` });
      expect(again.body).toBe(exported);
    } finally {
      await fresh.close();
    }
  });
});
