import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { FA, MT, NO_SUCH_ID, asset, bootMaintenance, caller, category, eventsSince, location, userWith } from './fixtures.js';

/** `YYYY-MM-DD`, `days` from today (UTC). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const caliper = {
  interval: { n: 1, unit: 'month' },
  points: [
    { label: 'zero', nominal: '0', unit: 'mm', tolerance: { plusMinus: '0.02' } },
    { nominal: '100', unit: 'mm', tolerance: { percent: '0.05' } },
  ],
  procedure: 'Gauge blocks 0 and 100 mm, 20 °C',
  warnDays: 7,
};

describe('calibration', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await bootMaintenance();
    call = caller(t);
  });
  afterAll(() => t?.close());

  const instrument = async (body: Record<string, unknown> = caliper, extra: Record<string, unknown> = {}) => {
    const a = await asset(t, { name: 'Caliper', ...extra });
    const i = await call({ method: 'PUT', url: `${MT}/instruments/${a.id}`, payload: body }, 201);
    return { ...a, instrument: i };
  };
  const calibrate = (assetId: string, body: Record<string, unknown>, status = 201) =>
    call({ method: 'POST', url: `${MT}/instruments/${assetId}/calibrations`, payload: { performedBy: 'Metrology lab', ...body } }, status);
  const checkOut = (assetId: string) => t.request({ method: 'POST', url: `${FA}/assets/${assetId}/check-out`, payload: { to: 'project', project: 'Bridge' } });

  it('sets up an instrument, then changes it; a changed interval moves the due date', async () => {
    const a = await asset(t, { name: 'Torque wrench' });
    const from = t.events.length;
    const created = await call({ method: 'PUT', url: `${MT}/instruments/${a.id}`, payload: caliper }, 201);
    expect(created).toMatchObject({
      assetId: a.id,
      tag: a.tag,
      interval: { n: 1, unit: 'month' },
      points: [
        { label: 'zero', nominal: '0', unit: 'mm', tolerance: { plusMinus: '0.02' } },
        { label: null, nominal: '100', unit: 'mm', tolerance: { percent: '0.05' } },
      ],
      procedure: 'Gauge blocks 0 and 100 mm, 20 °C',
      warnDays: 7,
      active: true,
      lastCalibratedOn: null,
      dueOn: null,
      lastResult: null,
      status: 'never',
    });
    expect(eventsSince(t, from)).toEqual([]);
    const [audit] = await t.sql<{ action: string }>(`SELECT action FROM core_audit WHERE entity_type = 'maintenance.instrument' AND entity_id = $1`, [a.id]);
    expect(audit.action).toBe('created');

    await calibrate(a.id, { performedOn: '2024-01-31', points: [{ asFound: '0.01' }, { asFound: '100.03' }] });
    // Jan 31 + 1 month: the end of February (leap year).
    expect(await call({ method: 'GET', url: `${MT}/instruments/${a.id}` }, 200)).toMatchObject({ lastCalibratedOn: '2024-01-31', dueOn: '2024-02-29' });

    const changed = await call({ method: 'PUT', url: `${MT}/instruments/${a.id}`, payload: { ...caliper, interval: { n: 2, unit: 'year' }, warnDays: 30, active: false } }, 200);
    expect(changed).toMatchObject({ interval: { n: 2, unit: 'year' }, warnDays: 30, active: false, lastCalibratedOn: '2024-01-31', dueOn: '2026-01-31', lastResult: 'pass' });
  });

  it('records a passing calibration: next due date, instrument updated, event, audit, cost on the asset', async () => {
    const a = await instrument();
    const from = t.events.length;
    const cal = await calibrate(a.id, {
      performedOn: '2025-03-31',
      points: [{ asFound: '-0.02' }, { asFound: '100.05' }],
      certificateNumber: ' CERT-1001 ',
      note: 'Within limits',
      cost: '85.50',
    });
    expect(cal).toMatchObject({
      assetId: a.id,
      tag: a.tag,
      performedOn: '2025-03-31',
      performedBy: 'Metrology lab',
      result: 'pass',
      asFoundFailed: false,
      adjusted: false,
      suspectSince: null,
      certificateNumber: 'CERT-1001',
      // Mar 31 + 1 month: Apr 30.
      nextDueOn: '2025-04-30',
      note: 'Within limits',
      cost: '85.50',
      currency: 'EUR',
      attachments: [],
    });
    // The limits themselves are in tolerance: 0.02 at the zero point, 0.05 % of 100 = 0.05.
    expect(cal.points).toEqual([
      { label: 'zero', unit: 'mm', nominal: '0', toleranceSpec: { plusMinus: '0.02' }, tolerance: '0.02', asFound: '-0.02', asFoundError: '-0.02', asFoundInTolerance: true, asLeft: null, asLeftError: null, asLeftInTolerance: null, inTolerance: true },
      { label: null, unit: 'mm', nominal: '100', toleranceSpec: { percent: '0.05' }, tolerance: '0.05', asFound: '100.05', asFoundError: '0.05', asFoundInTolerance: true, asLeft: null, asLeftError: null, asLeftInTolerance: null, inTolerance: true },
    ]);
    expect(eventsSince(t, from).sort()).toEqual(['fixed-assets.asset.cost-posted', 'maintenance.calibration.recorded']);
    const recorded = t.events.slice(from).find((e) => e.name === 'maintenance.calibration.recorded')!;
    expect(recorded.payload).toEqual({ id: cal.id, assetId: a.id, assetTag: a.tag, performedOn: '2025-03-31', result: 'pass', asFoundFailed: false, nextDueOn: '2025-04-30', certificateNumber: 'CERT-1001' });

    const detail = await call({ method: 'GET', url: `${MT}/instruments/${a.id}` }, 200);
    expect(detail).toMatchObject({ lastCalibratedOn: '2025-03-31', dueOn: '2025-04-30', lastResult: 'pass', calibrations: [{ id: cal.id }] });

    const costs = await call({ method: 'GET', url: `${FA}/assets/${a.id}/costs` }, 200);
    expect(costs.data).toEqual([
      expect.objectContaining({ kind: 'calibration', amount: '85.50', currency: 'EUR', incurredOn: '2025-03-31', source: 'maintenance', sourceRef: `calibration:${cal.id}` }),
    ]);
    const [audit] = await t.sql<{ after: any }>(`SELECT after FROM core_audit WHERE entity_type = 'maintenance.calibration' AND entity_id = $1`, [cal.id]);
    expect(audit.after).toMatchObject({ result: 'pass', certificateNumber: 'CERT-1001', nextDueOn: '2025-04-30' });
  });

  it('flags an instrument found out of tolerance and adjusted: passes as left, suspect since the previous calibration', async () => {
    const a = await instrument();
    await calibrate(a.id, { performedOn: '2025-01-10', points: [{ asFound: '0' }, { asFound: '100' }] });
    const cal = await calibrate(a.id, { performedOn: '2025-02-10', points: [{ asFound: '0.021', asLeft: '0.005' }, { asFound: '99.96' }] });
    expect(cal).toMatchObject({ result: 'pass', asFoundFailed: true, adjusted: true, suspectSince: '2025-01-10', nextDueOn: '2025-03-10' });
    expect(cal.points[0]).toMatchObject({ asFound: '0.021', asFoundError: '0.021', asFoundInTolerance: false, asLeft: '0.005', asLeftError: '0.005', asLeftInTolerance: true, inTolerance: true });
    expect(cal.points[1]).toMatchObject({ asFoundError: '-0.04', asFoundInTolerance: true, asLeft: null, inTolerance: true });

    const review = await call({ method: 'GET', url: `${MT}/calibrations?asFoundFailed=true&assetId=${a.id}` }, 200);
    expect(review).toMatchObject({ total: 1, data: [{ id: cal.id, suspectSince: '2025-01-10' }] });
    expect((await call({ method: 'GET', url: `${MT}/calibrations?assetId=${a.id}&to=2025-01-31` }, 200)).data.map((c: any) => c.performedOn)).toEqual(['2025-01-10']);
  });

  it('fails a calibration out of tolerance as left; a percentage tolerance includes its limit', async () => {
    const a = await instrument({ interval: { n: 90, unit: 'day' }, points: [{ nominal: '200', unit: 'bar', tolerance: { percent: '1' } }] });
    const limit = await calibrate(a.id, { performedOn: '2025-05-01', points: [{ asFound: '202' }] });
    expect(limit).toMatchObject({ result: 'pass', points: [{ tolerance: '2', asFoundError: '2', inTolerance: true }], nextDueOn: '2025-07-30' });
    const fail = await calibrate(a.id, { performedOn: '2025-05-02', points: [{ asFound: '197.99', asLeft: '202.01' }] });
    expect(fail).toMatchObject({ result: 'fail', asFoundFailed: true, adjusted: true, points: [{ asFoundError: '-2.01', asLeftError: '2.01', inTolerance: false }] });
    expect(await call({ method: 'GET', url: `${MT}/instruments/${a.id}` }, 200)).toMatchObject({ lastResult: 'fail', lastCalibratedOn: '2025-05-02', checkOut: { allowed: false, reason: 'failed' } });
  });

  it('keeps the instrument on its latest calibration when an older one is entered later', async () => {
    const a = await instrument();
    await calibrate(a.id, { performedOn: '2025-06-15', points: [{ asFound: '0' }, { asFound: '100' }] });
    const older = await calibrate(a.id, { performedOn: '2025-05-15', points: [{ asFound: '0.5' }, { asFound: '100' }] });
    expect(older).toMatchObject({ result: 'fail', nextDueOn: '2025-06-15' });
    expect(await call({ method: 'GET', url: `${MT}/instruments/${a.id}` }, 200)).toMatchObject({ lastCalibratedOn: '2025-06-15', dueOn: '2025-07-15', lastResult: 'pass' });
    const history = (await call({ method: 'GET', url: `${MT}/instruments/${a.id}` }, 200)).calibrations.map((c: any) => c.performedOn);
    expect(history).toEqual(['2025-06-15', '2025-05-15']);
  });

  it('refuses a certificate number already recorded, also when two arrive at once, and writes nothing', async () => {
    const a = await instrument();
    const b = await instrument();
    const good = { performedOn: '2025-04-01', points: [{ asFound: '0' }, { asFound: '100' }] };
    await calibrate(a.id, { ...good, certificateNumber: 'DUP-1' });
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/instruments/${b.id}/calibrations`, payload: { ...good, performedBy: 'Lab', certificateNumber: 'DUP-1', cost: '10' } }));
    expect(expectProblem(res, 409, 'maintenance/duplicate-certificate')).toMatchObject({ certificateNumber: 'DUP-1' });

    const both = await Promise.all(
      [a.id, b.id].map((id) => t.request({ method: 'POST', url: `${MT}/instruments/${id}/calibrations`, payload: { ...good, performedBy: 'Lab', certificateNumber: 'RACE-7' } })),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expectProblem(both.find((r) => r.statusCode === 409)!, 409, 'maintenance/duplicate-certificate');
    expect((await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM maintenance_calibration WHERE certificate_number = 'RACE-7'`))[0].n).toBe(1);
  });

  it('refuses readings that do not match the test points, a future date, and a cost with too many decimals, naming each field', async () => {
    const a = await instrument();
    const res = await expectNoChange(t, () =>
      t.request({ method: 'POST', url: `${MT}/instruments/${a.id}/calibrations`, payload: { performedBy: ' ', performedOn: day(1), points: [{ asFound: '0' }], cost: '1.005' } }),
    );
    const body = expectProblem(res, 400, 'validation');
    expect(new Set(problemFields(body))).toEqual(new Set(['performedBy', 'performedOn', 'points', 'cost']));
  });

  it('links a calibration work order of the same instrument only', async () => {
    const a = await instrument();
    const other = await asset(t, { name: 'Pump' });
    const wo = async (assetId: string, type: string, cancelled = false) => {
      const created = await call({ method: 'POST', url: `${MT}/work-orders`, payload: { type, assetId, title: 'Calibrate' } }, 201);
      if (cancelled) await call({ method: 'POST', url: `${MT}/work-orders/${created.id}/cancel`, payload: { reason: 'done by the supplier' } }, 200);
      return created.id as string;
    };
    const own = await wo(a.id, 'calibration');
    const good = { performedOn: '2025-04-01', points: [{ asFound: '0' }, { asFound: '100' }] };
    for (const bad of [await wo(other.id, 'calibration'), await wo(a.id, 'preventive'), await wo(a.id, 'calibration', true), NO_SUCH_ID]) {
      const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/instruments/${a.id}/calibrations`, payload: { ...good, performedBy: 'Lab', workOrderId: bad } }));
      expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['workOrderId']);
    }
    const cal = await calibrate(a.id, { ...good, workOrderId: own });
    expect(cal.workOrderId).toBe(own);
    expect((await call({ method: 'GET', url: `${MT}/calibrations?workOrderId=${own}` }, 200)).data.map((c: any) => c.id)).toEqual([cal.id]);
  });

  it('keeps the certificate as an attachment of the calibration and gives it back as uploaded', async () => {
    const a = await instrument();
    const cal = await calibrate(a.id, { performedOn: '2025-04-01', points: [{ asFound: '0' }, { asFound: '100' }] });
    const pdf = Buffer.from('%PDF-1.7 certificate of calibration');
    const att = await call(
      { method: 'POST', url: `${MT}/calibrations/${cal.id}/attachments`, payload: { fileName: 'Zertifikat März.pdf', mediaType: 'Application/PDF', content: pdf.toString('base64') } },
      201,
    );
    expect(att).toMatchObject({ calibrationId: cal.id, fileName: 'Zertifikat März.pdf', mediaType: 'application/pdf', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
    expect((await call({ method: 'GET', url: `${MT}/calibrations/${cal.id}` }, 200)).attachments).toEqual([att]);
    const file = await t.request({ method: 'GET', url: `${MT}/calibrations/${cal.id}/attachments/${att.id}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('Zertifikat März.pdf')}`);
    expect(file.rawPayload.equals(pdf)).toBe(true);

    const tooBig = Buffer.alloc(1_572_865, 1).toString('base64');
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/calibrations/${cal.id}/attachments`, payload: { fileName: 'big.pdf', mediaType: 'application/pdf', content: tooBig } }));
    expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['content']);
  });

  it('lists instruments by status, category and location, with paging', async () => {
    const tools = await category(t, 'Measuring tools');
    const gauges = await category(t, 'Pressure gauges', tools);
    const lab = await location(t, 'Lab');
    const bench = await location(t, 'Bench 1', 'area', lab);
    const never = await instrument(caliper, { categoryId: gauges, locationId: bench });
    const overdue = await instrument({ ...caliper, interval: { n: 30, unit: 'day' } }, { categoryId: tools, locationId: lab });
    await calibrate(overdue.id, { performedOn: day(-31), points: [{ asFound: '0' }, { asFound: '100' }] });
    const dueSoon = await instrument({ ...caliper, interval: { n: 30, unit: 'day' }, warnDays: 7 }, { categoryId: gauges, locationId: lab });
    await calibrate(dueSoon.id, { performedOn: day(-23), points: [{ asFound: '0' }, { asFound: '100' }] });
    const current = await instrument({ ...caliper, interval: { n: 30, unit: 'day' }, warnDays: 7 }, { categoryId: gauges, locationId: bench });
    await calibrate(current.id, { performedOn: day(-22), points: [{ asFound: '0' }, { asFound: '100' }] });

    const list = async (qs: string) => (await call({ method: 'GET', url: `${MT}/instruments?${qs}` }, 200)) as { data: any[]; total: number };
    const inTools = await list(`categoryId=${tools}`);
    expect(inTools.data.map((i) => [i.tag, i.status, i.dueOn])).toEqual([
      [never.tag, 'never', null],
      [overdue.tag, 'overdue', day(-1)],
      [dueSoon.tag, 'due-soon', day(7)],
      [current.tag, 'current', day(8)],
    ]);
    expect((await list(`categoryId=${tools}&status=overdue&status=never`)).data.map((i) => i.tag)).toEqual([never.tag, overdue.tag]);
    expect((await list(`categoryId=${gauges}&status=due-soon`)).data.map((i) => i.tag)).toEqual([dueSoon.tag]);
    expect((await list(`locationId=${bench}`)).data.map((i) => i.tag)).toEqual([never.tag, current.tag]);
    const page = await list(`categoryId=${tools}&limit=2&offset=1`);
    expect({ total: page.total, tags: page.data.map((i) => i.tag) }).toEqual({ total: 4, tags: [overdue.tag, dueSoon.tag] });
  });

  it('needs the calibration permission to set up instruments and record results', async () => {
    const a = await instrument();
    const reader = await userWith(t, 'reader@example.test', [permissions.read]);
    const res = await expectNoChange(t, () => t.app.inject({ method: 'PUT', url: `${MT}/instruments/${a.id}`, payload: caliper, headers: reader.headers }));
    expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.calibrate);
    expect((await t.app.inject({ method: 'GET', url: `${MT}/instruments/${a.id}`, headers: reader.headers })).statusCode).toBe(200);
  });

  describe('check-out of instruments', () => {
    it('refuses an overdue instrument, allows it after a passing calibration', async () => {
      const a = await instrument({ ...caliper, interval: { n: 30, unit: 'day' } });
      await calibrate(a.id, { performedOn: day(-40), points: [{ asFound: '0' }, { asFound: '100' }] });
      const res = await expectNoChange(t, () => checkOut(a.id));
      const body = expectProblem(res, 409, 'maintenance/calibration-overdue');
      expect(body).toMatchObject({ reason: 'overdue', dueOn: day(-10), assetId: a.id, tag: a.tag });
      expect(body.detail).toContain(`was due on ${day(-10)}`);
      expect(await call({ method: 'GET', url: `${MT}/instruments/${a.id}` }, 200)).toMatchObject({ status: 'overdue', checkOut: { allowed: false, reason: 'overdue', categoryBlocks: true } });

      await calibrate(a.id, { performedOn: day(0), points: [{ asFound: '0' }, { asFound: '100' }] });
      const out = await checkOut(a.id);
      expect(out.statusCode, out.body).toBe(201);
      expect(out.json().asset.status).toBe('checked-out');
    });

    it('refuses an instrument never calibrated, or whose last calibration failed; not an inactive one or a plain asset', async () => {
      const never = await instrument();
      expect(expectProblem(await checkOut(never.id), 409, 'maintenance/calibration-overdue')).toMatchObject({ reason: 'never', dueOn: null });

      const failed = await instrument();
      await calibrate(failed.id, { performedOn: day(0), points: [{ asFound: '1' }, { asFound: '100' }] });
      const body = expectProblem(await expectNoChange(t, () => checkOut(failed.id)), 409, 'maintenance/calibration-overdue');
      expect(body).toMatchObject({ reason: 'failed', lastResult: 'fail' });

      const inactive = await instrument({ ...caliper, active: false });
      expect((await checkOut(inactive.id)).statusCode).toBe(201);
      const plain = await asset(t, { name: 'Ladder' });
      expect((await checkOut(plain.id)).statusCode).toBe(201);
    });

    it('refuses bulk and booking check-outs of an overdue instrument too', async () => {
      const a = await instrument({ ...caliper, interval: { n: 7, unit: 'day' } });
      await calibrate(a.id, { performedOn: day(-8), points: [{ asFound: '0' }, { asFound: '100' }] });
      const ok = await asset(t, { name: 'Tripod' });

      const bulk = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/custody/check-out`, payload: { tags: [ok.tag, a.tag], to: 'project', project: 'Survey' } }));
      const refused = expectProblem(bulk, 409, 'fixed-assets/bulk-refused');
      expect(refused.errors).toEqual([expect.objectContaining({ field: 'tags.1', tag: a.tag, type: 'https://quartermaster.dev/problems/maintenance/calibration-overdue' })]);
      expect((await call({ method: 'GET', url: `${FA}/assets/${ok.id}` }, 200)).status).toBe('in-service');

      const booking = await call(
        { method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [a.id], startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), for: 'project', project: 'Survey' } },
        201,
      );
      const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/bookings/${booking.id}/check-out`, payload: {} }));
      expect(expectProblem(res, 409, 'maintenance/calibration-overdue')).toMatchObject({ reason: 'overdue', dueOn: day(-1) });
    });

    it('lets a category turn blocking off; the nearest category with a setting wins', async () => {
      const tools = await category(t, 'Workshop tools');
      const torque = await category(t, 'Torque tools', tools);
      const critical = await category(t, 'Critical torque tools', torque);
      const setting = (id: string, block: boolean) => call({ method: 'PUT', url: `${MT}/categories/${id}/settings`, payload: { blockCheckoutWhenCalibrationOverdue: block } }, 200);
      const overdueIn = async (categoryId: string) => {
        const a = await instrument({ ...caliper, interval: { n: 7, unit: 'day' } }, { categoryId });
        await calibrate(a.id, { performedOn: day(-8), points: [{ asFound: '0' }, { asFound: '100' }] });
        return a;
      };
      const inTorque = await overdueIn(torque);
      const inCritical = await overdueIn(critical);
      expectProblem(await checkOut(inTorque.id), 409, 'maintenance/calibration-overdue');

      await setting(tools, false);
      await setting(critical, true);
      expect((await checkOut(inTorque.id)).statusCode).toBe(201);
      expect(await call({ method: 'GET', url: `${MT}/instruments/${inCritical.id}` }, 200)).toMatchObject({ checkOut: { allowed: false, categoryBlocks: true } });
      expectProblem(await checkOut(inCritical.id), 409, 'maintenance/calibration-overdue');
      // Still overdue, and listed so, even where check-out is allowed.
      expect(await call({ method: 'GET', url: `${MT}/instruments/${inTorque.id}` }, 200)).toMatchObject({ status: 'overdue', checkOut: { allowed: true, reason: 'overdue', categoryBlocks: false } });
    });
  });
});
