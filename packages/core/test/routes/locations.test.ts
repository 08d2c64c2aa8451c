import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { expectNoChange, expectOneMutation, expectProblem } from './helpers.js';

interface TreeNode {
  name: string;
  path: string;
  archived: boolean;
  children: TreeNode[];
}

describe('locations', () => {
  let t: TestPlatform;
  const ids: Record<string, string> = {};

  const call = async (opts: InjectOptions, status: number) => {
    const res = await t.request(opts);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const create = (payload: Record<string, unknown>) => call({ method: 'POST', url: '/api/core/locations', payload }, 201);
  const get = (id: string) => call({ method: 'GET', url: `/api/core/locations/${id}` }, 200);
  const patch = (id: string, payload: Record<string, unknown>, status = 200) => call({ method: 'PATCH', url: `/api/core/locations/${id}`, payload }, status);
  const outline = (nodes: TreeNode[], indent = ''): string[] => nodes.flatMap((n) => [`${indent}${n.name}${n.archived ? ' (archived)' : ''}`, ...outline(n.children, indent + '  ')]);

  beforeAll(async () => {
    t = await createTestPlatform();
    await t.request({ method: 'GET', url: '/api/core/session' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('create writes one audit entry and one event; a bin shows its flat path, depth and ancestors', async () => {
    const res = await expectOneMutation(t, { entityType: 'core.location', action: 'created', events: ['core.location.created'] }, () =>
      t.request({ method: 'POST', url: '/api/core/locations', payload: { name: 'Main DC', type: 'site', code: 'MDC', address: '1 Dock Road', latitude: 51.507351, longitude: -0.127758 } }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const site = res.json();
    expect(site).toMatchObject({ name: 'Main DC', type: 'site', parentId: null, path: 'Main DC', depth: 0, ancestors: [], latitude: 51.507351, longitude: -0.127758, version: 1, archived: false });
    expect(res.audit.after).toEqual(site);
    expect(res.outbox[0].payload).toEqual({ id: site.id, name: 'Main DC', type: 'site', parentId: null });
    ids.site = site.id;
    ids.aisle = (await create({ name: 'Aisle 3', type: 'aisle', parentId: ids.site })).id;
    const bin = await create({ name: ' Bin 3-04 ', type: 'bin', parentId: ids.aisle, code: 'B304' });
    ids.bin = bin.id;
    expect(bin).toMatchObject({ name: 'Bin 3-04', path: 'Main DC / Aisle 3 / Bin 3-04', depth: 2 });
    expect(bin.ancestors).toEqual([
      { id: ids.site, name: 'Main DC', type: 'site' },
      { id: ids.aisle, name: 'Aisle 3', type: 'aisle' },
    ]);
    ids.bin5 = (await create({ name: 'Bin 3-05', type: 'bin', parentId: ids.aisle })).id;
    ids.aisle4 = (await create({ name: 'Aisle 4', type: 'aisle', parentId: ids.site })).id;
    ids.overflow = (await create({ name: 'Overflow yard', type: 'site' })).id;
  });

  it('the tree nests children under parents, sorted by name', async () => {
    const tree = await call({ method: 'GET', url: '/api/core/locations/tree' }, 200);
    expect(outline(tree)).toEqual(['Main DC', '  Aisle 3', '    Bin 3-04', '    Bin 3-05', '  Aisle 4', 'Overflow yard']);
    expect(tree[0].children[0].children[0]).toMatchObject({ id: ids.bin, path: 'Main DC / Aisle 3 / Bin 3-04', parentId: ids.aisle, code: 'B304' });
  });

  it('the flat list filters by text in the path or code, parent and type, with totals', async () => {
    const paths = (page: { data: { path: string }[] }) => page.data.map((l) => l.path);
    expect(paths(await call({ method: 'GET', url: '/api/core/locations?q=3-04' }, 200))).toEqual(['Main DC / Aisle 3 / Bin 3-04']);
    expect(paths(await call({ method: 'GET', url: `/api/core/locations?q=${encodeURIComponent('main dc / aisle 3')}` }, 200))).toEqual([
      'Main DC / Aisle 3',
      'Main DC / Aisle 3 / Bin 3-04',
      'Main DC / Aisle 3 / Bin 3-05',
    ]);
    expect(paths(await call({ method: 'GET', url: '/api/core/locations?q=b304' }, 200))).toEqual(['Main DC / Aisle 3 / Bin 3-04']);
    expect(paths(await call({ method: 'GET', url: `/api/core/locations?parentId=${ids.site}` }, 200))).toEqual(['Main DC / Aisle 3', 'Main DC / Aisle 4']);
    expect(paths(await call({ method: 'GET', url: '/api/core/locations?type=site' }, 200))).toEqual(['Main DC', 'Overflow yard']);
    const page = await call({ method: 'GET', url: '/api/core/locations?limit=2&offset=4' }, 200);
    expect([page.total, page.data.length]).toEqual([6, 2]);
    const past = await call({ method: 'GET', url: '/api/core/locations?limit=2&offset=40' }, 200);
    expect([past.total, past.data.length]).toEqual([6, 0]);
  });

  it('a move keeps references: an identifier on a bin still resolves after its aisle moves, with the new path', async () => {
    await call({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'qr', value: 'LOC:B304', targetType: 'core.location', targetId: ids.bin } }, 201);
    const before = await get(ids.aisle);
    const res = await expectOneMutation(t, { entityType: 'core.location', action: 'moved', events: ['core.location.updated'] }, () =>
      t.request({ method: 'PATCH', url: `/api/core/locations/${ids.aisle}`, payload: { parentId: ids.overflow, version: before.version } }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ path: 'Overflow yard / Aisle 3', parentId: ids.overflow, version: before.version + 1 });
    expect(res.audit.before).toMatchObject({ path: 'Main DC / Aisle 3', parentId: ids.site });
    expect(res.audit.after).toMatchObject({ path: 'Overflow yard / Aisle 3', parentId: ids.overflow });
    expect(res.outbox[0].payload).toEqual({ id: ids.aisle, name: 'Aisle 3', parentId: ids.overflow, moved: true });

    const bin = await get(ids.bin);
    expect(bin.path).toBe('Overflow yard / Aisle 3 / Bin 3-04');
    expect(bin.ancestors.map((a: { name: string }) => a.name)).toEqual(['Overflow yard', 'Aisle 3']);
    const resolved = await call({ method: 'GET', url: `/api/core/identifiers/resolve?value=${encodeURIComponent('LOC:B304')}` }, 200);
    expect(resolved.matches).toEqual([
      {
        identifier: { id: expect.any(String), type: 'qr', value: 'LOC:B304' },
        target: { type: 'core.location', id: ids.bin, label: 'Overflow yard / Aisle 3 / Bin 3-04', href: `/locations/${ids.bin}` },
      },
    ]);
    const tree = await call({ method: 'GET', url: '/api/core/locations/tree' }, 200);
    expect(outline(tree)).toEqual(['Main DC', '  Aisle 4', 'Overflow yard', '  Aisle 3', '    Bin 3-04', '    Bin 3-05']);
  });

  it('a rename is one audited update; the paths below follow; changing only the case of a name is allowed', async () => {
    const res = await expectOneMutation(t, { entityType: 'core.location', action: 'updated', events: ['core.location.updated'] }, () =>
      t.request({ method: 'PATCH', url: `/api/core/locations/${ids.overflow}`, payload: { name: 'Yard B' } }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.outbox[0].payload).toMatchObject({ name: 'Yard B', moved: false });
    expect((await get(ids.bin)).path).toBe('Yard B / Aisle 3 / Bin 3-04');
    expect((await patch(ids.bin, { name: 'BIN 3-04' })).path).toBe('Yard B / Aisle 3 / BIN 3-04');
  });

  it('sibling names are unique (case-insensitive), on create, rename and move; the same name elsewhere is fine', async () => {
    expect((await create({ name: 'Bin 3-04', type: 'bin', parentId: ids.aisle4 })).path).toBe('Main DC / Aisle 4 / Bin 3-04');
    const dupCreate = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/locations', payload: { name: 'bin 3-04', type: 'bin', parentId: ids.aisle } }));
    expect(expectProblem(dupCreate, 409, 'location-name-taken').field).toBe('name');
    const dupRename = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/locations/${ids.bin5}`, payload: { name: 'Bin 3-04' } }));
    expectProblem(dupRename, 409, 'location-name-taken');
    // Moving Bin 3-05 is fine, but moving Bin 3-04 next to the other "Bin 3-04" is not.
    const dupMove = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/locations/${ids.bin}`, payload: { parentId: ids.aisle4 } }));
    expectProblem(dupMove, 409, 'location-name-taken');
    expect((await get(ids.bin)).parentId).toBe(ids.aisle);
  });

  it('cannot move a location under itself or its descendants', async () => {
    for (const target of [ids.overflow, ids.aisle, ids.bin]) {
      const res = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/locations/${ids.overflow}`, payload: { parentId: target } }));
      expectProblem(res, 409, 'location-cycle');
    }
    // Moving to the top level is allowed.
    expect((await patch(ids.aisle, { parentId: null })).path).toBe('Aisle 3');
    expect((await get(ids.bin)).path).toBe('Aisle 3 / BIN 3-04');
    expect((await patch(ids.aisle, { parentId: ids.site })).path).toBe('Main DC / Aisle 3');
  });

  it('archive: only once the children are archived; archived places leave the tree and list unless asked for', async () => {
    expectProblem(await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/locations/${ids.aisle}`, payload: { archived: true } })), 409, 'location-has-children');
    // Audited as "archived", like items, so the audit log can be filtered for it.
    const res = await expectOneMutation(t, { entityType: 'core.location', action: 'archived', events: ['core.location.updated'] }, () =>
      t.request({ method: 'PATCH', url: `/api/core/locations/${ids.bin5}`, payload: { archived: true } }),
    );
    expect(res.json().archived).toBe(true);
    await patch(ids.bin, { archived: true });
    expect((await patch(ids.aisle, { archived: true })).archived).toBe(true);
    expect(outline(await call({ method: 'GET', url: '/api/core/locations/tree' }, 200))).toEqual(['Main DC', '  Aisle 4', '    Bin 3-04', 'Yard B']);
    expect(outline(await call({ method: 'GET', url: '/api/core/locations/tree?archived=true' }, 200))).toEqual([
      'Main DC',
      '  Aisle 3 (archived)',
      '    BIN 3-04 (archived)',
      '    Bin 3-05 (archived)',
      '  Aisle 4',
      '    Bin 3-04',
      'Yard B',
    ]);
    const flat = await call({ method: 'GET', url: '/api/core/locations?q=aisle 3' }, 200);
    expect(flat.total).toBe(0);
    expect((await call({ method: 'GET', url: '/api/core/locations?q=aisle 3&archived=true' }, 200)).total).toBe(3);
    // An archived place takes no new children.
    const child = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/locations', payload: { name: 'Bin 3-06', type: 'bin', parentId: ids.aisle } }));
    expectProblem(child, 400, 'validation');
    // Unarchive from the top down.
    const back = await expectOneMutation(t, { entityType: 'core.location', action: 'unarchived', events: ['core.location.updated'] }, () =>
      t.request({ method: 'PATCH', url: `/api/core/locations/${ids.aisle}`, payload: { archived: false } }),
    );
    expect(back.json().archived).toBe(false);
  });

  it('a PATCH that changes nothing writes nothing: no new version, no audit entry, no event', async () => {
    const current = await get(ids.aisle4);
    const res = await expectNoChange(t, () =>
      t.request({ method: 'PATCH', url: `/api/core/locations/${ids.aisle4}`, payload: { name: ' Aisle 4 ', type: 'aisle', parentId: ids.site, archived: false, version: current.version } }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(current);
  });

  it('a stale version is refused and nothing changes', async () => {
    const current = await get(ids.aisle4);
    await patch(ids.aisle4, { code: 'A4', version: current.version });
    const stale = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/locations/${ids.aisle4}`, payload: { name: 'Aisle Four', version: current.version } }));
    expect(expectProblem(stale, 409, 'stale-version').currentVersion).toBe(current.version + 1);
    expect((await get(ids.aisle4)).name).toBe('Aisle 4');
  });
});
