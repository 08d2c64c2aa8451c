/// <reference types="vite/client" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession, mountedRoutes, routeOf, requestFor } from '@quartermaster/testing';
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

describe('bad input to every maintenance route', () => {
  let t: TestPlatform;
  let routes: string[];
  let nobody: TestSession;
  const fixtures = new Map<string, unknown>();

  beforeAll(async () => {
    t = await bootMaintenance({ inventory: true });
    routes = mountedRoutes(t, MT);
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
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID)));
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('answers 403 naming a maintenance permission to a user without one, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID, nobody.headers)));
      const body = expectProblem(res, 403, 'forbidden');
      expect(Object.values(permissions) as string[], route).toContain(body.permission);
    }
  });
});
