import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { MT, asset, bootMaintenance, caller, category, userWith } from './fixtures.js';

let t: TestPlatform;
let call: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await bootMaintenance();
  call = caller(t);
});
afterAll(() => t?.close());

const auditCount = async (entityType: string, entityId: string) =>
  (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM core_audit WHERE entity_type = $1 AND entity_id = $2`, [entityType, entityId]))[0].n;

describe('checklist templates', () => {
  const items = [
    { kind: 'check', label: 'Guards in place' },
    { kind: 'reading', label: 'Oil pressure', unit: 'bar', min: '2.5', max: 4, pointCode: 'oil.pressure' },
    { kind: 'text', label: 'Remarks', required: false },
  ];

  it('creates a template with its items in their stored form, and audits it', async () => {
    const tpl = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: ' Compressor PM ', description: 'Monthly', items } }, 201);
    expect(tpl).toMatchObject({ name: 'Compressor PM', description: 'Monthly', version: 1, active: true });
    expect(tpl.items).toEqual([
      { kind: 'check', label: 'Guards in place', required: true, unit: null, min: null, max: null, pointCode: null },
      { kind: 'reading', label: 'Oil pressure', required: true, unit: 'bar', min: '2.5', max: '4', pointCode: 'oil.pressure' },
      { kind: 'text', label: 'Remarks', required: false, unit: null, min: null, max: null, pointCode: null },
    ]);
    expect(await auditCount('maintenance.checklist-template', tpl.id)).toBe(1);
    expect(await call({ method: 'GET', url: `${MT}/checklist-templates/${tpl.id}` }, 200)).toEqual(tpl);
  });

  it('refuses items that make no sense, naming each, and stores nothing', async () => {
    const res = await expectNoChange(t, () =>
      t.request({
        method: 'POST',
        url: `${MT}/checklist-templates`,
        payload: {
          name: 'Bad',
          items: [
            { kind: 'check', label: 'Pressure', unit: 'bar' },
            { kind: 'reading', label: 'Temp', min: 90, max: 10 },
            { kind: 'text', label: '   ' },
          ],
        },
      }),
    );
    const body = expectProblem(res, 400, 'validation');
    expect(new Set(problemFields(body))).toEqual(new Set(['items.0.unit', 'items.1.max', 'items.2.label']));
    const code = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Bad', items: [{ kind: 'reading', label: 'Rpm', pointCode: 'Not A Code' }] } }));
    expect(new Set(problemFields(expectProblem(code, 400, 'validation')))).toEqual(new Set(['items.0.pointCode']));
  });

  it('refuses a second template of the same name', async () => {
    await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Unique name', items } }, 201);
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Unique name', items } }));
    expect(expectProblem(res, 409, 'maintenance/duplicate-name').field).toBe('name');
  });

  it('edits with optimistic versions: a stale version is 409 and changes nothing', async () => {
    const tpl = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Versioned', items } }, 201);
    const v2 = await call({ method: 'PATCH', url: `${MT}/checklist-templates/${tpl.id}`, payload: { version: 1, items: [{ kind: 'check', label: 'Only one' }], active: false } }, 200);
    expect(v2).toMatchObject({ version: 2, active: false, items: [{ kind: 'check', label: 'Only one', required: true }] });
    const res = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${MT}/checklist-templates/${tpl.id}`, payload: { version: 1, name: 'Lost update' } }));
    expect(expectProblem(res, 409, 'stale-version').currentVersion).toBe(2);
    expect((await call({ method: 'GET', url: `${MT}/checklist-templates/${tpl.id}` }, 200)).name).toBe('Versioned');
  });

  it('lists with search and the active filter, paged', async () => {
    const all = await call({ method: 'GET', url: `${MT}/checklist-templates?q=version` }, 200);
    expect(all.data.map((x: { name: string }) => x.name)).toEqual(['Versioned']);
    const active = await call({ method: 'GET', url: `${MT}/checklist-templates?active=true&limit=1` }, 200);
    expect(active.limit).toBe(1);
    expect(active.data).toHaveLength(1);
    expect(active.total).toBe(2);
  });

  it('deletes a template no plan uses; a template a plan uses is 409 template-in-use', async () => {
    const a = await asset(t);
    const used = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Used by a plan', items } }, 201);
    // The plan is stored directly: the plans API is another area's.
    await t.sql(
      `INSERT INTO maintenance_plan (code, name, trigger_kind, trigger_config, work_order_type, asset_id, checklist_template_id) VALUES ('PM-1', 'Monthly PM', 'calendar', '{}', 'preventive', $1, $2)`,
      [a.id, used.id],
    );
    const res = await expectNoChange(t, () => t.request({ method: 'DELETE', url: `${MT}/checklist-templates/${used.id}` }));
    expect(expectProblem(res, 409, 'maintenance/template-in-use').plans).toEqual([{ id: expect.any(String), code: 'PM-1' }]);

    const unused = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Throwaway', items } }, 201);
    await call({ method: 'DELETE', url: `${MT}/checklist-templates/${unused.id}` }, 204);
    await call({ method: 'GET', url: `${MT}/checklist-templates/${unused.id}` }, 404);
    expect(await auditCount('maintenance.checklist-template', unused.id)).toBe(2);
  });
});

