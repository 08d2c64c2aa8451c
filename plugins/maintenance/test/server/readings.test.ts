import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { maintenanceService } from '../../src/shared/index.js';
import { MT, NO_SUCH_ID, asset, bootMaintenance, caller, eventsSince } from './fixtures.js';

/**
 * Measurement points and readings: meters that roll over, go backwards or jump, readings out of
 * order and sent twice, many at once on one meter; meter and condition plans evaluated as readings
 * arrive; CSV import; the service device plugins call.
 */

let t: TestPlatform;
let call: ReturnType<typeof caller>;

const T0 = Date.parse('2026-06-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const point = (assetId: string, body: Record<string, unknown>) => call({ method: 'POST', url: `${MT}/assets/${assetId}/points`, payload: { name: body.code, unit: 'h', kind: 'meter', ...body } }, 201);
const read = async (assetId: string, code: string, value: string | number, hours: number, extra: Record<string, unknown> = {}) =>
  (await call({ method: 'POST', url: `${MT}/assets/${assetId}/points/${code}/readings`, payload: { value, readAt: at(hours), ...extra } }, 201)).data[0];
const pointOf = (assetId: string, code: string) => call({ method: 'GET', url: `${MT}/assets/${assetId}/points/${code}` }, 200);
const readingsOf = async (assetId: string, code: string, qs = '') => (await call({ method: 'GET', url: `${MT}/assets/${assetId}/points/${code}/readings?limit=500${qs}` }, 200)).data;
const planOn = (body: Record<string, unknown>) => call({ method: 'POST', url: `${MT}/plans`, payload: { name: 'Plan', ...body } }, 201);
const workOrdersOf = (planId: string) =>
  t.sql<{ due_key: string; due_on: string; due_total: string | null; generate_reason: string }>(
    `SELECT due_key, due_on::text AS due_on, due_total::text AS due_total, generate_reason FROM maintenance_work_order WHERE plan_id = $1 ORDER BY created_at, number`,
    [planId],
  );

beforeAll(async () => {
  t = await bootMaintenance();
  call = caller(t);
});
afterAll(() => t?.close());

describe('measurement points', () => {
  it('adds meters and gauges, lists them, and changes them', async () => {
    const a = await asset(t, { name: 'Forklift' });
    const hours = await point(a.id, { code: 'hours', name: 'Hour meter', rolloverAt: '100000', maxRatePerDay: 24 });
    expect(hours).toMatchObject({ assetId: a.id, code: 'hours', name: 'Hour meter', kind: 'meter', unit: 'h', rolloverAt: '100000', maxRatePerDay: '24', total: null, lastValue: null, active: true, flaggedReadings: 0 });
    await point(a.id, { code: 'temp', kind: 'gauge', unit: '°C' });
    expect((await call({ method: 'GET', url: `${MT}/assets/${a.id}/points` }, 200)).data.map((p: { code: string }) => p.code)).toEqual(['hours', 'temp']);
    expect((await call({ method: 'GET', url: `${MT}/assets/${a.id}/points?kind=gauge` }, 200)).data.map((p: { code: string }) => p.code)).toEqual(['temp']);
    const changed = await call({ method: 'PATCH', url: `${MT}/assets/${a.id}/points/hours`, payload: { name: 'Engine hours', maxRatePerDay: null } }, 200);
    expect(changed).toMatchObject({ name: 'Engine hours', maxRatePerDay: null, rolloverAt: '100000' });
  });

  it('refuses a code in use, settings a gauge cannot have, and unknown assets — changing nothing', async () => {
    const a = await asset(t, { name: 'Crane' });
    await point(a.id, { code: 'hours' });
    const taken = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { code: 'hours', name: 'Again', kind: 'meter', unit: 'h' } }));
    expectProblem(taken, 409, 'maintenance/point-code-taken');
    const gauge = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { code: 'load', name: 'Load', kind: 'gauge', unit: 't', rolloverAt: 10, maxRatePerDay: 1 } }));
    expect(new Set(problemFields(expectProblem(gauge, 400, 'validation')))).toEqual(new Set(['rolloverAt', 'maxRatePerDay']));
    const zero = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { code: 'km', name: 'Km', kind: 'meter', unit: 'km', rolloverAt: '0' } }));
    expect(problemFields(expectProblem(zero, 400, 'validation'))).toEqual(['rolloverAt']);
    expectProblem(await t.request({ method: 'POST', url: `${MT}/assets/${NO_SUCH_ID}/points`, payload: { code: 'x', name: 'X', kind: 'meter', unit: 'h' } }), 404, 'not-found');
  });

  it('takes no readings on an inactive point', async () => {
    const a = await asset(t, { name: 'Mixer' });
    await point(a.id, { code: 'hours' });
    await call({ method: 'PATCH', url: `${MT}/assets/${a.id}/points/hours`, payload: { active: false } }, 200);
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/assets/${a.id}/points/hours/readings`, payload: { value: 5, readAt: at(0) } }));
    expectProblem(res, 409, 'maintenance/point-inactive');
  });
});

describe('meter readings', () => {
  let a: { id: string; tag: string };
  beforeAll(async () => {
    a = await asset(t, { name: 'Excavator' });
    await point(a.id, { code: 'hours', maxRatePerDay: 24 });
  });

  it('takes the first reading as the baseline and adds the usage of the next ones', async () => {
    const from = t.events.length;
    const first = await read(a.id, 'hours', '1000', 0);
    expect(first).toMatchObject({ status: 'accepted', value: '1000', delta: '0', total: '0', source: 'manual', created: true, workOrderIds: [] });
    const second = await read(a.id, 'hours', '1010.5', 12);
    expect(second).toMatchObject({ status: 'accepted', delta: '10.5', total: '10.5' });
    expect(await pointOf(a.id, 'hours')).toMatchObject({ total: '10.5', lastValue: '1010.5', lastReadAt: '2026-06-01T12:00:00.000Z' });
    expect(t.events.slice(from).map((e) => e.payload)).toEqual([
      { pointId: first.pointId, assetId: a.id, code: 'hours', kind: 'meter', value: '1000', readAt: '2026-06-01T00:00:00.000Z', status: 'accepted', reason: null, total: '0' },
      { pointId: first.pointId, assetId: a.id, code: 'hours', kind: 'meter', value: '1010.5', readAt: '2026-06-01T12:00:00.000Z', status: 'accepted', reason: null, total: '10.5' },
    ]);
  });

  it('rejects a meter going backwards: stored with its reason, never counted', async () => {
    const r = await read(a.id, 'hours', '1005', 24);
    expect(r).toMatchObject({ status: 'rejected', delta: null, total: null });
    expect(r.reason).toMatch(/lower than the previous reading 1010.5/);
    expect((await pointOf(a.id, 'hours')).total).toBe('10.5');
    expect((await readingsOf(a.id, 'hours', '&status=rejected')).map((x: { value: string }) => x.value)).toEqual(['1005']);
  });

  it('flags an impossible jump until a person confirms it, then it counts', async () => {
    // 189.5 hours in half a day on a meter that can do 24 a day.
    const jump = await read(a.id, 'hours', '1200', 24);
    expect(jump).toMatchObject({ status: 'flagged', delta: '189.5', total: null });
    expect(jump.reason).toMatch(/exceeds the maximum of 24 a day/);
    expect(await pointOf(a.id, 'hours')).toMatchObject({ total: '10.5', flaggedReadings: 1 });
    expect((await call({ method: 'GET', url: `${MT}/readings?status=flagged&assetId=${a.id}` }, 200)).data.map((x: { id: string }) => x.id)).toEqual([jump.id]);

    const confirmed = await call({ method: 'POST', url: `${MT}/readings/${jump.id}/confirm`, payload: { note: 'engine swapped, meter checked' } }, 200);
    expect(confirmed).toMatchObject({ id: jump.id, status: 'accepted', delta: '189.5', total: '200', decidedBy: 'admin@example.test', workOrderIds: [] });
    expect(confirmed.reason).toMatch(/confirmed: engine swapped/);
    expect(await pointOf(a.id, 'hours')).toMatchObject({ total: '200', lastValue: '1200', flaggedReadings: 0 });
    // Only flagged readings wait for a decision.
    const again = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/readings/${jump.id}/confirm`, payload: {} }));
    expect(expectProblem(again, 409, 'maintenance/reading-not-flagged')).toMatchObject({ readingStatus: 'accepted' });
  });

  it('throws a flagged reading out on rejection', async () => {
    const typo = await read(a.id, 'hours', '12000', 36);
    expect(typo.status).toBe('flagged');
    const rejected = await call({ method: 'POST', url: `${MT}/readings/${typo.id}/reject`, payload: { note: 'typo' } }, 200);
    expect(rejected).toMatchObject({ status: 'rejected', delta: null, total: null, decidedBy: 'admin@example.test' });
    expect((await pointOf(a.id, 'hours')).total).toBe('200');
    // The next true reading counts from the last accepted one.
    expect(await read(a.id, 'hours', '1210', 48)).toMatchObject({ status: 'accepted', delta: '10', total: '210' });
  });

  it('refuses to confirm a flagged reading that no longer fits between the accepted ones', async () => {
    const b = await asset(t, { name: 'Dozer' });
    await point(b.id, { code: 'hours', maxRatePerDay: 24 });
    await read(b.id, 'hours', 100, 0);
    const jump = await read(b.id, 'hours', 900, 24);
    expect(jump.status).toBe('flagged');
    await read(b.id, 'hours', 130, 48);
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/readings/${jump.id}/confirm`, payload: {} }));
    expectProblem(res, 409, 'maintenance/reading-inconsistent');
  });

  it('counts a rollover as the usage across it', async () => {
    const truck = await asset(t, { name: 'Truck' });
    await point(truck.id, { code: 'odometer', unit: 'km', rolloverAt: '1000000', maxRatePerDay: '2000' });
    await read(truck.id, 'odometer', '999500', 0);
    const wrapped = await read(truck.id, 'odometer', '300', 24);
    expect(wrapped).toMatchObject({ status: 'accepted', delta: '800', total: '800', reason: 'rollover' });
    // Lower again, but 999,000 km in a day is not a rollover.
    const back = await read(truck.id, 'odometer', '100', 36);
    expect(back.status).toBe('rejected');
    expect(await pointOf(truck.id, 'odometer')).toMatchObject({ total: '800', lastValue: '300' });
  });

  it('puts a reading that arrives late between its neighbours, and refuses one before the first reading', async () => {
    const press = await asset(t, { name: 'Press' });
    await point(press.id, { code: 'cycles', unit: 'cycles' });
    await read(press.id, 'cycles', 100, 0);
    await read(press.id, 'cycles', 300, 48);
    const late = await read(press.id, 'cycles', 250, 24);
    expect(late).toMatchObject({ status: 'accepted', delta: '150', total: '150' });
    const list = await readingsOf(press.id, 'cycles');
    expect(list.map((r: { value: string; delta: string; total: string }) => [r.value, r.delta, r.total])).toEqual([
      ['300', '50', '200'],
      ['250', '150', '150'],
      ['100', '0', '0'],
    ]);
    expect((await pointOf(press.id, 'cycles')).total).toBe('200');
    const between = await read(press.id, 'cycles', 280, 12);
    expect(between.status).toBe('rejected');
    const early = await read(press.id, 'cycles', 50, -24);
    expect(early).toMatchObject({ status: 'rejected' });
    expect(early.reason).toMatch(/before the meter's first reading/);
  });

  it('stores a reading sent twice with the same sourceRef once', async () => {
    const pump = await asset(t, { name: 'Pump' });
    await point(pump.id, { code: 'hours' });
    const first = await read(pump.id, 'hours', 10, 0, { sourceRef: 'logger-1/0001' });
    const from = t.events.length;
    const again = await read(pump.id, 'hours', 10, 0, { sourceRef: 'logger-1/0001' });
    expect(again).toMatchObject({ id: first.id, created: false, status: 'accepted' });
    expect(eventsSince(t, from)).toEqual([]);
    expect(await readingsOf(pump.id, 'hours')).toHaveLength(1);
  });

  it('keeps the total exact when twenty readings of one meter arrive at once', async () => {
    const gen = await asset(t, { name: 'Generator' });
    await point(gen.id, { code: 'hours' });
    await read(gen.id, 'hours', 0, 0);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.request({ method: 'POST', url: `${MT}/assets/${gen.id}/points/hours/readings`, payload: { value: (i + 1) * 5, readAt: at(i + 1) } })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const list = await readingsOf(gen.id, 'hours');
    expect(list).toHaveLength(21);
    expect(list.every((r: { status: string; value: string; total: string }) => r.status === 'accepted' && r.total === r.value)).toBe(true);
    const sum = list.reduce((s: number, r: { delta: string }) => s + Number(r.delta), 0);
    expect(sum).toBe(100);
    expect(await pointOf(gen.id, 'hours')).toMatchObject({ total: '100', lastValue: '100' });
  });
});

describe('plans evaluated as readings arrive', () => {
  it('creates the meter plan work order when a reading reaches the due total', async () => {
    const a = await asset(t, { name: 'Loader' });
    await point(a.id, { code: 'hours' });
    const p = await planOn({ code: 'PM-LOADER-100H', assetId: a.id, triggerKind: 'meter', triggerConfig: { meter: 'hours', every: 100, mode: 'fixed' } });
    await read(a.id, 'hours', 500, 0);
    expect((await read(a.id, 'hours', 560, 10)).workOrderIds).toEqual([]);
    const due = await read(a.id, 'hours', 605, 20);
    expect(due.workOrderIds).toHaveLength(1);
    expect(await workOrdersOf(p.id)).toMatchObject([{ due_key: 'meter:100', due_total: '100' }]);
    expect((await read(a.id, 'hours', 650, 30)).workOrderIds).toEqual([]);
  });

  it('creates one work order for a noisy gauge around its threshold, and a second after a reset and a new trip', async () => {
    const motor = await asset(t, { name: 'Motor' });
    await point(motor.id, { code: 'temp', kind: 'gauge', unit: '°C' });
    const p = await planOn({ code: 'CBM-MOTOR', assetId: motor.id, triggerKind: 'condition', workOrderType: 'inspection', triggerConfig: { point: 'temp', kind: 'above', threshold: 80, reset: 75 } });
    const created = [];
    for (const [i, v] of [79, 81, 79.5, 82, 78, 81, 80.5].entries()) created.push(...(await read(motor.id, 'temp', v, i)).workOrderIds);
    expect(created).toHaveLength(1);
    expect(await workOrdersOf(p.id)).toMatchObject([{ due_key: 'condition:2026-06-01T01:00:00Z', due_on: '2026-06-01' }]);
    // Back down to the reset level, then above again: a new trip.
    await read(motor.id, 'temp', 74, 10);
    expect((await read(motor.id, 'temp', 85, 11)).workOrderIds).toHaveLength(1);
    expect((await workOrdersOf(p.id)).map((w) => w.due_key)).toEqual(['condition:2026-06-01T01:00:00Z', 'condition:2026-06-01T11:00:00Z']);
    const state = await call({ method: 'GET', url: `${MT}/plans/${p.id}/assets` }, 200);
    expect(state.data[0].triggerState).toMatchObject({ tripped: true, lastValue: '85' });
  });

  it('waits for the given number of consecutive violating readings', async () => {
    const fan = await asset(t, { name: 'Fan' });
    await point(fan.id, { code: 'vibration', kind: 'gauge', unit: 'mm/s' });
    const p = await planOn({ code: 'CBM-FAN', assetId: fan.id, triggerKind: 'condition', triggerConfig: { point: 'vibration', kind: 'above', threshold: '5', consecutive: 3 } });
    const answers = [];
    for (const [i, v] of ['6', '7', '4', '6', '6.5', '7'].entries()) answers.push((await read(fan.id, 'vibration', v, i)).workOrderIds.length);
    expect(answers).toEqual([0, 0, 0, 0, 0, 1]);
    expect((await workOrdersOf(p.id))[0].generate_reason).toContain('3 consecutive readings');
  });

  it('creates the work orders of a category plan on the asset that reads', async () => {
    const cat = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Chillers' } }, 201)).id;
    const chiller = await asset(t, { name: 'Chiller', categoryId: cat });
    await point(chiller.id, { code: 'pressure', kind: 'gauge', unit: 'bar' });
    const p = await planOn({ code: 'CBM-CHILLERS', categoryId: cat, triggerKind: 'condition', triggerConfig: { point: 'pressure', kind: 'outside', low: 2, high: 8 } });
    expect((await read(chiller.id, 'pressure', '1.5', 0)).workOrderIds).toHaveLength(1);
    expect((await workOrdersOf(p.id)).length).toBe(1);
  });
});

describe('CSV import', () => {
  let a: { id: string; tag: string };
  const csv = (rows: string[]) => ['asset_tag,point_code,value,read_at,source_ref', ...rows].join('\r\n');
  const importCsv = (text: string, qs = '') => t.request({ method: 'POST', url: `${MT}/readings/import${qs}`, payload: text, headers: { 'content-type': 'text/csv' } });

  beforeAll(async () => {
    a = await asset(t, { name: 'Compressor' });
    await point(a.id, { code: 'hours' });
    await point(a.id, { code: 'temp', kind: 'gauge', unit: '°C' });
  });

  it('imports every row in time order per point, whatever the order of the file', async () => {
    const res = await importCsv(csv([`${a.tag},hours,120,${at(2)},r3`, `${a.tag},hours,100,${at(0)},r1`, `${a.tag},temp,61.5,${at(1)},`, `${a.tag},hours,110,${at(1)},r2`]));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ dryRun: false, imported: 4, counts: { rows: 4, accepted: 4, flagged: 0, duplicate: 0, invalid: 0 } });
    expect(report.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [2, 'accepted'],
      [3, 'accepted'],
      [4, 'accepted'],
      [5, 'accepted'],
    ]);
    expect((await readingsOf(a.id, 'hours')).map((r: { value: string; total: string; source: string }) => [r.value, r.total, r.source])).toEqual([
      ['120', '20', 'import'],
      ['110', '10', 'import'],
      ['100', '0', 'import'],
    ]);
  });

  it('imports nothing when a row is invalid, and reports every invalid row', async () => {
    const file = csv([`${a.tag},hours,130,${at(3)},r4`, `NO-SUCH-TAG,hours,1,${at(3)},`, `${a.tag},hours,90,${at(4)},r5`, `${a.tag},hours,abc,yesterday,`]);
    const res = await expectNoChange(t, () => importCsv(file));
    const body = expectProblem(res, 422, 'maintenance/import-rejected');
    expect(body.counts).toEqual({ rows: 4, accepted: 1, flagged: 0, duplicate: 0, invalid: 3 });
    expect((body.rows as Array<{ row: number; message: string }>).map((r) => r.row)).toEqual([3, 4, 5]);
    const messages = (body.rows as Array<{ message: string }>).map((r) => r.message);
    expect(messages[0]).toBe('no asset with tag NO-SUCH-TAG');
    expect(messages[1]).toMatch(/lower than the previous reading 130/);
    expect(messages[2]).toBe('value "abc" is not a decimal number; read_at "yesterday" is not an ISO 8601 instant with a zone');
  });

  it('imports the valid rows with skipInvalidRows, and checks without storing on a dry run', async () => {
    const file = csv([`${a.tag},hours,130,${at(3)},r4`, `${a.tag},nope,1,${at(3)},`]);
    const dry = await expectNoChange(t, () => importCsv(file, '?skipInvalidRows=true&dryRun=true'));
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, imported: 0, counts: { accepted: 1, invalid: 1 } });
    const res = await call({ method: 'POST', url: `${MT}/readings/import`, payload: { csv: file, skipInvalidRows: true } }, 200);
    expect(res).toMatchObject({ imported: 1, counts: { accepted: 1, invalid: 1 } });
    expect(res.rows[1]).toMatchObject({ row: 3, status: 'invalid', message: `asset ${a.tag} has no measurement point nope` });
    expect((await pointOf(a.id, 'hours')).total).toBe('30');
    // The same file again: the row with a source_ref is a duplicate.
    const again = await call({ method: 'POST', url: `${MT}/readings/import?skipInvalidRows=true`, payload: file, headers: { 'content-type': 'text/csv' } }, 200);
    expect(again).toMatchObject({ imported: 0, counts: { duplicate: 1, invalid: 1 } });
  });

  it('refuses a file that is not a readings file, changing nothing', async () => {
    for (const file of ['tag,value\r\nA,1', 'asset_tag,point_code,value,read_at,colour\r\nA,b,1,2026-01-01T00:00:00Z,red', 'asset_tag,point_code,value,read_at']) {
      const res = await expectNoChange(t, () => importCsv(file));
      expectProblem(res, 422, 'maintenance/invalid-csv');
    }
  });
});

describe('readings from other plugins (MaintenanceService)', () => {
  it('records device readings one by one; unknown points and resent readings store nothing', async () => {
    const a = await asset(t, { name: 'Tank' });
    await point(a.id, { code: 'level', kind: 'gauge', unit: '%' });
    const service = t.platform.context('maintenance').services.get(maintenanceService);
    const device = { ...SYSTEM_ACTOR, label: 'device:tank-sensor' };
    const out = await service.recordReadings(device, [
      { assetId: a.id, code: 'level', value: 55.5, readAt: at(0), source: 'device:tank-sensor', sourceRef: 'm-1' },
      { assetId: a.id, code: 'nope', value: 1, readAt: at(0), source: 'device:tank-sensor' },
      { assetId: a.id, code: 'level', value: 'full', readAt: at(1), source: 'device:tank-sensor' },
      { assetId: a.id, code: 'level', value: 55.5, readAt: at(0), source: 'device:tank-sensor', sourceRef: 'm-1' },
    ]);
    expect(out.map((r) => [r.status, r.created])).toEqual([
      ['accepted', true],
      ['rejected', false],
      ['rejected', false],
      ['accepted', false],
    ]);
    expect(out[1].reason).toBe(`no measurement point "nope" on asset ${a.id}`);
    expect(out[3].id).toBe(out[0].id);
    const stored = await readingsOf(a.id, 'level');
    expect(stored.map((r: { value: string; status: string; source: string; createdBy: string }) => [r.status, r.source, r.createdBy])).toEqual([['accepted', 'device:tank-sensor', 'device:tank-sensor']]);
  });
});
