import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { expectNoChange, expectOneMutation, expectProblem, fieldsOf } from './helpers.js';

describe('catalogue: categories and items', () => {
  let t: TestPlatform;
  const ids: Record<string, string> = {};

  const call = async (opts: InjectOptions, status: number) => {
    const res = await t.request(opts);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const createItem = (payload: Record<string, unknown>) => call({ method: 'POST', url: '/api/core/items', payload }, 201);
  const list = async (query: string) => call({ method: 'GET', url: `/api/core/items?${query}` }, 200);
  const names = (page: { data: { name: string }[] }) => page.data.map((i) => i.name);

  beforeAll(async () => {
    t = await createTestPlatform();
    await t.request({ method: 'GET', url: '/api/core/session' });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('categories', () => {
    it('create writes one audit entry and one event; paths join the names from the root', async () => {
      const res = await expectOneMutation(t, { entityType: 'core.category', action: 'created', events: ['core.category.created'] }, () =>
        t.request({
          method: 'POST',
          url: '/api/core/categories',
          payload: { name: ' Electrical ', attributeSchema: { type: 'object', required: ['voltage'], properties: { voltage: { type: 'number', exclusiveMinimum: 0 } } } },
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
      const electrical = res.json();
      expect(electrical).toMatchObject({ name: 'Electrical', parentId: null, path: 'Electrical' });
      expect(res.audit.before).toBeNull();
      expect(res.audit.after).toEqual(electrical);
      expect(res.outbox[0].payload).toEqual({ id: electrical.id, name: 'Electrical', parentId: null });
      ids.electrical = electrical.id;

      ids.batteries = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Batteries', parentId: ids.electrical, attributeSchema: { type: 'object', required: ['chemistry'], properties: { chemistry: { enum: ['li-ion', 'nimh', 'alkaline'] } } } } }, 201)).id;
      ids.rechargeable = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Rechargeable', parentId: ids.batteries } }, 201)).id;
      ids.cables = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Cables', parentId: ids.electrical } }, 201)).id;
      ids.furniture = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Furniture' } }, 201)).id;

      const all = await call({ method: 'GET', url: '/api/core/categories' }, 200);
      expect(all.map((c: { path: string }) => c.path)).toEqual([
        'Electrical',
        'Electrical / Batteries',
        'Electrical / Batteries / Rechargeable',
        'Electrical / Cables',
        'Furniture',
      ]);
      expect((await call({ method: 'GET', url: `/api/core/categories/${ids.rechargeable}` }, 200)).path).toBe('Electrical / Batteries / Rechargeable');
    });

    it('the same name is fine under another parent', async () => {
      const a = await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Spares', parentId: ids.cables } }, 201);
      const b = await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Spares', parentId: ids.furniture } }, 201);
      expect([a.path, b.path]).toEqual(['Electrical / Cables / Spares', 'Furniture / Spares']);
      const dup = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/categories', payload: { name: 'SPARES', parentId: ids.furniture } }));
      expectProblem(dup, 409, 'category-name-taken');
    });

    it('rename and move update paths below; update writes before/after', async () => {
      const tmp = await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Lamps' } }, 201);
      const child = await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Bulbs', parentId: tmp.id } }, 201);
      const res = await expectOneMutation(t, { entityType: 'core.category', action: 'updated', events: ['core.category.updated'] }, () =>
        t.request({ method: 'PATCH', url: `/api/core/categories/${tmp.id}`, payload: { name: 'Lighting', parentId: ids.electrical } }),
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.audit.before).toMatchObject({ name: 'Lamps', path: 'Lamps', parentId: null });
      expect(res.audit.after).toMatchObject({ name: 'Lighting', path: 'Electrical / Lighting', parentId: ids.electrical });
      expect((await call({ method: 'GET', url: `/api/core/categories/${child.id}` }, 200)).path).toBe('Electrical / Lighting / Bulbs');
      // Back to the root with parentId null.
      expect((await call({ method: 'PATCH', url: `/api/core/categories/${tmp.id}`, payload: { parentId: null } }, 200)).path).toBe('Lighting');
    });

    it('schemas are independent: two categories may carry the same $id, and each validates its own items', async () => {
      const schema = (required: string) => ({ $id: 'https://example.test/schemas/tool', type: 'object', required: [required] });
      const a = await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Hand tools', attributeSchema: schema('size') } }, 201);
      const b = await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Power tools', attributeSchema: schema('watts') } }, 201);
      await call({ method: 'PATCH', url: `/api/core/categories/${a.id}`, payload: { attributeSchema: schema('size') } }, 200);
      expect((await createItem({ name: 'Spanner', categoryId: a.id, attributes: { size: 13 } })).category.name).toBe('Hand tools');
      const wrong = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/items', payload: { name: 'Grinder', categoryId: b.id, attributes: { size: 13 } } }));
      expect(fieldsOf(expectProblem(wrong, 400, 'validation'))).toEqual(['attributes.watts']);
    });

    it('a descendant cannot become the parent (no cycle), and nothing changes', async () => {
      const res = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/categories/${ids.electrical}`, payload: { parentId: ids.rechargeable } }));
      expect(expectProblem(res, 409, 'category-cycle').field).toBe('parentId');
      expect((await call({ method: 'GET', url: `/api/core/categories/${ids.electrical}` }, 200)).parentId).toBeNull();
    });
  });

  describe('items', () => {
    it('create writes one audit entry with the item and its events, trimmed and defaulted', async () => {
      const res = await expectOneMutation(t, { entityType: 'core.item', action: 'created', events: ['core.item.created', 'core.identifier.assigned', 'core.identifier.assigned'] }, () =>
        t.request({
          method: 'POST',
          url: '/api/core/items',
          payload: {
            name: '  Cordless drill  ',
            description: 'Compact 18 V drill driver',
            identifiers: [
              { type: 'sku', value: ' DRL-18V ' },
              { type: 'gtin', value: '4006 3813 33931' },
            ],
          },
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
      const item = res.json();
      expect(item).toMatchObject({ name: 'Cordless drill', unitOfMeasure: 'ea', kind: 'stock', trackingMode: 'none', attributes: {}, archived: false, version: 1, categoryId: null, category: null });
      expect(item.identifiers.map((i: { type: string; value: string }) => `${i.type}:${i.value}`)).toEqual(['gtin:4006381333931', 'sku:DRL-18V']);
      expect(res.audit.after).toEqual(item);
      expect(await call({ method: 'GET', url: `/api/core/items/${item.id}` }, 200)).toEqual(item);
      ids.drill = item.id;
    });

    it('attributes are checked against the category and all its ancestors', async () => {
      // Rechargeable has no schema of its own, but inherits Batteries' and Electrical's.
      const missing = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/items', payload: { name: 'AA NiMH', categoryId: ids.rechargeable, attributes: { voltage: 1.2 } } }));
      expect(fieldsOf(expectProblem(missing, 400, 'validation'))).toEqual(['attributes.chemistry']);
      const both = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/items', payload: { name: 'AA NiMH', categoryId: ids.rechargeable, attributes: { voltage: 0, chemistry: 'lead' } } }));
      expect(fieldsOf(expectProblem(both, 400, 'validation')).sort()).toEqual(['attributes.chemistry', 'attributes.voltage']);

      const cell = await createItem({ name: 'AA NiMH cell', categoryId: ids.rechargeable, attributes: { voltage: 1.2, chemistry: 'nimh', capacityMah: 2000 } });
      expect(cell.category).toEqual({ id: ids.rechargeable, name: 'Rechargeable', path: 'Electrical / Batteries / Rechargeable' });
      expect(cell.attributes).toEqual({ voltage: 1.2, chemistry: 'nimh', capacityMah: 2000 });
      ids.cell = cell.id;

      // A schema added to an ancestor later applies to the next change.
      await call({ method: 'PATCH', url: `/api/core/categories/${ids.rechargeable}`, payload: { attributeSchema: { type: 'object', required: ['capacityMah'], properties: { capacityMah: { type: 'integer', minimum: 1 } } } } }, 200);
      const bad = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/items/${cell.id}`, payload: { attributes: { voltage: 1.2, chemistry: 'nimh', capacityMah: 0 } } }));
      expect(fieldsOf(expectProblem(bad, 400, 'validation'))).toEqual(['attributes.capacityMah']);
      // Moving an item into a category re-checks its existing attributes.
      const plain = await createItem({ name: 'Mystery cell', attributes: { voltage: 3.7 } });
      const move = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/items/${plain.id}`, payload: { categoryId: ids.batteries } }));
      expect(fieldsOf(expectProblem(move, 400, 'validation'))).toEqual(['attributes.chemistry']);
      const moved = await call({ method: 'PATCH', url: `/api/core/items/${plain.id}`, payload: { categoryId: ids.batteries, attributes: { voltage: 3.7, chemistry: 'li-ion' } } }, 200);
      expect(moved.category.path).toBe('Electrical / Batteries');
      // Leaving the category drops the constraint.
      expect((await call({ method: 'PATCH', url: `/api/core/items/${plain.id}`, payload: { categoryId: null, attributes: {} } }, 200)).attributes).toEqual({});
    });

    it('update bumps the version and writes one audit entry with before/after and the changed fields', async () => {
      const before = await call({ method: 'GET', url: `/api/core/items/${ids.drill}` }, 200);
      const res = await expectOneMutation(t, { entityType: 'core.item', action: 'updated', events: ['core.item.updated'] }, () =>
        t.request({ method: 'PATCH', url: `/api/core/items/${ids.drill}`, payload: { name: 'Cordless drill 18 V', kind: 'asset', version: before.version } }),
      );
      expect(res.statusCode, res.body).toBe(200);
      const after = res.json();
      expect(after).toMatchObject({ name: 'Cordless drill 18 V', kind: 'asset', version: before.version + 1 });
      expect(res.audit.before).toEqual(before);
      expect(res.audit.after).toEqual(after);
      expect(res.outbox[0].payload.changed.sort()).toEqual(['kind', 'name']);
      const [row] = await t.sql<{ updated_at: Date }>(`SELECT updated_at FROM core_item WHERE id = $1`, [ids.drill]);
      expect(row.updated_at.getTime()).toBe(new Date(res.audit.after.updatedAt).getTime());

      // Sending what is already there (names are trimmed) changes nothing: no version bump, no audit, no event.
      const same = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/items/${ids.drill}`, payload: { name: ' Cordless drill 18 V ', kind: 'asset', version: after.version } }));
      expect(same.statusCode, same.body).toBe(200);
      expect(same.json().version).toBe(after.version);
      // The old version is now stale.
      expectProblem(await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/items/${ids.drill}`, payload: { name: 'Older', version: before.version } })), 409, 'stale-version');
    });

    it('archive and unarchive: hidden from the default list, still readable, audited as such', async () => {
      const item = await createItem({ name: 'Obsolete gadget' });
      expect(names(await list('q=obsolete'))).toEqual(['Obsolete gadget']);
      const archived = await expectOneMutation(t, { entityType: 'core.item', action: 'archived', events: ['core.item.updated'] }, () =>
        t.request({ method: 'PATCH', url: `/api/core/items/${item.id}`, payload: { archived: true } }),
      );
      expect(archived.json().archived).toBe(true);
      expect(archived.outbox[0].payload).toMatchObject({ archived: true, changed: ['archived'] });
      expect(names(await list('q=obsolete'))).toEqual([]);
      expect(names(await list('q=obsolete&archived=true'))).toEqual(['Obsolete gadget']);
      expect((await call({ method: 'GET', url: `/api/core/items/${item.id}` }, 200)).archived).toBe(true);
      const back = await expectOneMutation(t, { entityType: 'core.item', action: 'unarchived', events: ['core.item.updated'] }, () =>
        t.request({ method: 'PATCH', url: `/api/core/items/${item.id}`, payload: { archived: false } }),
      );
      expect(back.json().archived).toBe(false);
      expect(names(await list('q=obsolete'))).toEqual(['Obsolete gadget']);
    });

    it('search by text matches name and description, case-insensitively, with LIKE characters taken literally', async () => {
      await createItem({ name: 'Hex key set', description: 'Metric, 100% chrome vanadium' });
      await createItem({ name: 'Hex nut M6' });
      await createItem({ name: 'Wing nut', description: 'For hexagonal... no, for wings' });
      expect(names(await list('q=HEX'))).toEqual(['Hex key set', 'Hex nut M6', 'Wing nut']);
      expect(names(await list('q=chrome'))).toEqual(['Hex key set']);
      expect(names(await list(`q=${encodeURIComponent('100%')}`))).toEqual(['Hex key set']);
      expect(names(await list(`q=${encodeURIComponent('%')}`))).toEqual(['Hex key set']);
      expect(names(await list(`q=${encodeURIComponent('_ut')}`))).toEqual([]);
    });

    it('search by any identifier value: exact, partial, and whatever its type', async () => {
      expect(names(await list('q=DRL-18V'))).toEqual(['Cordless drill 18 V']);
      expect(names(await list('q=drl-18'))).toEqual(['Cordless drill 18 V']);
      expect(names(await list('q=4006381333931'))).toEqual(['Cordless drill 18 V']);
      // An identifier attached later through /identifiers is found too.
      await call({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'serial', value: 'SN-0042-XYZ', targetType: 'core.item', targetId: ids.cell } }, 201);
      expect(names(await list('q=SN-0042-XYZ'))).toEqual(['AA NiMH cell']);
      expect(names(await list('q=0042'))).toEqual(['AA NiMH cell']);
    });

    it('paging reports the total of the whole match, whatever the page', async () => {
      for (let i = 1; i <= 7; i++) await createItem({ name: `Bolt M${i}`, kind: i % 2 ? 'consumable' : 'stock' });
      const p1 = await list('q=bolt&limit=3');
      const p2 = await list('q=bolt&limit=3&offset=3');
      const p3 = await list('q=bolt&limit=3&offset=6');
      const past = await list('q=bolt&limit=3&offset=30');
      expect([p1, p2, p3, past].map((p) => [p.total, p.data.length, p.limit, p.offset])).toEqual([
        [7, 3, 3, 0],
        [7, 3, 3, 3],
        [7, 1, 3, 6],
        [7, 0, 3, 30],
      ]);
      expect([...names(p1), ...names(p2), ...names(p3)]).toEqual(['Bolt M1', 'Bolt M2', 'Bolt M3', 'Bolt M4', 'Bolt M5', 'Bolt M6', 'Bolt M7']);
      const consumables = await list('q=bolt&kind=consumable');
      expect([consumables.total, names(consumables)]).toEqual([4, ['Bolt M1', 'Bolt M3', 'Bolt M5', 'Bolt M7']]);
      expect((await list('limit=1')).total).toBeGreaterThanOrEqual(13);
    });

    it('category filter includes the whole subtree', async () => {
      await createItem({ name: 'USB-C cable', categoryId: ids.cables, attributes: { voltage: 5 } });
      await createItem({ name: '9V battery', categoryId: ids.batteries, attributes: { voltage: 9, chemistry: 'alkaline' } });
      await createItem({ name: 'Office chair', categoryId: ids.furniture });
      expect(names(await list(`categoryId=${ids.electrical}`))).toEqual(['9V battery', 'AA NiMH cell', 'USB-C cable']);
      expect(names(await list(`categoryId=${ids.batteries}`))).toEqual(['9V battery', 'AA NiMH cell']);
      expect(names(await list(`categoryId=${ids.rechargeable}`))).toEqual(['AA NiMH cell']);
      expect(names(await list(`categoryId=${ids.furniture}`))).toEqual(['Office chair']);
      expect(await list(`categoryId=${ids.cables}&q=chair`)).toMatchObject({ total: 0, data: [] });
      // Move a category: its items follow it into the new subtree.
      await call({ method: 'PATCH', url: `/api/core/categories/${ids.cables}`, payload: { parentId: ids.furniture } }, 200);
      expect(names(await list(`categoryId=${ids.furniture}`))).toEqual(['Office chair', 'USB-C cable']);
      expect((await list('q=usb-c')).data[0].category.path).toBe('Furniture / Cables');
    });
  });
});
