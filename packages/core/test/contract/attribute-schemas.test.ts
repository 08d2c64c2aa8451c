import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
});
afterAll(() => t?.close());

const post = (url: string, payload: object) => t.request({ method: 'POST', url, payload });
const patch = (url: string, payload: object) => t.request({ method: 'PATCH', url, payload });

test('a schema change that existing items would break is refused, naming the items; nothing changes', async () => {
  const laptops = (await post('/api/core/categories', { name: 'Laptops', attributeSchema: { type: 'object', properties: { ramGb: { type: 'integer' } } } })).json();
  const ok = (await post('/api/core/items', { name: 'Laptop A', categoryId: laptops.id, attributes: { ramGb: 16 } })).json();
  await post('/api/core/items', { name: 'Laptop B', categoryId: laptops.id, attributes: { ramGb: 32, cpu: 'x86' } });

  const stricter = { type: 'object', properties: { ramGb: { type: 'integer' }, cpu: { type: 'string' } }, required: ['cpu'] };
  const refused = await patch(`/api/core/categories/${laptops.id}`, { attributeSchema: stricter });
  expect(refused.statusCode).toBe(409);
  expect(refused.json()).toMatchObject({
    type: 'https://quartermaster.dev/problems/attributes-do-not-fit',
    count: 1,
    items: [{ id: ok.id, name: 'Laptop A', errors: [{ field: 'attributes.cpu', message: 'is required' }] }],
  });
  expect((await t.request({ method: 'GET', url: `/api/core/categories/${laptops.id}` })).json().attributeSchema).not.toHaveProperty('required');

  // Fix the item, then the same change goes through.
  expect((await patch(`/api/core/items/${ok.id}`, { attributes: { ramGb: 16, cpu: 'arm64' } })).statusCode).toBe(200);
  expect((await patch(`/api/core/categories/${laptops.id}`, { attributeSchema: stricter })).statusCode).toBe(200);
});

test('moving a category under a parent whose schema its items violate is refused', async () => {
  const powered = (await post('/api/core/categories', { name: 'Powered', attributeSchema: { type: 'object', required: ['voltage'] } })).json();
  const drills = (await post('/api/core/categories', { name: 'Drills' })).json();
  await post('/api/core/items', { name: 'Hand drill', categoryId: drills.id, attributes: {} });
  const res = await patch(`/api/core/categories/${drills.id}`, { parentId: powered.id });
  expect(res.statusCode).toBe(409);
  expect(res.json().items.map((i: { name: string }) => i.name)).toEqual(['Hand drill']);
  expect((await t.request({ method: 'GET', url: `/api/core/categories/${drills.id}` })).json().parentId).toBeNull();
});
