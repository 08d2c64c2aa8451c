import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { FA, MT, asset, bootMaintenance, caller, category, eventsSince, userWith } from './fixtures.js';
import { getWorkOrder } from './work-orders.fixtures.js';

/** Anyone with the small `maintenance.breakdown.report` permission files a breakdown by scanning the asset. */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
let reporter: TestSession & { id: string };
beforeAll(async () => {
  t = await bootMaintenance();
  call = caller(t);
  reporter = await userWith(t, 'operator@example.test', [permissions.report]);
  await call({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'problem', code: 'NOISE', description: 'Abnormal noise' } }, 201);
});
afterAll(() => t?.close());

const report = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `${MT}/breakdowns`, payload, headers: reporter.headers });

describe('breakdown reports', () => {
  it('a user with only the report permission files one by scanning the tag: a corrective order is requested', async () => {
    const a = await asset(t, { name: 'Press 4' });
    const from = t.events.length;
    const failedAt = new Date(Date.now() - 3_600_000).toISOString();
    const res = await report({ code: ` ${a.tag} `, description: 'Grinding noise from the gearbox\nthen it stopped', assetDown: true, failedAt, problemCode: 'NOISE' });
    expect(res.statusCode, res.body).toBe(201);
    const filed = res.json();
    expect(filed).toEqual({
      id: expect.any(String),
      number: expect.stringMatching(/^WO-\d{6}$/),
      type: 'corrective',
      status: 'requested',
      // No criticality: C; corrective work on a C asset is medium.
      priority: 'medium',
      title: 'Breakdown: Press 4 — Grinding noise from the gearbox',
      assetId: a.id,
      assetTag: a.tag,
      assetName: 'Press 4',
      assetDown: true,
      failedAt,
      problemCode: 'NOISE',
      reportedBy: 'operator@example.test',
    });
    expect(eventsSince(t, from)).toEqual(['maintenance.work-order.created', 'maintenance.breakdown.reported']);
    expect(t.events.at(-1)!.payload).toMatchObject({ id: filed.id, assetTag: a.tag, assetDown: true, reportedBy: 'operator@example.test', description: 'Grinding noise from the gearbox\nthen it stopped' });

    const wo = await getWorkOrder(t, filed.id);
    expect(wo).toMatchObject({ type: 'corrective', reportedBy: 'operator@example.test', reportedAt: expect.any(String), assetDown: true, failedAt, problemCode: 'NOISE' });
    expect(wo.history.map((h: { type: string }) => h.type)).toEqual(['created', 'breakdown-reported']);

    // The reporter may not read or work on orders.
    const read = await t.app.inject({ method: 'GET', url: `${MT}/work-orders/${filed.id}`, headers: reporter.headers });
    expect(expectProblem(read, 403, 'forbidden').permission).toBe(permissions.read);
  });

  it('takes priority from criticality: the category default, or the asset\'s own', async () => {
    const cat = await category(t, 'Presses');
    await call({ method: 'PUT', url: `${MT}/categories/${cat}/settings`, payload: { defaultCriticality: 'B' } }, 200);
    const b = await asset(t, { categoryId: cat });
    expect((await report({ assetId: b.id })).json().priority).toBe('high');
    await call({ method: 'PUT', url: `${MT}/assets/${b.id}/profile`, payload: { criticality: 'A' } }, 200);
    expect((await report({ assetId: b.id, title: 'Hydraulic leak' })).json()).toMatchObject({ priority: 'urgent', title: 'Hydraulic leak' });
  });

  it('resolves other identifiers of the asset through the core registry', async () => {
    const a = await asset(t);
    await call({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'qr', value: 'QR-PRESS-77', targetType: 'fixed-assets.asset', targetId: a.id } }, 201);
    // The reporter sees which asset the scan names (and the problem codes to pick) before sending.
    const look = await t.app.inject({ method: 'GET', url: `${MT}/breakdowns/asset?code=QR-PRESS-77`, headers: reporter.headers });
    expect(look.statusCode, look.body).toBe(200);
    expect(look.json()).toEqual({
      asset: { id: a.id, tag: a.tag, name: 'Compressor', status: 'in-service', locationId: null },
      problemCodes: [{ code: 'NOISE', description: 'Abnormal noise' }],
    });
    const res = await report({ code: 'QR-PRESS-77' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ assetId: a.id, assetTag: a.tag });
  });

  it('refuses what cannot be filed, changing nothing', async () => {
    const unknown = await expectNoChange(t, () => report({ code: 'NO-SUCH-TAG' }));
    expect(expectProblem(unknown, 404, 'maintenance/unknown-asset-code')).toMatchObject({ field: 'code', code: 'NO-SUCH-TAG' });
    const a = await asset(t);
    const both = await expectNoChange(t, () => report({ code: a.tag, assetId: a.id }));
    expect(problemFields(expectProblem(both, 400, 'validation'))).toEqual(['assetId']);
    const neither = await expectNoChange(t, () => report({ description: 'Something broke' }));
    expect(problemFields(expectProblem(neither, 400, 'validation'))).toEqual(['code']);
    const future = await expectNoChange(t, () => report({ assetId: a.id, failedAt: new Date(Date.now() + 86_400_000).toISOString(), problemCode: 'NOPE' }));
    expect(new Set(problemFields(expectProblem(future, 400, 'validation')))).toEqual(new Set(['failedAt', 'problemCode']));

    await call({ method: 'POST', url: `${FA}/assets/${a.id}/transitions`, payload: { to: 'retired' } }, 200);
    await call({ method: 'POST', url: `${FA}/assets/${a.id}/dispose`, payload: { kind: 'scrapped' } }, 200);
    const disposed = await expectNoChange(t, () => report({ assetId: a.id }));
    expectProblem(disposed, 409, 'maintenance/asset-disposed');
  });
});