describe('teams and technicians', () => {
  it('creates a team with members and a rate, replaces its members, renames it', async () => {
    const ana = await userWith(t, 'ana@example.test', [permissions.execute]);
    const bo = await userWith(t, 'bo@example.test', [permissions.execute]);
    const team = await call({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Mechanics', hourlyRate: '55.5', memberIds: [ana.id] } }, 201);
    expect(team).toMatchObject({ name: 'Mechanics', hourlyRate: '55.5', members: [{ id: ana.id, name: 'ana', email: 'ana@example.test' }] });
    const members = await call({ method: 'PUT', url: `${MT}/teams/${team.id}/members`, payload: { userIds: [bo.id, ana.id] } }, 200);
    expect(members.members.map((m: { id: string }) => m.id).sort()).toEqual([ana.id, bo.id].sort());
    const renamed = await call({ method: 'PATCH', url: `${MT}/teams/${team.id}`, payload: { name: 'Mechanical', hourlyRate: null } }, 200);
    expect(renamed).toMatchObject({ name: 'Mechanical', hourlyRate: null });
    expect((await call({ method: 'GET', url: `${MT}/teams` }, 200)).data.map((x: { name: string }) => x.name)).toContain('Mechanical');

    const tech = await call({ method: 'PUT', url: `${MT}/technicians/${ana.id}`, payload: { hourlyRate: 70, skills: ['hydraulics', 'welding'] } }, 200);
    expect(tech).toMatchObject({ userId: ana.id, hourlyRate: '70', skills: ['hydraulics', 'welding'], teams: [{ id: team.id, name: 'Mechanical', hourlyRate: null }] });
    const list = await call({ method: 'GET', url: `${MT}/technicians` }, 200);
    expect(list.data.map((x: { userId: string }) => x.userId).sort()).toEqual([ana.id, bo.id].sort());
  });

  it('refuses unknown members and negative rates, naming them', async () => {
    const res = await expectNoChange(t, () =>
      t.request({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Ghosts', hourlyRate: '-1', memberIds: ['00000000-0000-4000-8000-000000000001'] } }),
    );
    expect(new Set(problemFields(expectProblem(res, 400, 'validation')))).toEqual(new Set(['hourlyRate', 'memberIds.0']));
  });

  it('deletes a team nobody uses; a team a work order names is 409 team-in-use', async () => {
    const a = await asset(t);
    const used = await call({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Electricians' } }, 201);
    await call({ method: 'POST', url: `${MT}/work-orders`, payload: { type: 'inspection', assetId: a.id, title: 'Check wiring', teamId: used.id } }, 201);
    const res = await expectNoChange(t, () => t.request({ method: 'DELETE', url: `${MT}/teams/${used.id}` }));
    expect(expectProblem(res, 409, 'maintenance/team-in-use')).toMatchObject({ workOrders: 1, plans: 0 });
    const spare = await call({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Spare team' } }, 201);
    await call({ method: 'DELETE', url: `${MT}/teams/${spare.id}` }, 204);
    await call({ method: 'GET', url: `${MT}/teams/${spare.id}` }, 404);
  });
});

describe('failure codes', () => {
  it('adds, lists by kind, deactivates and deletes codes; duplicates and used codes are refused', async () => {
    await call({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'problem', code: 'LEAK', description: 'Leaking' } }, 201);
    await call({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'cause', code: 'WEAR', description: 'Worn seal' } }, 201);
    await call({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'remedy', code: 'REPLACE', description: 'Replaced' } }, 201);
    // The same code may exist once per kind.
    await call({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'cause', code: 'LEAK', description: 'Caused by a leak elsewhere' } }, 201);
    const dup = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'problem', code: 'LEAK', description: 'Again' } }));
    expectProblem(dup, 409, 'maintenance/duplicate-failure-code');
    const bad = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind: 'problem', code: 'lower case', description: 'x' } }));
    expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['code']);

    expect((await call({ method: 'GET', url: `${MT}/failure-codes?kind=cause` }, 200)).data.map((c: { code: string }) => c.code)).toEqual(['LEAK', 'WEAR']);
    const off = await call({ method: 'PATCH', url: `${MT}/failure-codes/cause/LEAK`, payload: { active: false } }, 200);
    expect(off).toEqual({ kind: 'cause', code: 'LEAK', description: 'Caused by a leak elsewhere', active: false });
    expect((await call({ method: 'GET', url: `${MT}/failure-codes?kind=cause&active=true` }, 200)).data.map((c: { code: string }) => c.code)).toEqual(['WEAR']);

    const a = await asset(t);
    await call({ method: 'POST', url: `${MT}/breakdowns`, payload: { assetId: a.id, description: 'Oil on the floor', problemCode: 'LEAK' } }, 201);
    const inUse = await expectNoChange(t, () => t.request({ method: 'DELETE', url: `${MT}/failure-codes/problem/LEAK` }));
    expect(expectProblem(inUse, 409, 'maintenance/failure-code-in-use').workOrders).toBe(1);
    await call({ method: 'DELETE', url: `${MT}/failure-codes/cause/LEAK` }, 204);
    await call({ method: 'DELETE', url: `${MT}/failure-codes/cause/LEAK` }, 404);
  });
});

