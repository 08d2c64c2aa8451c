/// <reference types="vite/client" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { MT, NO_SUCH_ID, bootMaintenance, userWith } from './fixtures.js';
import type { BadInputArea, BadInputCase } from './bad-input.types.js';

/**
 * Every route the maintenance plugin mounts refuses bad input with a problem+json answer, a
 * stable `type`, the offending field named (validation problems), and no write of any kind: no
 * row, no audit record, no outbox event. Each area of the API brings its cases in
 * `bad-input.<area>.cases.ts`; a route mounted under /api/maintenance without a case fails here.
 */

const areaModules = import.meta.glob<{ default: BadInputArea<any> }>('./bad-input.*.cases.ts', { eager: true });
const areas = Object.values(areaModules).map((m) => m.default);
const cases: Array<BadInputCase<any> & { area: string }> = areas.flatMap((a) => a.cases.map((k) => ({ ...k, area: a.area })));

/** "METHOD /path/:param" of every route mounted under /api/maintenance, from the generated OpenAPI document. */
function mountedRoutes(t: TestPlatform): string[] {
  const openapi = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const routes: string[] = [];
  for (const [path, ops] of Object.entries(openapi.paths)) {
    if (!path.startsWith(`${MT}/`)) continue;
    for (const method of Object.keys(ops)) if (method !== 'head') routes.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return routes.sort();
}

/** The mounted route a request lands on (a static segment wins over a parameter). */
function routeOf(routes: string[], opts: InjectOptions): string | undefined {
  const path = String(opts.url).split('?')[0];
  const matching = routes.filter((r) => {
    const [method, pattern] = r.split(' ');
    return method === opts.method && new RegExp(`^${pattern.replace(/:\w+/g, '[^/]+')}$`).test(path);
  });
  return matching.sort((x, y) => (x.match(/:/g)?.length ?? 0) - (y.match(/:/g)?.length ?? 0))[0];
}

/** Fill a route's parameters with an id that exists nowhere. */
const requestFor = (route: string, headers?: Record<string, string>): InjectOptions => {
  const [method, pattern] = route.split(' ');
  return { method: method as InjectOptions['method'], url: pattern.replace(/:\w+/g, NO_SUCH_ID), ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }), ...(headers ? { headers } : {}) };
};

describe('bad input to every maintenance route', () => {
  let t: TestPlatform;
  let routes: string[];
  let nobody: TestSession;
  const fixtures = new Map<string, unknown>();

  beforeAll(async () => {
    t = await bootMaintenance({ inventory: true });
    routes = mountedRoutes(t);
    for (const a of areas) fixtures.set(a.area, await a.setup(t));
    nobody = await userWith(t, 'nobody@example.test', ['core.items.read']);
  }, 180_000);

  afterAll(() => t?.close());

  it('covers every maintenance route', () => {
    expect(routes.length).toBeGreaterThan(0);
    const covered = new Set(cases.map((k) => routeOf(routes, k.req(fixtures.get(k.area)))).filter(Boolean));
    expect(routes.filter((r) => !covered.has(r)), 'routes under /api/maintenance without a bad-input case').toEqual([]);
    expect(cases.filter((k) => !routeOf(routes, k.req(fixtures.get(k.area)))).map((k) => k.name), 'cases for routes that are not mounted').toEqual([]);
  });

  it.for(cases)('$area: $name → $status $type', async (k) => {
    const opts = k.req(fixtures.get(k.area));
    const res = await expectNoChange(t, () => t.request(opts));
    const body = expectProblem(res, k.status, k.type);
    if (k.fields) {
      expect(new Set(problemFields(body)), JSON.stringify(body.errors)).toEqual(new Set(k.fields));
      for (const e of body.errors!) expect(e.message, JSON.stringify(e)).toEqual(expect.any(String));
    }
  });

  it('answers 401 to every route without credentials, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route)));
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('answers 403 naming a maintenance permission to a user without one, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, nobody.headers)));
      const body = expectProblem(res, 403, 'forbidden');
      expect(Object.values(permissions) as string[], route).toContain(body.permission);
    }
  });
});
