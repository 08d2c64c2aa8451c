import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
});
afterAll(() => t?.close());

const PROBLEM = 'application/problem+json';

test('health checks the database and names the loaded plugins', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/health' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ status: 'ok', coreVersion: '0.1.0', plugins: ['core'] });
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
});

test('OpenAPI 3.1 describes every core route with its schemas and both ways to authenticate', async () => {
  const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  expect(spec.openapi).toBe('3.1.0');
  expect(spec.components.securitySchemes).toMatchObject({ session: { in: 'cookie', name: 'qm_session' }, apiToken: { scheme: 'bearer' } });
  for (const path of ['/api/core/items', '/api/core/items/{id}', '/api/core/locations/tree', '/api/core/identifiers/resolve', '/api/core/audit', '/api/core/api-tokens']) {
    expect(spec.paths).toHaveProperty([path]);
  }
  const create = spec.paths['/api/core/items'].post;
  expect(create.requestBody.content['application/json'].schema.required).toContain('name');
  expect(create.responses).toHaveProperty('201');
  expect(create.responses).toHaveProperty('400');
  expect(create.tags).toEqual(['core']);
});

test('the interactive API reference is served', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/html');
  expect(res.body).toContain('swagger');
});

test('unknown routes, malformed JSON and wrong media types are problems, not crashes', async () => {
  const missing = await t.request({ method: 'GET', url: '/api/nothing-here' });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['content-type']).toContain(PROBLEM);
  expect(missing.json()).toMatchObject({ type: 'https://quartermaster.dev/problems/route-not-found', status: 404 });

  const malformed = await t.request({ method: 'POST', url: '/api/core/items', payload: '{"name": ', headers: { 'content-type': 'application/json' } });
  expect(malformed.statusCode).toBe(400);
  expect(malformed.headers['content-type']).toContain(PROBLEM);
  expect(malformed.json().type).toBe('https://quartermaster.dev/problems/malformed-request');

  const media = await t.request({ method: 'POST', url: '/api/core/items', payload: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(media.statusCode).toBe(415);
  expect(media.json().type).toBe('https://quartermaster.dev/problems/unsupported-media-type');
  expect(await t.sql(`SELECT count(*)::int AS n FROM core_item`)).toEqual([{ n: 0 }]);
});

test('validation problems list every bad field at once, with where it was', async () => {
  const res = await t.request({ method: 'POST', url: '/api/core/items', payload: { name: '', kind: 'gizmo', colour: 'red' } });
  expect(res.statusCode).toBe(400);
  const body = res.json();
  expect(body.type).toBe('https://quartermaster.dev/problems/validation');
  expect(body.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ field: 'name', in: 'body' }),
      expect.objectContaining({ field: 'colour', message: 'is not a known field', in: 'body' }),
    ]),
  );
  expect(body.errors.some((e: { field: string }) => e.field === 'kind')).toBe(true);
});