describe('asset criticality and category settings', () => {
  it('inherits criticality from the nearest category that sets one, else C; the asset\'s own value wins', async () => {
    const plant = await category(t, 'Plant');
    const pumps = await category(t, 'Pumps', plant);
    const a = await asset(t, { name: 'Pump 1', categoryId: pumps });
    expect(await call({ method: 'GET', url: `${MT}/assets/${a.id}/profile` }, 200)).toEqual({ assetId: a.id, criticality: 'C', source: 'default', own: null, updatedAt: null });

    const parentSettings = await call({ method: 'PUT', url: `${MT}/categories/${plant}/settings`, payload: { defaultCriticality: 'B', blockCheckoutWhenCalibrationOverdue: false } }, 200);
    expect(parentSettings).toEqual({
      categoryId: plant,
      settings: { blockCheckoutWhenCalibrationOverdue: false, defaultCriticality: 'B' },
      effective: { blockCheckoutWhenCalibrationOverdue: false, blockCheckoutFrom: plant, defaultCriticality: 'B', defaultCriticalityFrom: plant },
    });
    expect(await call({ method: 'GET', url: `${MT}/categories/${pumps}/settings` }, 200)).toEqual({
      categoryId: pumps,
      settings: null,
      effective: { blockCheckoutWhenCalibrationOverdue: false, blockCheckoutFrom: plant, defaultCriticality: 'B', defaultCriticalityFrom: plant },
    });
    expect(await call({ method: 'GET', url: `${MT}/assets/${a.id}/profile` }, 200)).toMatchObject({ criticality: 'B', source: 'category', own: null });

    const own = await call({ method: 'PUT', url: `${MT}/assets/${a.id}/profile`, payload: { criticality: 'A' } }, 200);
    expect(own).toMatchObject({ criticality: 'A', source: 'asset', own: 'A', updatedAt: expect.any(String) });
    // A breakdown of an A asset is urgent.
    const wo = await call({ method: 'POST', url: `${MT}/breakdowns`, payload: { assetId: a.id } }, 201);
    expect(wo.priority).toBe('urgent');
    expect(await call({ method: 'PUT', url: `${MT}/assets/${a.id}/profile`, payload: { criticality: null } }, 200)).toMatchObject({ criticality: 'B', source: 'category', own: null });

    // A child's own row wins for what it sets; a field left out keeps its value.
    await call({ method: 'PUT', url: `${MT}/categories/${pumps}/settings`, payload: { blockCheckoutWhenCalibrationOverdue: true } }, 200);
    const child = await call({ method: 'PUT', url: `${MT}/categories/${pumps}/settings`, payload: { defaultCriticality: 'A' } }, 200);
    expect(child.settings).toEqual({ blockCheckoutWhenCalibrationOverdue: true, defaultCriticality: 'A' });
    expect(child.effective).toMatchObject({ blockCheckoutWhenCalibrationOverdue: true, blockCheckoutFrom: pumps, defaultCriticality: 'A', defaultCriticalityFrom: pumps });

    // Each setting inherits on its own: a sub-category that only sets a criticality follows its
    // parent's choice on check-out blocking, and null hands a setting back to the parent.
    const valves = await category(t, 'Valves', plant);
    const valvesSettings = await call({ method: 'PUT', url: `${MT}/categories/${valves}/settings`, payload: { defaultCriticality: 'C' } }, 200);
    expect(valvesSettings.settings).toEqual({ blockCheckoutWhenCalibrationOverdue: null, defaultCriticality: 'C' });
    expect(valvesSettings.effective).toMatchObject({ blockCheckoutWhenCalibrationOverdue: false, blockCheckoutFrom: plant, defaultCriticality: 'C', defaultCriticalityFrom: valves });
    const back = await call({ method: 'PUT', url: `${MT}/categories/${pumps}/settings`, payload: { blockCheckoutWhenCalibrationOverdue: null } }, 200);
    expect(back.effective).toMatchObject({ blockCheckoutWhenCalibrationOverdue: false, blockCheckoutFrom: plant, defaultCriticality: 'A' });
  });

  it('answers 404 for unknown assets and categories and refuses bad criticalities', async () => {
    await call({ method: 'GET', url: `${MT}/assets/00000000-0000-4000-8000-000000000009/profile` }, 404);
    const a = await asset(t);
    const res = await expectNoChange(t, () => t.request({ method: 'PUT', url: `${MT}/assets/${a.id}/profile`, payload: { criticality: 'D' } }));
    expect(problemFields(expectProblem(res, 400, 'validation'))).toContain('criticality');
  });
});

describe('permissions', () => {
  it('lets a maintenance reader read the catalogues but not change them', async () => {
    const reader = await userWith(t, 'reader@example.test', [permissions.read]);
    const res = await t.app.inject({ method: 'GET', url: `${MT}/failure-codes`, headers: reader.headers });
    expect(res.statusCode).toBe(200);
    const write = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: `${MT}/teams`, headers: reader.headers, payload: { name: 'Sneaky' } }));
    expect(expectProblem(write, 403, 'forbidden').permission).toBe(permissions.plan);
  });
});
