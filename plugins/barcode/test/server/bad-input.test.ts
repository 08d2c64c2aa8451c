import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { expectNoChange, expectProblem, mountedRoutes, problemFields, requestFor, routeOf, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { BC, GTIN_MILK, NO_SUCH_ID, bootBarcode, item, otherDevice, printer, userWith } from './fixtures.js';

/**
 * Every route the barcode plugin mounts refuses bad input with problem+json, a stable `type`, the
 * offending fields named (validation problems), and no write of any kind (no row, no audit record,
 * no outbox event). A route mounted under /api/barcode without a case fails the suite.
 * GS1 data: GS1 General Specifications §3.2 (no AI starts with "04"), §7.9.1 (GTIN-13
 * 9501101530003 has check digit 3, so …0004 is wrong; see fixtures.ts).
 */

interface F {
  item: string;
  /** A printer without a default template (on a port nothing listens on: no case may reach it). */
  printer: string;
  disabledPrinter: string;
  scanner: string;
}
interface Case {
  name: string;
  req: (f: F) => InjectOptions;
  status: number;
  type: string;
  /** For `validation` problems: exactly these fields are named. */
  fields?: string[];
}

const V = 'validation';
const get = (url: string) => (): InjectOptions => ({ method: 'GET', url });
const body = (method: 'POST' | 'PUT', url: string, payload: (f: F) => unknown) => (f: F): InjectOptions => ({ method, url, payload: payload(f) as never });
const c = <T>(v: T) => () => v;
const template = { widthMm: 50, heightMm: 30, symbology: 'code128' };

const cases: Case[] = [
  { name: 'parse: no data', req: body('POST', `${BC}/gs1/parse`, c({})), status: 400, type: V, fields: ['data'] },
  { name: 'parse: data too long', req: body('POST', `${BC}/gs1/parse`, c({ data: '1'.repeat(4001) })), status: 400, type: V, fields: ['data'] },
  { name: 'parse: unknown field', req: body('POST', `${BC}/gs1/parse`, c({ data: '0412345', today: '2020-01-01' })), status: 400, type: V, fields: ['today'] },
  { name: 'parse: unknown AI', req: body('POST', `${BC}/gs1/parse`, c({ data: '0412345' })), status: 422, type: 'gs1-invalid' },
  // Behind the EAN-13 symbology identifier ]E0 the digits must be a GTIN (bare, they could be an element string).
  { name: 'parse: wrong check digit', req: body('POST', `${BC}/gs1/parse`, c({ data: ']E09501101530004' })), status: 422, type: 'gs1-invalid' },

  { name: 'scan: no data', req: body('POST', `${BC}/scan`, c({})), status: 400, type: V, fields: ['data'] },
  { name: 'scan: data not a string', req: body('POST', `${BC}/scan`, c({ data: 9501101530003 })), status: 400, type: V, fields: ['data'] },
  { name: 'scan: blank data', req: body('POST', `${BC}/scan`, c({ data: ' \t ' })), status: 400, type: V, fields: ['data'] },

  { name: 'symbols: nothing given', req: get(`${BC}/symbols`), status: 400, type: V, fields: ['type', 'data'] },
  { name: 'symbols: unknown type and format', req: get(`${BC}/symbols?type=aztec&data=x&format=gif`), status: 400, type: V, fields: ['type', 'format'] },
  { name: 'symbols: scale 0, unknown parameter', req: get(`${BC}/symbols?type=qr&data=x&scale=0&color=red`), status: 400, type: V, fields: ['scale', 'color'] },
  { name: 'symbols: EAN-13 check digit', req: get(`${BC}/symbols?type=ean13&data=9501101530004`), status: 422, type: 'gs1-invalid' },
  { name: 'symbols: GS1-128 of non-GS1 data', req: get(`${BC}/symbols?type=gs1-128&data=HELLO`), status: 422, type: 'gs1-invalid' },

  { name: 'labels: nothing given', req: body('POST', `${BC}/labels`, c({})), status: 400, type: V, fields: ['template', 'targets'] },
  {
    name: 'labels: bad template and format',
    req: body('POST', `${BC}/labels`, (f) => ({ template: { widthMm: 0, heightMm: 30, symbology: 'pdf417', columns: 0, fields: ['price'] }, targets: [{ type: 'item', id: f.item }], format: 'pdf' })),
    status: 400,
    type: V,
    fields: ['template.widthMm', 'template.symbology', 'template.columns', 'template.fields.0', 'format'],
  },
  { name: 'labels: no targets', req: body('POST', `${BC}/labels`, c({ template, targets: [] })), status: 400, type: V, fields: ['targets'] },
  { name: 'labels: bad target', req: body('POST', `${BC}/labels`, c({ template, targets: [{ type: 'pallet', id: 'x' }] })), status: 400, type: V, fields: ['targets.0.type', 'targets.0.id'] },
  { name: 'labels: unknown target', req: body('POST', `${BC}/labels`, c({ template, targets: [{ type: 'location', id: NO_SUCH_ID }] })), status: 422, type: 'barcode/unknown-target' },
  { name: 'labels: item without a GTIN in GS1-128', req: body('POST', `${BC}/labels`, (f) => ({ template: { ...template, symbology: 'gs1-128' }, targets: [{ type: 'item', id: f.item }] })), status: 422, type: 'barcode/no-code' },

  { name: 'print: nothing given', req: body('POST', `${BC}/labels/print`, c({})), status: 400, type: V, fields: ['printerId', 'targets'] },
  {
    name: 'print: printer id not a uuid, copies 0, unknown field',
    req: body('POST', `${BC}/labels/print`, (f) => ({ printerId: 'ZT-1', targets: [{ type: 'item', id: f.item }], copies: 0, format: 'zpl' })),
    status: 400,
    type: V,
    fields: ['printerId', 'copies', 'format'],
  },
  {
    name: 'print: too many copies, bad template, bad target',
    req: body('POST', `${BC}/labels/print`, (f) => ({ printerId: f.printer, template: { ...template, widthMm: 400 }, targets: [{ type: 'pallet', id: f.item }], copies: 1001 })),
    status: 400,
    type: V,
    fields: ['copies', 'template.widthMm', 'targets.0.type'],
  },
  { name: 'print: no template and the printer has none', req: body('POST', `${BC}/labels/print`, (f) => ({ printerId: f.printer, targets: [{ type: 'item', id: f.item }] })), status: 400, type: V, fields: ['template'] },
  { name: 'print: unknown printer', req: body('POST', `${BC}/labels/print`, (f) => ({ printerId: NO_SUCH_ID, template, targets: [{ type: 'item', id: f.item }] })), status: 422, type: 'barcode/unknown-printer' },
  { name: 'print: a scanner', req: body('POST', `${BC}/labels/print`, (f) => ({ printerId: f.scanner, template, targets: [{ type: 'item', id: f.item }] })), status: 422, type: 'barcode/not-a-printer' },
  { name: 'print: a disabled printer', req: body('POST', `${BC}/labels/print`, (f) => ({ printerId: f.disabledPrinter, template, targets: [{ type: 'item', id: f.item }] })), status: 422, type: 'barcode/printer-disabled' },
  { name: 'print: unknown target', req: body('POST', `${BC}/labels/print`, (f) => ({ printerId: f.printer, template, targets: [{ type: 'location', id: NO_SUCH_ID }] })), status: 422, type: 'barcode/unknown-target' },

  { name: 'printers: unknown parameter', req: get(`${BC}/printers?kind=printer`), status: 400, type: V, fields: ['kind'] },
  { name: 'printer status: id not a uuid', req: get(`${BC}/printers/ZT-1/status`), status: 400, type: V, fields: ['id'] },
  { name: 'printer status: unknown printer', req: get(`${BC}/printers/${NO_SUCH_ID}/status`), status: 404, type: 'not-found' },
  { name: 'printer status: a scanner', req: (f) => ({ method: 'GET', url: `${BC}/printers/${f.scanner}/status` }), status: 404, type: 'not-found' },
  { name: 'printer status: a disabled printer', req: (f) => ({ method: 'GET', url: `${BC}/printers/${f.disabledPrinter}/status` }), status: 422, type: 'barcode/printer-disabled' },
  { name: 'print jobs: bad filters and page', req: get(`${BC}/print-jobs?printerId=ZT-1&status=queued&limit=0&offset=-1`), status: 400, type: V, fields: ['printerId', 'status', 'limit', 'offset'] },

  { name: 'GET settings: unknown parameter', req: get(`${BC}/settings?prefix=1`), status: 400, type: V, fields: ['prefix'] },
  { name: 'PUT settings: empty', req: body('PUT', `${BC}/settings`, c({})), status: 400, type: V, fields: ['(root)'] },
  {
    name: 'PUT settings: bad values',
    req: body('PUT', `${BC}/settings`, c({ companyPrefix: '12345', ssccExtensionDigit: 10, nextSscc: -1, nextGiai: 1.5, colour: 'red' })),
    status: 400,
    type: V,
    fields: ['companyPrefix', 'ssccExtensionDigit', 'nextSscc', 'nextGiai', 'colour'],
  },

  { name: 'allocate: nothing given', req: body('POST', `${BC}/allocate`, c({})), status: 400, type: V, fields: ['key'] },
  { name: 'allocate: bad key and count', req: body('POST', `${BC}/allocate`, c({ key: 'gtin', count: 1001, extensionDigit: 12 })), status: 400, type: V, fields: ['key', 'count', 'extensionDigit'] },
  { name: 'allocate: count 0, asset type not digits', req: body('POST', `${BC}/allocate`, c({ key: 'grai', count: 0, assetType: 'A1' })), status: 400, type: V, fields: ['count', 'assetType'] },
  { name: 'allocate: GRAI without asset type', req: body('POST', `${BC}/allocate`, c({ key: 'grai' })), status: 400, type: V, fields: ['assetType'] },
  { name: 'allocate: no company prefix', req: body('POST', `${BC}/allocate`, c({ key: 'sscc', count: 5 })), status: 422, type: 'barcode/no-company-prefix' },
];

describe('bad input to every barcode route', () => {
  let t: TestPlatform;
  let routes: string[];
  let nobody: TestSession;
  const f = {} as F;

  beforeAll(async () => {
    t = await bootBarcode({ inventory: true, fixedAssets: true });
    routes = mountedRoutes(t, BC);
    f.item = await item(t, 'Only a SKU', { identifiers: [{ type: 'sku', value: `SKU-${GTIN_MILK}` }] });
    // Port 1 on the loopback: were a case to connect, it would fail loudly, not print.
    f.printer = await printer(t, 'ZT-BAD-INPUT', { host: '127.0.0.1', port: 1 });
    f.disabledPrinter = await printer(t, 'ZT-DISABLED', { host: '127.0.0.1', port: 1 }, { disabled: true });
    f.scanner = await otherDevice(t, 'SCN-BAD-INPUT');
    nobody = await userWith(t, 'nobody@example.test', ['core.items.read']);
  }, 120_000);
  afterAll(() => t?.close());

  it('covers every barcode route', () => {
    expect(routes.length).toBe(11);
    const covered = new Set(cases.map((k) => routeOf(routes, k.req(f))).filter(Boolean));
    expect(routes.filter((r) => !covered.has(r)), 'routes under /api/barcode without a bad-input case').toEqual([]);
    expect(cases.filter((k) => !routeOf(routes, k.req(f))).map((k) => k.name), 'cases for routes that are not mounted').toEqual([]);
  });

  it.for(cases)('$name → $status $type', async (k) => {
    const res = await expectNoChange(t, () => t.request(k.req(f)));
    const problem = expectProblem(res, k.status, k.type);
    if (k.fields) {
      expect(new Set(problemFields(problem)), JSON.stringify(problem.errors)).toEqual(new Set(k.fields));
      for (const e of problem.errors!) expect(e.message, JSON.stringify(e)).toEqual(expect.any(String));
    } else {
      expect(problem.detail).toEqual(expect.any(String));
    }
  });

  it('answers 401 to every route without credentials, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID)));
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('answers 403 naming a barcode permission to a user without one, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID, nobody.headers)));
      const problem = expectProblem(res, 403, 'forbidden');
      expect(Object.values(permissions) as string[], route).toContain(problem.permission);
    }
  });

  it('the settings and allocation need barcode.manage, printing needs barcode.print: barcode.read is not enough', async () => {
    const reader = await userWith(t, 'reader@example.test', [permissions.read]);
    for (const route of routes) {
      const res = await t.app.inject(requestFor(route, NO_SUCH_ID, reader.headers));
      const needs = /settings|allocate/.test(route) ? permissions.manage : /print/.test(route) ? permissions.print : null;
      if (needs) expect(expectProblem(res, 403, 'forbidden').permission, route).toBe(needs);
      else expect(res.statusCode, route).not.toBe(403);
    }
  });
});
