import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession, mountedRoutes, routeOf, requestFor } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { FA, NO_SUCH_ID, asset, bootFixedAssets, caller, category, custodyMatchesStatus, inDays, inMinutes, location, person, userWith } from './fixtures.js';

/**
 * Every route the fixed-assets plugin mounts refuses bad input with a problem+json answer, a
 * stable `type`, the offending field named (validation problems), and no write of any kind: no
 * row, no audit record, no history entry, no outbox event. A route mounted under /api/fixed-assets
 * without a case here fails the suite, so a new route brings its bad-input case with it.
 */

const V = 'validation';

interface Fixtures {
  site: string;
  archived: string;
  vehicles: string;
  emptyCategory: string;
  ana: string;
  bo: string;
  retiredPerson: string;
  item: string;
  inService: string;
  inServiceTag: string;
  ordered: string;
  out: string;
  outTag: string;
  bookedNow: string;
  retired: string;
  disposed: string;
  parent: string;
  component: string;
  van: string;
  kit: string;
  emptyKit: string;
  otherKit: string;
  reserved: string;
  cancelled: string;
  ended: string;
  document: string;
  /** In the financial (straight line) and tax (MACRS) books, nothing posted. */
  depreciating: string;
  /** An open verification campaign of `site` (its assets expected, none scanned), and a closed one. */
  campaign: string;
  closedCampaign: string;
}

interface Case {
  name: string;
  req: (f: Fixtures) => InjectOptions;
  status: number;
  type: string;
  /** For validation problems: exactly these fields are named (order and repeats ignored). */
  fields?: string[];
  /** Run only when this route is mounted (routes being added concurrently). */
  requires?: string;
}

const json = (method: 'POST' | 'PUT' | 'PATCH', url: (f: Fixtures) => string, payload: (f: Fixtures) => unknown) => (f: Fixtures): InjectOptions => ({ method, url: url(f), payload: payload(f) as never });
const post = (url: (f: Fixtures) => string, payload: (f: Fixtures) => unknown) => json('POST', url, payload);
const patch = (url: (f: Fixtures) => string, payload: (f: Fixtures) => unknown) => json('PATCH', url, payload);
const get = (url: (f: Fixtures) => string) => (f: Fixtures): InjectOptions => ({ method: 'GET', url: url(f) });
const del = (url: (f: Fixtures) => string) => (f: Fixtures): InjectOptions => ({ method: 'DELETE', url: url(f) });
const c = (s: string) => () => s;
const assets = (payload: (f: Fixtures) => Record<string, unknown>) => post(c(`${FA}/assets`), (f) => ({ name: 'Bad', ...payload(f) }));
const checkOut = (id: (f: Fixtures) => string, payload: (f: Fixtures) => Record<string, unknown>) => post((f) => `${FA}/assets/${id(f)}/check-out`, payload);
const bulkOut = (payload: (f: Fixtures) => Record<string, unknown>) => post(c(`${FA}/custody/check-out`), (f) => ({ to: 'person', personId: f.ana, ...payload(f) }));
const book = (payload: (f: Fixtures) => Record<string, unknown>) => post(c(`${FA}/bookings`), (f) => ({ assetIds: [f.inService], startsAt: inDays(30), endsAt: inDays(31), ...payload(f) }));
const settings = (payload: (f: Fixtures) => unknown) => json('PUT', (f) => `${FA}/categories/${f.emptyCategory}/settings`, payload);
const upload = (payload: (f: Fixtures) => Record<string, unknown>) =>
  post((f) => `${FA}/assets/${f.inService}/documents`, (f) => ({ name: 'photo.png', contentType: 'image/png', content: Buffer.from('png').toString('base64'), ...payload(f) }));

const cases: Case[] = [
  // ---- POST /assets
  { name: 'POST /assets: invalid JSON', req: () => ({ method: 'POST', url: `${FA}/assets`, payload: '{"name": ', headers: { 'content-type': 'application/json' } }), status: 400, type: 'malformed-request' },
  { name: 'POST /assets: name missing', req: post(c(`${FA}/assets`), () => ({ serialNumber: 'X' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /assets: blank name', req: assets(() => ({ name: '   ' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /assets: name too long', req: assets(() => ({ name: 'n'.repeat(301) })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /assets: unknown property', req: assets(() => ({ colour: 'red' })), status: 400, type: V, fields: ['colour'] },
  { name: 'POST /assets: registered as retired', req: assets(() => ({ status: 'retired' })), status: 400, type: V, fields: ['status'] },
  { name: 'POST /assets: cost not a decimal', req: assets(() => ({ acquisitionCost: 'cheap' })), status: 400, type: V, fields: ['acquisitionCost'] },
  { name: 'POST /assets: cost of the wrong type', req: assets(() => ({ acquisitionCost: true })), status: 400, type: V, fields: ['acquisitionCost'] },
  { name: 'POST /assets: negative cost', req: assets(() => ({ acquisitionCost: '-1' })), status: 400, type: V, fields: ['acquisitionCost'] },
  { name: 'POST /assets: cost with more decimals than the currency', req: assets(() => ({ acquisitionCost: '10.005' })), status: 400, type: V, fields: ['acquisitionCost'] },
  { name: 'POST /assets: absurd cost', req: assets(() => ({ acquisitionCost: '1e20' })), status: 400, type: V, fields: ['acquisitionCost'] },
  { name: 'POST /assets: currency in lower case', req: assets(() => ({ currency: 'eur' })), status: 400, type: V, fields: ['currency'] },
  { name: 'POST /assets: purchase date not a date', req: assets(() => ({ purchaseDate: '15/01/2025' })), status: 400, type: V, fields: ['purchaseDate'] },
  { name: 'POST /assets: purchase date in the future', req: assets(() => ({ purchaseDate: '2999-01-01' })), status: 400, type: V, fields: ['purchaseDate'] },
  { name: 'POST /assets: warranty ending before the purchase', req: assets(() => ({ purchaseDate: '2025-06-01', warrantyEnd: '2025-01-01' })), status: 400, type: V, fields: ['warrantyEnd'] },
  { name: 'POST /assets: condition unknown', req: assets(() => ({ condition: 'mint' })), status: 400, type: V, fields: ['condition'] },
  { name: 'POST /assets: malformed locationId', req: assets(() => ({ locationId: 'hq' })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /assets: unknown location, category and item at once', req: assets(() => ({ locationId: NO_SUCH_ID, categoryId: NO_SUCH_ID, itemId: NO_SUCH_ID })), status: 400, type: V, fields: ['locationId', 'categoryId', 'itemId'] },
  { name: 'POST /assets: archived location', req: assets((f) => ({ locationId: f.archived })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /assets: a user and a person as custodian', req: assets((f) => ({ custodianUserId: NO_SUCH_ID, custodianPersonId: f.ana })), status: 400, type: V, fields: ['custodianPersonId', 'custodianUserId'] },
  { name: 'POST /assets: unknown custodian user', req: assets(() => ({ custodianUserId: NO_SUCH_ID })), status: 400, type: V, fields: ['custodianUserId'] },
  { name: 'POST /assets: inactive custodian person', req: assets((f) => ({ custodianPersonId: f.retiredPerson })), status: 400, type: V, fields: ['custodianPersonId'] },
  { name: 'POST /assets: parent disposed of', req: assets((f) => ({ parentId: f.disposed })), status: 400, type: V, fields: ['parentId'] },
  { name: 'POST /assets: component somewhere else than its parent', req: assets((f) => ({ parentId: f.parent, locationId: f.archived })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /assets: tag with a tab', req: assets(() => ({ tag: 'A\tB' })), status: 400, type: V, fields: ['tag'] },
  { name: 'POST /assets: tag longer than a label', req: assets(() => ({ tag: 'T'.repeat(65) })), status: 400, type: V, fields: ['tag'] },
  { name: 'POST /assets: tag in use', req: assets((f) => ({ tag: f.inServiceTag })), status: 409, type: 'fixed-assets/tag-taken' },
  { name: 'POST /assets: custom field that does not fit', req: assets((f) => ({ categoryId: f.vehicles, customFields: { plate: 7 } })), status: 400, type: V, fields: ['customFields.plate'] },
  { name: 'POST /assets: required custom field missing', req: assets((f) => ({ categoryId: f.vehicles })), status: 400, type: V, fields: ['customFields.plate'] },
  { name: 'POST /assets: custom fields not an object', req: assets(() => ({ customFields: ['a'] })), status: 400, type: V, fields: ['customFields'] },
  // ---- GET /assets, /assets/:id, /assets/:id/history
  { name: 'GET /assets: unknown status', req: get(c(`${FA}/assets?status=lost`)), status: 400, type: V, fields: ['status.0'] },
  { name: 'GET /assets: malformed categoryId', req: get(c(`${FA}/assets?categoryId=laptops`)), status: 400, type: V, fields: ['categoryId'] },
  { name: 'GET /assets: overdue not a boolean', req: get(c(`${FA}/assets?overdue=perhaps`)), status: 400, type: V, fields: ['overdue'] },
  { name: 'GET /assets: limit above 500', req: get(c(`${FA}/assets?limit=501`)), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /assets: q too long', req: get(c(`${FA}/assets?q=${'x'.repeat(201)}`)), status: 400, type: V, fields: ['q'] },
  { name: 'GET /assets: unknown parameter', req: get(c(`${FA}/assets?sort=tag`)), status: 400, type: V, fields: ['sort'] },
  { name: 'GET /assets/:id malformed', req: get(c(`${FA}/assets/AST-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /assets/:id unknown', req: get(c(`${FA}/assets/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'GET /assets/:id/history unknown', req: get(c(`${FA}/assets/${NO_SUCH_ID}/history`)), status: 404, type: 'not-found' },
  { name: 'GET /assets/:id/history negative offset', req: get((f) => `${FA}/assets/${f.inService}/history?offset=-1`), status: 400, type: V, fields: ['offset'] },
  // ---- PATCH /assets/:id
  { name: 'PATCH /assets/:id: empty body', req: patch((f) => `${FA}/assets/${f.inService}`, () => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PATCH /assets/:id: status is not patched', req: patch((f) => `${FA}/assets/${f.inService}`, () => ({ status: 'retired' })), status: 400, type: V, fields: ['status'] },
  { name: 'PATCH /assets/:id: location is not patched', req: patch((f) => `${FA}/assets/${f.inService}`, (f) => ({ locationId: f.site })), status: 400, type: V, fields: ['locationId'] },
  { name: 'PATCH /assets/:id: blank name', req: patch((f) => `${FA}/assets/${f.inService}`, () => ({ name: ' ' })), status: 400, type: V, fields: ['name'] },
  { name: 'PATCH /assets/:id: version 0', req: patch((f) => `${FA}/assets/${f.inService}`, () => ({ notes: 'x', version: 0 })), status: 400, type: V, fields: ['version'] },
  { name: 'PATCH /assets/:id: stale version', req: patch((f) => `${FA}/assets/${f.inService}`, () => ({ notes: 'x', version: 99 })), status: 409, type: 'stale-version' },
  { name: 'PATCH /assets/:id: someone else\'s tag', req: patch((f) => `${FA}/assets/${f.inService}`, (f) => ({ tag: f.outTag })), status: 409, type: 'fixed-assets/tag-taken' },
  { name: 'PATCH /assets/:id: parent is its own component', req: patch((f) => `${FA}/assets/${f.parent}`, (f) => ({ parentId: f.component })), status: 409, type: 'fixed-assets/component-cycle' },
  { name: 'PATCH /assets/:id: disposed of', req: patch((f) => `${FA}/assets/${f.disposed}`, () => ({ notes: 'x' })), status: 409, type: 'fixed-assets/asset-disposed' },
  { name: 'PATCH /assets/:id malformed', req: patch(c(`${FA}/assets/1`), () => ({ notes: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /assets/:id unknown', req: patch(c(`${FA}/assets/${NO_SUCH_ID}`), () => ({ notes: 'x' })), status: 404, type: 'not-found' },
  // ---- Lifecycle
  { name: 'POST /assets/:id/transitions: to missing', req: post((f) => `${FA}/assets/${f.inService}/transitions`, () => ({})), status: 400, type: V, fields: ['to'] },
  { name: 'POST /assets/:id/transitions: unknown status', req: post((f) => `${FA}/assets/${f.inService}/transitions`, () => ({ to: 'broken' })), status: 400, type: V, fields: ['to'] },
  { name: 'POST /assets/:id/transitions: reason too long', req: post((f) => `${FA}/assets/${f.inService}/transitions`, () => ({ to: 'retired', reason: 'r'.repeat(1001) })), status: 400, type: V, fields: ['reason'] },
  { name: 'POST /assets/:id/transitions: ordered straight into service', req: post((f) => `${FA}/assets/${f.ordered}/transitions`, () => ({ to: 'in-service' })), status: 409, type: 'fixed-assets/illegal-transition' },
  { name: 'POST /assets/:id/transitions: already there', req: post((f) => `${FA}/assets/${f.retired}/transitions`, () => ({ to: 'retired' })), status: 409, type: 'fixed-assets/illegal-transition' },
  { name: 'POST /assets/:id/transitions: check-out through the generic route', req: post((f) => `${FA}/assets/${f.inService}/transitions`, () => ({ to: 'checked-out' })), status: 409, type: 'fixed-assets/transition-needs-action' },
  { name: 'POST /assets/:id/transitions: retiring a booked asset', req: post((f) => `${FA}/assets/${f.bookedNow}/transitions`, () => ({ to: 'retired' })), status: 409, type: 'fixed-assets/asset-booked' },
  { name: 'POST /assets/:id/transitions unknown', req: post(c(`${FA}/assets/${NO_SUCH_ID}/transitions`), () => ({ to: 'retired' })), status: 404, type: 'not-found' },
  { name: 'POST /assets/:id/dispose: kind missing', req: post((f) => `${FA}/assets/${f.retired}/dispose`, () => ({})), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /assets/:id/dispose: unknown kind', req: post((f) => `${FA}/assets/${f.retired}/dispose`, () => ({ kind: 'burnt' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /assets/:id/dispose: negative proceeds', req: post((f) => `${FA}/assets/${f.retired}/dispose`, () => ({ kind: 'sold', proceeds: -5 })), status: 400, type: V, fields: ['proceeds'] },
  { name: 'POST /assets/:id/dispose: disposal date in the future', req: post((f) => `${FA}/assets/${f.retired}/dispose`, () => ({ kind: 'sold', disposedOn: '2999-12-31' })), status: 400, type: V, fields: ['disposedOn'] },
  { name: 'POST /assets/:id/dispose: disposal date not a date', req: post((f) => `${FA}/assets/${f.retired}/dispose`, () => ({ kind: 'sold', disposedOn: 'today' })), status: 400, type: V, fields: ['disposedOn'] },
  { name: 'POST /assets/:id/dispose: selling an asset in service', req: post((f) => `${FA}/assets/${f.inService}/dispose`, () => ({ kind: 'sold' })), status: 409, type: 'fixed-assets/illegal-transition' },
  { name: 'POST /assets/:id/dispose: twice', req: post((f) => `${FA}/assets/${f.disposed}/dispose`, () => ({ kind: 'scrapped' })), status: 409, type: 'fixed-assets/illegal-transition' },
  { name: 'POST /assets/:id/dispose: with components attached', req: post((f) => `${FA}/assets/${f.van}/dispose`, () => ({ kind: 'stolen' })), status: 409, type: 'fixed-assets/has-components' },
  { name: 'POST /assets/:id/dispose unknown', req: post(c(`${FA}/assets/${NO_SUCH_ID}/dispose`), () => ({ kind: 'lost' })), status: 404, type: 'not-found' },
  { name: 'POST /assets/:id/move: location missing', req: post((f) => `${FA}/assets/${f.inService}/move`, () => ({})), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /assets/:id/move: archived location', req: post((f) => `${FA}/assets/${f.inService}/move`, (f) => ({ locationId: f.archived })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /assets/:id/move: unknown location', req: post((f) => `${FA}/assets/${f.inService}/move`, () => ({ locationId: NO_SUCH_ID })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /assets/:id/move: a component on its own', req: post((f) => `${FA}/assets/${f.component}/move`, (f) => ({ locationId: f.site })), status: 409, type: 'fixed-assets/component-moves-with-parent' },
  { name: 'POST /assets/:id/move: disposed of', req: post((f) => `${FA}/assets/${f.disposed}/move`, (f) => ({ locationId: f.site })), status: 409, type: 'fixed-assets/asset-disposed' },
  { name: 'POST /assets/:id/move unknown', req: post(c(`${FA}/assets/${NO_SUCH_ID}/move`), (f) => ({ locationId: f.site })), status: 404, type: 'not-found' },
  // ---- Custody
  { name: 'POST /assets/:id/check-out: to missing', req: checkOut((f) => f.inService, (f) => ({ personId: f.ana })), status: 400, type: V, fields: ['to'] },
  { name: 'POST /assets/:id/check-out: unknown kind of holder', req: checkOut((f) => f.inService, () => ({ to: 'team' })), status: 400, type: V, fields: ['to'] },
  { name: 'POST /assets/:id/check-out: person without personId', req: checkOut((f) => f.inService, () => ({ to: 'person' })), status: 400, type: V, fields: ['personId'] },
  { name: 'POST /assets/:id/check-out: project with a userId too', req: checkOut((f) => f.inService, () => ({ to: 'project', project: 'P', userId: NO_SUCH_ID })), status: 400, type: V, fields: ['userId'] },
  { name: 'POST /assets/:id/check-out: blank project', req: checkOut((f) => f.inService, () => ({ to: 'project', project: '  ' })), status: 400, type: V, fields: ['project'] },
  { name: 'POST /assets/:id/check-out: unknown person', req: checkOut((f) => f.inService, () => ({ to: 'person', personId: NO_SUCH_ID })), status: 400, type: V, fields: ['personId'] },
  { name: 'POST /assets/:id/check-out: inactive person', req: checkOut((f) => f.inService, (f) => ({ to: 'person', personId: f.retiredPerson })), status: 400, type: V, fields: ['personId'] },
  { name: 'POST /assets/:id/check-out: archived location', req: checkOut((f) => f.inService, (f) => ({ to: 'location', locationId: f.archived })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /assets/:id/check-out: unknown user', req: checkOut((f) => f.inService, () => ({ to: 'user', userId: NO_SUCH_ID })), status: 400, type: V, fields: ['userId'] },
  { name: 'POST /assets/:id/check-out: return in the past', req: checkOut((f) => f.inService, (f) => ({ to: 'person', personId: f.ana, expectedReturnAt: '2020-01-01T00:00:00Z' })), status: 400, type: V, fields: ['expectedReturnAt'] },
  { name: 'POST /assets/:id/check-out: return not a date-time', req: checkOut((f) => f.inService, (f) => ({ to: 'person', personId: f.ana, expectedReturnAt: 'Friday' })), status: 400, type: V, fields: ['expectedReturnAt'] },
  { name: 'POST /assets/:id/check-out: note too long', req: checkOut((f) => f.inService, (f) => ({ to: 'person', personId: f.ana, note: 'n'.repeat(2001) })), status: 400, type: V, fields: ['note'] },
  { name: 'POST /assets/:id/check-out: already out', req: checkOut((f) => f.out, (f) => ({ to: 'person', personId: f.bo })), status: 409, type: 'fixed-assets/already-checked-out' },
  { name: 'POST /assets/:id/check-out: not in service', req: checkOut((f) => f.ordered, (f) => ({ to: 'person', personId: f.bo })), status: 409, type: 'fixed-assets/illegal-transition' },
  { name: 'POST /assets/:id/check-out: booked by someone else now', req: checkOut((f) => f.bookedNow, (f) => ({ to: 'person', personId: f.ana })), status: 409, type: 'fixed-assets/asset-booked' },
  { name: 'POST /assets/:id/check-out unknown', req: checkOut(() => NO_SUCH_ID, (f) => ({ to: 'person', personId: f.ana })), status: 404, type: 'not-found' },
  { name: 'POST /assets/:id/check-in: not checked out', req: post((f) => `${FA}/assets/${f.inService}/check-in`, () => ({})), status: 409, type: 'fixed-assets/not-checked-out' },
  { name: 'POST /assets/:id/check-in: condition unknown', req: post((f) => `${FA}/assets/${f.out}/check-in`, () => ({ condition: 'wet' })), status: 400, type: V, fields: ['condition'] },
  { name: 'POST /assets/:id/check-in: unknown property', req: post((f) => `${FA}/assets/${f.out}/check-in`, () => ({ returnedBy: 'Ana' })), status: 400, type: V, fields: ['returnedBy'] },
  { name: 'POST /assets/:id/check-in unknown', req: post(c(`${FA}/assets/${NO_SUCH_ID}/check-in`), () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /custody/check-out: tags missing', req: bulkOut(() => ({})), status: 400, type: V, fields: ['tags'] },
  { name: 'POST /custody/check-out: no tags', req: bulkOut(() => ({ tags: [] })), status: 400, type: V, fields: ['tags'] },
  { name: 'POST /custody/check-out: more than 200 tags', req: bulkOut((f) => ({ tags: Array(201).fill(f.inServiceTag) })), status: 400, type: V, fields: ['tags'] },
  { name: 'POST /custody/check-out: an empty tag', req: bulkOut(() => ({ tags: [''] })), status: 400, type: V, fields: ['tags.0'] },
  { name: 'POST /custody/check-out: a blank tag', req: bulkOut(() => ({ tags: ['  '] })), status: 400, type: V, fields: ['tags.0'] },
  { name: 'POST /custody/check-out: unknown tags', req: bulkOut((f) => ({ tags: [f.inServiceTag, 'NOPE-1', 'NOPE-2'] })), status: 400, type: V, fields: ['tags.1', 'tags.2'] },
  { name: 'POST /custody/check-out: the same asset twice', req: bulkOut((f) => ({ tags: [f.inServiceTag, ` ${f.inServiceTag}`] })), status: 400, type: V, fields: ['tags.1'] },
  { name: 'POST /custody/check-out: holder missing', req: post(c(`${FA}/custody/check-out`), (f) => ({ tags: [f.inServiceTag], to: 'user' })), status: 400, type: V, fields: ['userId'] },
  { name: 'POST /custody/check-out: one asset already out', req: bulkOut((f) => ({ tags: [f.inServiceTag, f.outTag] })), status: 409, type: 'fixed-assets/bulk-refused' },
  { name: 'POST /custody/check-in: tags missing', req: post(c(`${FA}/custody/check-in`), () => ({})), status: 400, type: V, fields: ['tags'] },
  { name: 'POST /custody/check-in: unknown tag', req: post(c(`${FA}/custody/check-in`), () => ({ tags: ['NOPE-3'] })), status: 400, type: V, fields: ['tags.0'] },
  { name: 'POST /custody/check-in: one asset not out', req: post(c(`${FA}/custody/check-in`), (f) => ({ tags: [f.outTag, f.inServiceTag] })), status: 409, type: 'fixed-assets/bulk-refused' },
  { name: 'GET /custody: open not a boolean', req: get(c(`${FA}/custody?open=maybe`)), status: 400, type: V, fields: ['open'] },
  { name: 'GET /custody: malformed assetId', req: get(c(`${FA}/custody?assetId=AST-1`)), status: 400, type: V, fields: ['assetId'] },
  { name: 'GET /custody: unknown parameter', req: get(c(`${FA}/custody?late=true`)), status: 400, type: V, fields: ['late'] },
  { name: 'GET /assets/:id/custody malformed', req: get(c(`${FA}/assets/AST-1/custody`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /assets/:id/custody unknown', req: get(c(`${FA}/assets/${NO_SUCH_ID}/custody`)), status: 404, type: 'not-found' },
  { name: 'GET /custody/holders: unknown holder type', req: get(c(`${FA}/custody/holders?type=team`)), status: 400, type: V, fields: ['type'] },
  { name: 'GET /custody/holders: limit 0', req: get(c(`${FA}/custody/holders?limit=0`)), status: 400, type: V, fields: ['limit'] },
  // ---- Bookings
  { name: 'POST /bookings: window missing', req: post(c(`${FA}/bookings`), (f) => ({ assetIds: [f.inService] })), status: 400, type: V, fields: ['startsAt', 'endsAt'] },
  { name: 'POST /bookings: window not date-times', req: book(() => ({ startsAt: 'monday', endsAt: 'tuesday' })), status: 400, type: V, fields: ['startsAt', 'endsAt'] },
  { name: 'POST /bookings: ends before it starts', req: book(() => ({ startsAt: inDays(31), endsAt: inDays(30) })), status: 400, type: V, fields: ['endsAt'] },
  { name: 'POST /bookings: entirely in the past', req: book(() => ({ startsAt: inDays(-3), endsAt: inDays(-2) })), status: 400, type: V, fields: ['endsAt'] },
  { name: 'POST /bookings: longer than a year', req: book(() => ({ startsAt: inDays(1), endsAt: inDays(400) })), status: 400, type: V, fields: ['endsAt'] },
  { name: 'POST /bookings: neither assets nor kit', req: post(c(`${FA}/bookings`), () => ({ startsAt: inDays(30), endsAt: inDays(31) })), status: 400, type: V, fields: ['assetIds'] },
  { name: 'POST /bookings: assets and a kit', req: book((f) => ({ kitId: f.kit })), status: 400, type: V, fields: ['kitId'] },
  { name: 'POST /bookings: empty asset list', req: book(() => ({ assetIds: [] })), status: 400, type: V, fields: ['assetIds'] },
  { name: 'POST /bookings: malformed asset id', req: book(() => ({ assetIds: ['AST-1'] })), status: 400, type: V, fields: ['assetIds.0'] },
  { name: 'POST /bookings: unknown asset', req: book((f) => ({ assetIds: [f.inService, NO_SUCH_ID] })), status: 400, type: V, fields: ['assetIds.1'] },
  { name: 'POST /bookings: an asset twice', req: book((f) => ({ assetIds: [f.inService, f.inService] })), status: 400, type: V, fields: ['assetIds.1'] },
  { name: 'POST /bookings: unknown kit', req: book(() => ({ assetIds: undefined, kitId: NO_SUCH_ID })), status: 400, type: V, fields: ['kitId'] },
  { name: 'POST /bookings: empty kit', req: book((f) => ({ assetIds: undefined, kitId: f.emptyKit })), status: 400, type: V, fields: ['kitId'] },
  { name: 'POST /bookings: for a project without its name', req: book(() => ({ for: 'project' })), status: 400, type: V, fields: ['project'] },
  { name: 'POST /bookings: for a user, naming a person', req: book((f) => ({ for: 'user', personId: f.ana })), status: 400, type: V, fields: ['userId', 'personId'] },
  { name: 'POST /bookings: for a location', req: book((f) => ({ for: 'location', locationId: f.site })), status: 400, type: V, fields: ['for', 'locationId'] },
  { name: 'POST /bookings: overlapping another booking', req: book((f) => ({ assetIds: [f.bookedNow], startsAt: inMinutes(10), endsAt: inMinutes(20) })), status: 409, type: 'fixed-assets/booking-conflict' },
  { name: 'POST /bookings: a retired asset', req: book((f) => ({ assetIds: [f.retired] })), status: 409, type: 'fixed-assets/asset-not-bookable' },
  { name: 'POST /bookings: into someone else\'s check-out', req: book((f) => ({ assetIds: [f.out], startsAt: inMinutes(5), endsAt: inMinutes(15), for: 'person', personId: f.bo })), status: 409, type: 'fixed-assets/asset-checked-out' },
  { name: 'GET /bookings: unknown status', req: get(c(`${FA}/bookings?status=open`)), status: 400, type: V, fields: ['status.0'] },
  { name: 'GET /bookings: to before from', req: get(c(`${FA}/bookings?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`)), status: 400, type: V, fields: ['to'] },
  { name: 'GET /bookings: from not a date-time', req: get(c(`${FA}/bookings?from=monday`)), status: 400, type: V, fields: ['from'] },
  { name: 'GET /bookings/:id malformed', req: get(c(`${FA}/bookings/B-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /bookings/:id unknown', req: get(c(`${FA}/bookings/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'POST /bookings/:id/cancel: unknown property', req: post((f) => `${FA}/bookings/${f.reserved}/cancel`, () => ({ notify: true })), status: 400, type: V, fields: ['notify'] },
  { name: 'POST /bookings/:id/cancel: already cancelled', req: post((f) => `${FA}/bookings/${f.cancelled}/cancel`, () => ({})), status: 409, type: 'fixed-assets/booking-not-reserved' },
  { name: 'POST /bookings/:id/cancel unknown', req: post(c(`${FA}/bookings/${NO_SUCH_ID}/cancel`), () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /bookings/:id/check-out: ended', req: post((f) => `${FA}/bookings/${f.ended}/check-out`, () => ({})), status: 409, type: 'fixed-assets/booking-ended' },
  { name: 'POST /bookings/:id/check-out: cancelled', req: post((f) => `${FA}/bookings/${f.cancelled}/check-out`, () => ({})), status: 409, type: 'fixed-assets/booking-not-reserved' },
  { name: 'POST /bookings/:id/check-out: return in the past', req: post((f) => `${FA}/bookings/${f.reserved}/check-out`, () => ({ expectedReturnAt: '2020-01-01T00:00:00Z' })), status: 400, type: V, fields: ['expectedReturnAt'] },
  { name: 'POST /bookings/:id/check-out: condition unknown', req: post((f) => `${FA}/bookings/${f.reserved}/check-out`, () => ({ condition: 'shiny' })), status: 400, type: V, fields: ['condition'] },
  { name: 'POST /bookings/:id/check-out unknown', req: post(c(`${FA}/bookings/${NO_SUCH_ID}/check-out`), () => ({})), status: 404, type: 'not-found' },
  { name: 'GET /availability: window missing', req: get(c(`${FA}/availability`)), status: 400, type: V, fields: ['from', 'to'] },
  { name: 'GET /availability: to before from', req: get(c(`${FA}/availability?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`)), status: 400, type: V, fields: ['to'] },
  { name: 'GET /availability: window over a year', req: get(c(`${FA}/availability?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z`)), status: 400, type: V, fields: ['to'] },
  { name: 'GET /availability: malformed asset id', req: get(c(`${FA}/availability?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&assetId=AST-1`)), status: 400, type: V, fields: ['assetId.0'] },
  // ---- Kits
  { name: 'GET /kits: q too long', req: get(c(`${FA}/kits?q=${'k'.repeat(201)}`)), status: 400, type: V, fields: ['q'] },
  { name: 'POST /kits: name missing', req: post(c(`${FA}/kits`), () => ({})), status: 400, type: V, fields: ['name'] },
  { name: 'POST /kits: blank name', req: post(c(`${FA}/kits`), () => ({ name: '  ' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /kits: name taken', req: post(c(`${FA}/kits`), () => ({ name: 'interview KIT' })), status: 409, type: 'fixed-assets/kit-name-taken' },
  { name: 'POST /kits: unknown, disposed and repeated assets', req: post(c(`${FA}/kits`), (f) => ({ name: 'New kit', assetIds: [NO_SUCH_ID, f.disposed, f.inService, f.inService] })), status: 400, type: V, fields: ['assetIds.0', 'assetIds.1', 'assetIds.3'] },
  { name: 'GET /kits/:id malformed', req: get(c(`${FA}/kits/kit-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /kits/:id unknown', req: get(c(`${FA}/kits/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /kits/:id: empty body', req: patch((f) => `${FA}/kits/${f.kit}`, () => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PATCH /kits/:id: another kit\'s name', req: patch((f) => `${FA}/kits/${f.kit}`, () => ({ name: 'Spare kit' })), status: 409, type: 'fixed-assets/kit-name-taken' },
  { name: 'PATCH /kits/:id: stale version', req: patch((f) => `${FA}/kits/${f.kit}`, () => ({ description: 'x', version: 42 })), status: 409, type: 'stale-version' },
  { name: 'PATCH /kits/:id unknown', req: patch(c(`${FA}/kits/${NO_SUCH_ID}`), () => ({ description: 'x' })), status: 404, type: 'not-found' },
  // ---- Persons
  { name: 'GET /persons: active not a boolean', req: get(c(`${FA}/persons?active=perhaps`)), status: 400, type: V, fields: ['active'] },
  { name: 'POST /persons: name missing', req: post(c(`${FA}/persons`), () => ({ email: 'a@b.example' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /persons: blank name', req: post(c(`${FA}/persons`), () => ({ name: ' ' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /persons: e-mail not an e-mail', req: post(c(`${FA}/persons`), () => ({ name: 'X', email: 'nope' })), status: 400, type: V, fields: ['email'] },
  { name: 'POST /persons: employee number taken', req: post(c(`${FA}/persons`), () => ({ name: 'X', employeeNumber: 'E-1' })), status: 409, type: 'fixed-assets/employee-number-taken' },
  { name: 'GET /persons/:id malformed', req: get(c(`${FA}/persons/ana`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /persons/:id unknown', req: get(c(`${FA}/persons/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /persons/:id: empty body', req: patch((f) => `${FA}/persons/${f.bo}`, () => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PATCH /persons/:id: deactivating someone who holds assets', req: patch((f) => `${FA}/persons/${f.ana}`, () => ({ active: false })), status: 409, type: 'fixed-assets/person-holds-assets' },
  { name: 'PATCH /persons/:id: someone else\'s employee number', req: patch((f) => `${FA}/persons/${f.bo}`, () => ({ employeeNumber: 'E-1' })), status: 409, type: 'fixed-assets/employee-number-taken' },
  { name: 'PATCH /persons/:id unknown', req: patch(c(`${FA}/persons/${NO_SUCH_ID}`), () => ({ notes: 'x' })), status: 404, type: 'not-found' },
  // ---- Documents
  { name: 'POST /assets/:id/documents: content not base64', req: upload(() => ({ content: 'not base64!' })), status: 400, type: V, fields: ['content'] },
  { name: 'POST /assets/:id/documents: larger than allowed', req: upload(() => ({ content: Buffer.alloc(1_048_577).toString('base64') })), status: 400, type: V, fields: ['content'] },
  { name: 'POST /assets/:id/documents: content type not a media type', req: upload(() => ({ contentType: 'png' })), status: 400, type: V, fields: ['contentType'] },
  { name: 'POST /assets/:id/documents: unknown kind', req: upload(() => ({ kind: 'selfie' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /assets/:id/documents: blank name', req: upload(() => ({ name: '  ' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /assets/:id/documents unknown asset', req: post(c(`${FA}/assets/${NO_SUCH_ID}/documents`), () => ({ name: 'a.png', contentType: 'image/png', content: 'cG5n' })), status: 404, type: 'not-found' },
  { name: 'GET /assets/:id/documents unknown', req: get(c(`${FA}/assets/${NO_SUCH_ID}/documents`)), status: 404, type: 'not-found' },
  { name: 'GET /assets/:id/documents malformed', req: get(c(`${FA}/assets/x/documents`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /documents/:id/content unknown', req: get(c(`${FA}/documents/${NO_SUCH_ID}/content`)), status: 404, type: 'not-found' },
  { name: 'GET /documents/:id/content malformed', req: get(c(`${FA}/documents/doc.pdf/content`)), status: 400, type: V, fields: ['id'] },
  { name: 'DELETE /documents/:id unknown', req: del(c(`${FA}/documents/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'DELETE /documents/:id malformed', req: del(c(`${FA}/documents/doc`)), status: 400, type: V, fields: ['id'] },
  // ---- Category settings
  { name: 'GET /categories/:id/settings unknown', req: get(c(`${FA}/categories/${NO_SUCH_ID}/settings`)), status: 404, type: 'not-found' },
  { name: 'GET /categories/:id/settings malformed', req: get(c(`${FA}/categories/laptops/settings`)), status: 400, type: V, fields: ['id'] },
  { name: 'PUT /categories/:id/settings: empty body', req: settings(() => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PUT /categories/:id/settings: pattern without a counter', req: settings(() => ({ tagPattern: 'AST-{YYYY}' })), status: 400, type: V, fields: ['tagPattern'] },
  { name: 'PUT /categories/:id/settings: unknown placeholder', req: settings(() => ({ tagPattern: '{DEPT}-{###}' })), status: 400, type: V, fields: ['tagPattern'] },
  { name: 'PUT /categories/:id/settings: tag code in lower case', req: settings(() => ({ tagCode: 'lap' })), status: 400, type: V, fields: ['tagCode'] },
  { name: 'PUT /categories/:id/settings: a field defined twice', req: settings(() => ({ fields: [{ key: 'ram', label: 'RAM', type: 'integer' }, { key: 'ram', label: 'RAM 2', type: 'integer' }] })), status: 400, type: V, fields: ['fields.1.key'] },
  { name: 'PUT /categories/:id/settings: unknown field type', req: settings(() => ({ fields: [{ key: 'ram', label: 'RAM', type: 'bytes' }] })), status: 400, type: V, fields: ['fields.0.type'] },
  { name: 'PUT /categories/:id/settings: select without options', req: settings(() => ({ fields: [{ key: 'os', label: 'OS', type: 'select' }] })), status: 400, type: V, fields: ['fields.0.options'] },
  { name: 'PUT /categories/:id/settings: assets would not fit', req: json('PUT', (f) => `${FA}/categories/${f.vehicles}/settings`, () => ({ fields: [{ key: 'plate', label: 'Plate', type: 'integer', required: true }] })), status: 409, type: 'fixed-assets/custom-fields-do-not-fit' },
  { name: 'PUT /categories/:id/settings unknown', req: json('PUT', c(`${FA}/categories/${NO_SUCH_ID}/settings`), () => ({ tagCode: 'X' })), status: 404, type: 'not-found' },
  // Depreciation: preview, books, an asset's books and schedule, period runs, periods, journal.
  { name: 'POST /depreciation/preview: salvage above cost', req: post(c(`${FA}/depreciation/preview`), () => ({ method: 'straight-line', cost: 100, salvageValue: 200, usefulLifeYears: 5, placedInService: '2026-01-01' })), status: 422, type: 'fixed-assets/invalid-depreciation', fields: ['salvageValue'] },
  { name: 'POST /depreciation/preview: cost missing', req: post(c(`${FA}/depreciation/preview`), () => ({ method: 'straight-line', usefulLifeYears: 5 })), status: 400, type: V, fields: ['cost'] },
  { name: 'GET /books: unknown parameter', req: get(c(`${FA}/books?fiscal=1`)), status: 400, type: V, fields: ['fiscal'] },
  { name: 'PUT /books/:code: code with spaces', req: json('PUT', c(`${FA}/books/Tax%20Book`), () => ({ name: 'Tax' })), status: 400, type: V, fields: ['code'] },
  { name: 'PUT /books/:code: fiscal year starting on the 30th', req: json('PUT', c(`${FA}/books/ifrs`), () => ({ name: 'IFRS', fiscalYearStart: '04-30' })), status: 400, type: V, fields: ['fiscalYearStart'] },
  { name: 'GET /assets/:id/books: malformed id', req: get(c(`${FA}/assets/AST-1/books`)), status: 400, type: V, fields: ['id'] },
  { name: 'PUT /assets/:id/books/:book: salvage above the basis', req: json('PUT', (f) => `${FA}/assets/${f.inService}/books/financial`, () => ({ method: 'straight-line', costBasis: 100, salvageValue: 200, usefulLifeYears: 5, placedInService: '2026-01-01' })), status: 422, type: 'fixed-assets/invalid-depreciation', fields: ['salvageValue'] },
  { name: 'PUT /assets/:id/books/:book: unknown book', req: json('PUT', (f) => `${FA}/assets/${f.inService}/books/nope`, () => ({ method: 'straight-line', costBasis: 100, usefulLifeYears: 5, placedInService: '2026-01-01' })), status: 404, type: 'fixed-assets/book-not-found' },
  { name: 'GET /assets/:id/books/:book/schedule: asset not in the book', req: get((f) => `${FA}/assets/${f.inService}/books/tax/schedule`), status: 404, type: 'fixed-assets/not-in-book' },
  { name: 'POST /depreciation/runs/preview: not the end of a period', req: post(c(`${FA}/depreciation/runs/preview`), () => ({ book: 'financial', periodEnd: '2026-03-15' })), status: 400, type: V, fields: ['periodEnd'] },
  { name: 'POST /depreciation/runs: unknown book', req: post(c(`${FA}/depreciation/runs`), () => ({ book: 'nope', periodEnd: '2026-03-31' })), status: 404, type: 'fixed-assets/book-not-found' },
  { name: 'POST /depreciation/runs: period end not a date', req: post(c(`${FA}/depreciation/runs`), () => ({ book: 'financial', periodEnd: 'March' })), status: 400, type: V, fields: ['periodEnd'] },
  { name: 'GET /depreciation/runs: unknown parameter', req: get(c(`${FA}/depreciation/runs?state=running`)), status: 400, type: V, fields: ['state'] },
  { name: 'GET /depreciation/runs/:id: no such run', req: get(c(`${FA}/depreciation/runs/${NO_SUCH_ID}`)), status: 404, type: 'fixed-assets/run-not-found' },
  { name: 'POST /periods/close: period never posted', req: post(c(`${FA}/periods/close`), () => ({ book: 'financial', periodEnd: '2026-03-31' })), status: 409, type: 'fixed-assets/period-not-posted' },
  { name: 'GET /periods: malformed book code', req: get(c(`${FA}/periods?book=Tax%20Book`)), status: 400, type: V, fields: ['book'] },
  { name: 'GET /journal: from not a date', req: get(c(`${FA}/journal?from=yesterday`)), status: 400, type: V, fields: ['from'] },
  // ---- disposal & adjustments
  { name: 'POST /assets/:id/dispose: negative costs of disposal', req: post((f) => `${FA}/assets/${f.retired}/dispose`, () => ({ kind: 'scrapped', costsOfDisposal: '-10' })), status: 400, type: V, fields: ['costsOfDisposal'] },
  { name: 'POST /assets/:id/disposal-preview: kind missing', req: post((f) => `${FA}/assets/${f.retired}/disposal-preview`, () => ({})), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /assets/:id/disposal-preview: costs of disposal not a decimal', req: post((f) => `${FA}/assets/${f.retired}/disposal-preview`, () => ({ kind: 'sold', costsOfDisposal: 'a lot' })), status: 400, type: V, fields: ['costsOfDisposal'] },
  { name: 'POST /assets/:id/disposal-preview: more decimals than the currency', req: post((f) => `${FA}/assets/${f.retired}/disposal-preview`, () => ({ kind: 'sold', proceeds: '10.001' })), status: 400, type: V, fields: ['proceeds'] },
  { name: 'POST /assets/:id/disposal-preview: selling an asset in service', req: post((f) => `${FA}/assets/${f.inService}/disposal-preview`, () => ({ kind: 'sold' })), status: 409, type: 'fixed-assets/illegal-transition' },
  { name: 'POST /assets/:id/disposal-preview unknown', req: post(c(`${FA}/assets/${NO_SUCH_ID}/disposal-preview`), () => ({ kind: 'lost' })), status: 404, type: 'not-found' },
  { name: 'POST /assets/:id/books/:book/adjustments: kind missing', req: post((f) => `${FA}/assets/${f.depreciating}/books/financial/adjustments`, () => ({ effectiveOn: '2025-03-01' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /assets/:id/books/:book/adjustments: unknown kind', req: post((f) => `${FA}/assets/${f.depreciating}/books/financial/adjustments`, () => ({ kind: 'write-up', effectiveOn: '2025-03-01' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /assets/:id/books/:book/adjustments: not the first day of a period', req: post((f) => `${FA}/assets/${f.depreciating}/books/financial/adjustments`, () => ({ kind: 'impairment', effectiveOn: '2025-03-15', impairmentLoss: 100 })), status: 400, type: V, fields: ['effectiveOn'] },
  { name: 'POST /assets/:id/books/:book/adjustments: revaluation without a fair value', req: post((f) => `${FA}/assets/${f.depreciating}/books/financial/adjustments`, () => ({ kind: 'revaluation', effectiveOn: '2025-03-01' })), status: 400, type: V, fields: ['newCarryingAmount'] },
  { name: 'POST /assets/:id/books/:book/adjustments: negative impairment loss', req: post((f) => `${FA}/assets/${f.depreciating}/books/financial/adjustments`, () => ({ kind: 'impairment', effectiveOn: '2025-03-01', impairmentLoss: '-100' })), status: 400, type: V, fields: ['impairmentLoss'] },
  { name: 'POST /assets/:id/books/:book/adjustments: periods before it not posted', req: post((f) => `${FA}/assets/${f.depreciating}/books/financial/adjustments`, () => ({ kind: 'impairment', effectiveOn: '2025-03-01', impairmentLoss: 100 })), status: 409, type: 'fixed-assets/depreciation-not-posted' },
  { name: 'POST /assets/:id/books/:book/adjustments: MACRS tax basis', req: post((f) => `${FA}/assets/${f.depreciating}/books/tax/adjustments`, () => ({ kind: 'revaluation', effectiveOn: '2026-01-01', newCarryingAmount: 1 })), status: 409, type: 'fixed-assets/not-adjustable' },
  { name: 'POST /assets/:id/books/:book/adjustments: disposed of', req: post((f) => `${FA}/assets/${f.disposed}/books/financial/adjustments`, () => ({ kind: 'impairment', effectiveOn: '2025-03-01', impairmentLoss: 100 })), status: 409, type: 'fixed-assets/asset-disposed' },
  { name: 'POST /assets/:id/books/:book/adjustments: asset not in the book', req: post((f) => `${FA}/assets/${f.inService}/books/tax/adjustments`, () => ({ kind: 'impairment', effectiveOn: '2025-03-01', impairmentLoss: 100 })), status: 404, type: 'fixed-assets/not-in-book' },
  { name: 'POST /assets/:id/books/:book/adjustments: unknown book', req: post((f) => `${FA}/assets/${f.depreciating}/books/nope/adjustments`, () => ({ kind: 'impairment', effectiveOn: '2025-03-01', impairmentLoss: 100 })), status: 404, type: 'fixed-assets/book-not-found' },
  { name: 'POST /assets/:id/books/:book/adjustments unknown', req: post(c(`${FA}/assets/${NO_SUCH_ID}/books/financial/adjustments`), () => ({ kind: 'impairment', effectiveOn: '2025-03-01', impairmentLoss: 100 })), status: 404, type: 'not-found' },
  { name: 'GET /assets/:id/books/:book/adjustments: malformed id', req: get(c(`${FA}/assets/AST-1/books/financial/adjustments`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /assets/:id/books/:book/adjustments: asset not in the book', req: get((f) => `${FA}/assets/${f.inService}/books/tax/adjustments`), status: 404, type: 'fixed-assets/not-in-book' },
  { name: 'GET /assets/:id/books/:book/adjustments unknown', req: get(c(`${FA}/assets/${NO_SUCH_ID}/books/financial/adjustments`)), status: 404, type: 'not-found' },
  { name: 'GET /reports/disposals: from not a date', req: get(c(`${FA}/reports/disposals?from=yesterday`)), status: 400, type: V, fields: ['from'] },
  { name: 'GET /reports/disposals: to before from', req: get(c(`${FA}/reports/disposals?from=2026-02-01&to=2026-01-01`)), status: 400, type: V, fields: ['to'] },
  { name: 'GET /reports/disposals: unknown category', req: get(c(`${FA}/reports/disposals?categoryId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['categoryId'] },
  { name: 'GET /reports/disposals: format not offered', req: get(c(`${FA}/reports/disposals?format=xlsx`)), status: 400, type: V, fields: ['format'] },
  { name: 'GET /reports/disposals: unknown book', req: get(c(`${FA}/reports/disposals?book=nope`)), status: 404, type: 'fixed-assets/book-not-found' },
  // ---- received from stock (this platform has no inventory plugin)
  { name: 'POST /assets/from-stock: item missing', req: post(c(`${FA}/assets/from-stock`), (f) => ({ fromLocationId: f.site })), status: 400, type: V, fields: ['itemId'] },
  { name: 'POST /assets/from-stock: item not a uuid', req: post(c(`${FA}/assets/from-stock`), (f) => ({ itemId: 'laptop', fromLocationId: f.site })), status: 400, type: V, fields: ['itemId'] },
  { name: 'POST /assets/from-stock: unknown property', req: post(c(`${FA}/assets/from-stock`), (f) => ({ itemId: NO_SUCH_ID, fromLocationId: f.site, qty: 2 })), status: 400, type: V, fields: ['qty'] },
  { name: 'POST /assets/from-stock: inventory not enabled', req: post(c(`${FA}/assets/from-stock`), (f) => ({ itemId: NO_SUCH_ID, fromLocationId: f.site })), status: 409, type: 'fixed-assets/inventory-not-enabled' },

  // ---- reports & costs
  { name: 'GET /reports/net-book-value: asOf not a date', req: get(c(`${FA}/reports/net-book-value?asOf=2026-02-30`)), status: 400, type: V, fields: ['asOf'] },
  { name: 'GET /reports/net-book-value: unknown grouping', req: get(c(`${FA}/reports/net-book-value?groupBy=colour`)), status: 400, type: V, fields: ['groupBy'] },
  { name: 'GET /reports/net-book-value: unknown book', req: get(c(`${FA}/reports/net-book-value?book=nope`)), status: 404, type: 'fixed-assets/book-not-found' },
  { name: 'GET /reports/net-book-value: format not offered', req: get(c(`${FA}/reports/net-book-value?format=xlsx`)), status: 400, type: V, fields: ['format'] },
  { name: 'GET /reports/depreciation-forecast: no years', req: get(c(`${FA}/reports/depreciation-forecast?years=0`)), status: 400, type: V, fields: ['years'] },
  { name: 'GET /reports/depreciation-forecast: grouped by site', req: get(c(`${FA}/reports/depreciation-forecast?groupBy=site`)), status: 400, type: V, fields: ['groupBy'] },
  { name: 'GET /reports/depreciation-forecast: malformed category', req: get(c(`${FA}/reports/depreciation-forecast?categoryId=vehicles`)), status: 400, type: V, fields: ['categoryId'] },
  { name: 'GET /reports/depreciation-forecast: unknown location', req: get(c(`${FA}/reports/depreciation-forecast?locationId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'GET /reports/net-book-value: unknown category', req: get(c(`${FA}/reports/net-book-value?categoryId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['categoryId'] },
  { name: 'GET /reports/custody: asOf not an instant', req: get(c(`${FA}/reports/custody?asOf=yesterday`)), status: 400, type: V, fields: ['asOf'] },
  { name: 'GET /reports/custody: unknown holder type', req: get(c(`${FA}/reports/custody?type=robot`)), status: 400, type: V, fields: ['type'] },
  { name: 'GET /reports/utilization: window missing', req: get(c(`${FA}/reports/utilization`)), status: 400, type: V, fields: ['from', 'to'] },
  { name: 'GET /reports/utilization: to before from', req: get(c(`${FA}/reports/utilization?from=2026-01-10&to=2026-01-01`)), status: 400, type: V, fields: ['to'] },
  { name: 'GET /reports/total-cost-of-ownership: to before from', req: get(c(`${FA}/reports/total-cost-of-ownership?from=2026-03-01&to=2026-01-01`)), status: 400, type: V, fields: ['to'] },
  { name: 'GET /reports/total-cost-of-ownership: unknown parameter', req: get(c(`${FA}/reports/total-cost-of-ownership?kind=fuel`)), status: 400, type: V, fields: ['kind'] },
  { name: 'GET /reports/utilization: unknown category', req: get(c(`${FA}/reports/utilization?from=2026-01-01&to=2026-01-10&categoryId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['categoryId'] },
  { name: 'POST /assets/:id/costs: unknown kind and a negative amount', req: post((f) => `${FA}/assets/${f.inService}/costs`, () => ({ incurredOn: '2026-01-15', kind: 'bribe', amount: '-5' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /assets/:id/costs: negative amount', req: post((f) => `${FA}/assets/${f.inService}/costs`, () => ({ incurredOn: '2026-01-15', kind: 'fuel', amount: '-5' })), status: 400, type: V, fields: ['amount'] },
  { name: 'POST /assets/:id/costs: more decimals than the currency', req: post((f) => `${FA}/assets/${f.inService}/costs`, () => ({ incurredOn: '2026-01-15', kind: 'fuel', amount: '1.005' })), status: 400, type: V, fields: ['amount'] },
  { name: 'POST /assets/:id/costs: not the asset\'s currency', req: post((f) => `${FA}/assets/${f.inService}/costs`, () => ({ incurredOn: '2026-01-15', kind: 'fuel', amount: '5', currency: 'USD' })), status: 400, type: V, fields: ['currency'] },
  { name: 'POST /assets/:id/costs: date missing', req: post((f) => `${FA}/assets/${f.inService}/costs`, () => ({ kind: 'fuel', amount: '5' })), status: 400, type: V, fields: ['incurredOn'] },
  { name: 'POST /assets/:id/costs: unknown asset', req: post(c(`${FA}/assets/${NO_SUCH_ID}/costs`), () => ({ incurredOn: '2026-01-15', kind: 'fuel', amount: '5' })), status: 404, type: 'not-found' },
  { name: 'GET /assets/:id/costs: unknown asset', req: get(c(`${FA}/assets/${NO_SUCH_ID}/costs`)), status: 404, type: 'not-found' },
  { name: 'GET /assets/:id/costs: from not a date', req: get((f) => `${FA}/assets/${f.inService}/costs?from=soon`), status: 400, type: V, fields: ['from'] },
  // ---- verification campaigns
  { name: 'POST /campaigns: name missing', req: post(c(`${FA}/campaigns`), (f) => ({ locationId: f.site })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /campaigns: blank name', req: post(c(`${FA}/campaigns`), (f) => ({ name: '  ', locationId: f.site })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /campaigns: unknown location', req: post(c(`${FA}/campaigns`), () => ({ name: 'Audit', locationId: NO_SUCH_ID })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /campaigns: archived location', req: post(c(`${FA}/campaigns`), (f) => ({ name: 'Audit', locationId: f.archived })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /campaigns: unknown category, due date in the past', req: post(c(`${FA}/campaigns`), (f) => ({ name: 'Audit', locationId: f.site, categoryId: NO_SUCH_ID, dueDate: '2020-01-01' })), status: 400, type: V, fields: ['categoryId', 'dueDate'] },
  { name: 'POST /campaigns: unknown property', req: post(c(`${FA}/campaigns`), (f) => ({ name: 'Audit', locationId: f.site, colour: 'red' })), status: 400, type: V, fields: ['colour'] },
  { name: 'GET /campaigns: unknown status', req: get(c(`${FA}/campaigns?status=paused`)), status: 400, type: V, fields: ['status.0'] },
  { name: 'GET /campaigns: malformed location', req: get(c(`${FA}/campaigns?locationId=HQ`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'GET /campaigns/:id unknown', req: get(c(`${FA}/campaigns/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'GET /campaigns/:id malformed', req: get(c(`${FA}/campaigns/A-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /campaigns/:id: unknown line state', req: get((f) => `${FA}/campaigns/${f.campaign}?state=lost`), status: 400, type: V, fields: ['state.0'] },
  { name: 'POST /campaigns/:id/scans: no codes', req: post((f) => `${FA}/campaigns/${f.campaign}/scans`, () => ({ codes: [] })), status: 400, type: V, fields: ['codes'] },
  { name: 'POST /campaigns/:id/scans: a blank code', req: post((f) => `${FA}/campaigns/${f.campaign}/scans`, (f) => ({ codes: [f.inServiceTag, '   '] })), status: 400, type: V, fields: ['codes.1'] },
  { name: 'POST /campaigns/:id/scans: unknown source', req: post((f) => `${FA}/campaigns/${f.campaign}/scans`, (f) => ({ codes: [f.inServiceTag], source: 'nfc' })), status: 400, type: V, fields: ['source'] },
  { name: 'POST /campaigns/:id/scans: scanner outside the campaign', req: post((f) => `${FA}/campaigns/${f.campaign}/scans`, (f) => ({ codes: [f.inServiceTag], locationId: f.archived })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /campaigns/:id/scans: campaign closed', req: post((f) => `${FA}/campaigns/${f.closedCampaign}/scans`, (f) => ({ codes: [f.inServiceTag] })), status: 409, type: 'fixed-assets/campaign-closed' },
  { name: 'POST /campaigns/:id/scans unknown', req: post(c(`${FA}/campaigns/${NO_SUCH_ID}/scans`), (f) => ({ codes: [f.inServiceTag] })), status: 404, type: 'not-found' },
  { name: 'POST /campaigns/:id/reconcile: no actions', req: post((f) => `${FA}/campaigns/${f.campaign}/reconcile`, () => ({ actions: [] })), status: 400, type: V, fields: ['actions'] },
  { name: 'POST /campaigns/:id/reconcile: unknown action', req: post((f) => `${FA}/campaigns/${f.campaign}/reconcile`, (f) => ({ actions: [{ assetId: f.inService, action: 'shrug' }] })), status: 400, type: V, fields: ['actions.0.action'] },
  { name: 'POST /campaigns/:id/reconcile: asset not in the campaign', req: post((f) => `${FA}/campaigns/${f.campaign}/reconcile`, (f) => ({ actions: [{ assetId: f.disposed, action: 'ignore' }] })), status: 400, type: V, fields: ['actions.0.assetId'] },
  { name: 'POST /campaigns/:id/reconcile: moving an asset that was not scanned', req: post((f) => `${FA}/campaigns/${f.campaign}/reconcile`, (f) => ({ actions: [{ assetId: f.inService, action: 'move-here' }] })), status: 400, type: V, fields: ['actions.0.action'] },
  { name: 'POST /campaigns/:id/reconcile: campaign closed', req: post((f) => `${FA}/campaigns/${f.closedCampaign}/reconcile`, (f) => ({ actions: [{ assetId: f.inService, action: 'ignore' }] })), status: 409, type: 'fixed-assets/campaign-closed' },
  { name: 'POST /campaigns/:id/close: force without a reason', req: post((f) => `${FA}/campaigns/${f.campaign}/close`, () => ({ force: true })), status: 400, type: V, fields: ['reason'] },
  { name: 'POST /campaigns/:id/close: missing assets not reconciled', req: post((f) => `${FA}/campaigns/${f.campaign}/close`, () => ({})), status: 409, type: 'fixed-assets/campaign-unreconciled' },
  { name: 'POST /campaigns/:id/close: already closed', req: post((f) => `${FA}/campaigns/${f.closedCampaign}/close`, () => ({})), status: 409, type: 'fixed-assets/campaign-closed' },
  { name: 'POST /campaigns/:id/cancel: unknown property', req: post((f) => `${FA}/campaigns/${f.campaign}/cancel`, () => ({ why: 'x' })), status: 400, type: V, fields: ['why'] },
  { name: 'POST /campaigns/:id/cancel: already closed', req: post((f) => `${FA}/campaigns/${f.closedCampaign}/cancel`, () => ({})), status: 409, type: 'fixed-assets/campaign-closed' },
  { name: 'POST /campaigns/:id/cancel unknown', req: post(c(`${FA}/campaigns/${NO_SUCH_ID}/cancel`), () => ({})), status: 404, type: 'not-found' },
  // ---- import/export
  { name: 'POST /imports: csv missing', req: post(c(`${FA}/imports`), () => ({ dryRun: true })), status: 400, type: V, fields: ['csv'] },
  { name: 'POST /imports: unknown mode', req: post(c(`${FA}/imports`), () => ({ csv: 'name\nChair', mode: 'merge' })), status: 400, type: V, fields: ['mode'] },
  { name: 'POST /imports: separated by semicolons', req: post(c(`${FA}/imports`), () => ({ csv: 'name;tag\nChair;C-1' })), status: 422, type: 'fixed-assets/invalid-csv' },
  { name: 'POST /imports: unknown column', req: post(c(`${FA}/imports`), () => ({ csv: 'name,colour\nChair,red' })), status: 422, type: 'fixed-assets/invalid-csv' },
  { name: 'POST /imports: header only', req: post(c(`${FA}/imports`), () => ({ csv: 'name,tag\n' })), status: 422, type: 'fixed-assets/invalid-csv' },
  { name: 'GET /imports: unknown status', req: get(c(`${FA}/imports?status=stuck`)), status: 400, type: V, fields: ['status'] },
  { name: 'GET /imports/:id unknown', req: get(c(`${FA}/imports/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'GET /imports/:id malformed', req: get(c(`${FA}/imports/42`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /export/assets.csv: paging is not offered', req: get(c(`${FA}/export/assets.csv?limit=10`)), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /export/assets.csv: malformed category', req: get(c(`${FA}/export/assets.csv?categoryId=vehicles`)), status: 400, type: V, fields: ['categoryId'] },
];

const R = (method: string, path: string) => `${method} ${FA}${path}`;
/** The permission each route states. */
const ROUTE_PERMISSIONS: Record<string, string> = {
  [R('GET', '/assets')]: permissions.assetRead,
  [R('POST', '/assets')]: permissions.assetWrite,
  [R('GET', '/assets/:id')]: permissions.assetRead,
  [R('PATCH', '/assets/:id')]: permissions.assetWrite,
  [R('GET', '/assets/:id/history')]: permissions.assetRead,
  [R('POST', '/assets/:id/transitions')]: permissions.assetWrite,
  [R('POST', '/assets/:id/dispose')]: permissions.assetDispose,
  [R('POST', '/assets/:id/move')]: permissions.assetWrite,
  [R('POST', '/assets/:id/check-out')]: permissions.custodyWrite,
  [R('POST', '/assets/:id/check-in')]: permissions.custodyWrite,
  [R('GET', '/assets/:id/custody')]: permissions.assetRead,
  [R('POST', '/custody/check-out')]: permissions.custodyWrite,
  [R('POST', '/custody/check-in')]: permissions.custodyWrite,
  [R('GET', '/custody')]: permissions.assetRead,
  [R('GET', '/custody/holders')]: permissions.assetRead,
  [R('POST', '/bookings')]: permissions.bookingWrite,
  [R('GET', '/bookings')]: permissions.assetRead,
  [R('GET', '/bookings/:id')]: permissions.assetRead,
  [R('POST', '/bookings/:id/cancel')]: permissions.bookingWrite,
  [R('POST', '/bookings/:id/check-out')]: permissions.custodyWrite,
  [R('GET', '/availability')]: permissions.assetRead,
  [R('GET', '/kits')]: permissions.assetRead,
  [R('POST', '/kits')]: permissions.assetWrite,
  [R('GET', '/kits/:id')]: permissions.assetRead,
  [R('PATCH', '/kits/:id')]: permissions.assetWrite,
  [R('GET', '/persons')]: permissions.assetRead,
  [R('POST', '/persons')]: permissions.custodyWrite,
  [R('GET', '/persons/:id')]: permissions.assetRead,
  [R('PATCH', '/persons/:id')]: permissions.custodyWrite,
  [R('POST', '/assets/:id/documents')]: permissions.assetWrite,
  [R('GET', '/assets/:id/documents')]: permissions.assetRead,
  [R('GET', '/documents/:id/content')]: permissions.assetRead,
  [R('DELETE', '/documents/:id')]: permissions.assetWrite,
  [R('GET', '/categories/:id/settings')]: permissions.assetRead,
  [R('PUT', '/categories/:id/settings')]: permissions.settingsWrite,
  [R('POST', '/assets/:id/disposal-preview')]: permissions.assetDispose,
  [R('POST', '/assets/:id/books/:book/adjustments')]: permissions.depreciationRun,
  [R('GET', '/assets/:id/books/:book/adjustments')]: permissions.depreciationRead,
  [R('GET', '/reports/disposals')]: permissions.depreciationRead,
  [R('GET', '/reports/net-book-value')]: permissions.depreciationRead,
  [R('GET', '/reports/depreciation-forecast')]: permissions.depreciationRead,
  [R('GET', '/reports/custody')]: permissions.assetRead,
  [R('GET', '/reports/utilization')]: permissions.assetRead,
  [R('GET', '/reports/total-cost-of-ownership')]: permissions.assetRead,
  [R('POST', '/assets/:id/costs')]: permissions.assetWrite,
  [R('GET', '/assets/:id/costs')]: permissions.assetRead,
  [R('POST', '/campaigns')]: permissions.auditRun,
  [R('GET', '/campaigns')]: permissions.assetRead,
  [R('GET', '/campaigns/:id')]: permissions.assetRead,
  [R('POST', '/campaigns/:id/scans')]: permissions.auditRun,
  [R('POST', '/campaigns/:id/reconcile')]: permissions.auditRun,
  [R('POST', '/campaigns/:id/close')]: permissions.auditRun,
  [R('POST', '/campaigns/:id/cancel')]: permissions.auditRun,
  [R('POST', '/imports')]: permissions.assetWrite,
  [R('GET', '/imports')]: permissions.assetRead,
  [R('GET', '/imports/:id')]: permissions.assetRead,
  [R('GET', '/export/assets.csv')]: permissions.assetRead,
};

describe('bad input to every fixed-assets route', () => {
  let t: TestPlatform;
  let routes: string[];
  let nobody: TestSession;
  let reader: TestSession;
  const f = {} as Fixtures;

  beforeAll(async () => {
    t = await bootFixedAssets();
    const call = caller(t);
    routes = mountedRoutes(t, FA);

    f.site = await location(t, 'HQ');
    f.archived = await location(t, 'Old depot');
    await call({ method: 'PATCH', url: `/api/core/locations/${f.archived}`, payload: { archived: true } }, 200);
    f.vehicles = await category(t, 'Vehicles');
    f.emptyCategory = await category(t, 'Empty');
    await call({ method: 'PUT', url: `${FA}/categories/${f.vehicles}/settings`, payload: { fields: [{ key: 'plate', label: 'Licence plate', type: 'text', required: true }] } }, 200);
    f.ana = await person(t, 'Ana', { employeeNumber: 'E-1' });
    f.bo = await person(t, 'Bo');
    f.retiredPerson = await person(t, 'Gone');
    await call({ method: 'PATCH', url: `${FA}/persons/${f.retiredPerson}`, payload: { active: false } }, 200);

    const inService = await asset(t, { name: 'Laptop', locationId: f.site, purchaseDate: '2025-01-01' });
    f.inService = inService.id;
    f.inServiceTag = inService.tag;
    f.ordered = (await asset(t, { name: 'On order', status: 'ordered' })).id;
    const out = await asset(t, { name: 'Out with Ana' });
    f.out = out.id;
    f.outTag = out.tag;
    await call({ method: 'POST', url: `${FA}/assets/${f.out}/check-out`, payload: { to: 'person', personId: f.ana, expectedReturnAt: inDays(1) } }, 201);
    f.retired = (await asset(t, { name: 'Retired' })).id;
    await call({ method: 'POST', url: `${FA}/assets/${f.retired}/transitions`, payload: { to: 'retired' } }, 200);
    f.disposed = (await asset(t, { name: 'Disposed' })).id;
    await call({ method: 'POST', url: `${FA}/assets/${f.disposed}/dispose`, payload: { kind: 'lost' } }, 200);
    f.parent = (await asset(t, { name: 'Press', locationId: f.site })).id;
    f.component = (await asset(t, { name: 'Die', parentId: f.parent })).id;
    f.van = (await asset(t, { name: 'Van', categoryId: f.vehicles, customFields: { plate: 'VZ-318-K' } })).id;
    await asset(t, { name: 'Tail lift', parentId: f.van });
    await asset(t, { name: 'Truck', categoryId: f.vehicles, customFields: { plate: 'BX-12-ZZ' } });

    f.bookedNow = (await asset(t, { name: 'Booked now' })).id;
    await call({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [f.bookedNow], startsAt: inMinutes(-5), endsAt: inDays(1), for: 'person', personId: f.bo } }, 201);
    f.kit = (await call({ method: 'POST', url: `${FA}/kits`, payload: { name: 'Interview kit', assetIds: [f.inService] } }, 201)).id;
    f.otherKit = (await call({ method: 'POST', url: `${FA}/kits`, payload: { name: 'Spare kit' } }, 201)).id;
    f.emptyKit = f.otherKit;
    f.reserved = (await call({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [f.inService], startsAt: inDays(5), endsAt: inDays(6), for: 'person', personId: f.bo } }, 201)).id;
    f.cancelled = (await call({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [f.inService], startsAt: inDays(7), endsAt: inDays(8) } }, 201)).id;
    await call({ method: 'POST', url: `${FA}/bookings/${f.cancelled}/cancel`, payload: {} }, 200);
    f.ended = (await call({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [f.inService], startsAt: inDays(9), endsAt: inDays(10) } }, 201)).id;
    // A booking whose window is over (bookings cannot be made in the past, so it is moved there).
    await t.sql(`UPDATE fixed_assets_booking SET period = tstzrange(now() - interval '3 days', now() - interval '2 days') WHERE id = $1`, [f.ended]);
    await t.sql(`UPDATE fixed_assets_booking_asset SET period = tstzrange(now() - interval '3 days', now() - interval '2 days') WHERE booking_id = $1`, [f.ended]);
    f.document = (await call({ method: 'POST', url: `${FA}/assets/${f.inService}/documents`, payload: { name: 'a.png', contentType: 'image/png', content: 'cG5n' } }, 201)).id;

    f.depreciating = (await asset(t, { name: 'Depreciating', acquisitionCost: '12000' })).id;
    await call({ method: 'PUT', url: `${FA}/assets/${f.depreciating}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: 5, placedInService: '2025-01-01' } }, 200);
    await call({ method: 'PUT', url: `${FA}/assets/${f.depreciating}/books/tax`, payload: { method: 'macrs', recoveryPeriodYears: 5, placedInService: '2025-01-01' } }, 200);

    f.campaign = (await call({ method: 'POST', url: `${FA}/campaigns`, payload: { name: 'HQ audit', locationId: f.site } }, 201)).id;
    const auditRoom = await location(t, 'Audit room');
    f.closedCampaign = (await call({ method: 'POST', url: `${FA}/campaigns`, payload: { name: 'Done', locationId: auditRoom } }, 201)).id;
    await call({ method: 'POST', url: `${FA}/campaigns/${f.closedCampaign}/close`, payload: {} }, 200);

    // Reads that sweep overdue custody write nothing while the cases run; signing in writes audit rows.
    await call({ method: 'GET', url: `${FA}/custody` }, 200);
    nobody = await userWith(t, 'nobody@example.test', ['core.items.read']);
    reader = await userWith(t, 'reader@example.test', [permissions.assetRead]);
  });

  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  it('covers every fixed-assets route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(35);
    const covered = new Set(cases.map((k) => routeOf(routes, k.req(f))).filter(Boolean));
    const missing = routes.filter((r) => !covered.has(r));
    expect(missing, 'routes under /api/fixed-assets without a bad-input case').toEqual([]);
    const lost = cases.filter((k) => !k.requires && !routeOf(routes, k.req(f))).map((k) => k.name);
    expect(lost).toEqual([]);
  });

  it.for(cases)('$name → $status $type', async (k, { skip }) => {
    if (k.requires && !routes.includes(k.requires)) skip(`${k.requires} is not mounted yet`);
    const opts = k.req(f);
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

  it('answers 403 naming the permission each route states, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID, nobody.headers)));
      const body = expectProblem(res, 403, 'forbidden');
      if (ROUTE_PERMISSIONS[route]) expect(body.permission, route).toBe(ROUTE_PERMISSIONS[route]);
      else expect(Object.values(permissions) as string[], route).toContain(body.permission);
    }
  });

  it('lets a reader read everything and change nothing', async () => {
    for (const route of routes) {
      const needed = ROUTE_PERMISSIONS[route];
      if (!needed || needed === permissions.assetRead) continue;
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID, reader.headers)));
      expect(expectProblem(res, 403, 'forbidden').permission, route).toBe(needed);
    }
    const list = await t.app.inject({ method: 'GET', url: `${FA}/assets`, headers: reader.headers });
    expect(list.statusCode, list.body).toBe(200);
    // A valid check-out, not just an empty body, is refused too.
    const res = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: `${FA}/assets/${f.inService}/check-out`, headers: reader.headers, payload: { to: 'person', personId: f.bo } }));
    expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.custodyWrite);
  });
});
