import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, routeOf, TEST_ADMIN, type TestPlatform } from '@quartermaster/testing';
import { NO_SUCH_ID, expectNoChange, expectProblem, fieldsOf, userWith } from './helpers.js';

/**
 * Every core route refuses bad input with a problem+json answer, a stable type, the offending
 * field named, and no write of any kind (rows, audit, outbox, events).
 */

interface Fixtures {
  adminId: string;
  adminRoleId: string;
  clerkId: string;
  clerkRoleId: string;
  rootCategoryId: string;
  leafCategoryId: string;
  otherCategoryId: string;
  itemId: string;
  itemVersion: number;
  leafItemId: string;
  siteId: string;
  aisleId: string;
  binId: string;
  otherBinId: string;
  archivedSiteId: string;
  sku: string;
  identifierId: string;
  tokenId: string;
  deviceId: string;
  webhookId: string;
  webhookVersion: number;
  /** A delivery still pending (not dead, so not replayable). */
  deliveryId: string;
}

interface Case {
  name: string;
  /** Sent without credentials when true (public routes). */
  anonymous?: boolean;
  req: (f: Fixtures) => InjectOptions;
  status: number;
  type: string;
  /** For validation problems: exactly these fields are named (order and repeats ignored). */
  fields?: string[];
}

const post = (url: string, payload: (f: Fixtures) => unknown) => (f: Fixtures): InjectOptions => ({ method: 'POST', url, payload: payload(f) as never });
const patch = (url: (f: Fixtures) => string, payload: (f: Fixtures) => unknown) => (f: Fixtures): InjectOptions => ({ method: 'PATCH', url: url(f), payload: payload(f) as never });
const get = (url: (f: Fixtures) => string) => (f: Fixtures): InjectOptions => ({ method: 'GET', url: url(f) });
const del = (url: (f: Fixtures) => string) => (f: Fixtures): InjectOptions => ({ method: 'DELETE', url: url(f) });
const rawJson = (method: 'POST' | 'PATCH', url: (f: Fixtures) => string, body: string, contentType = 'application/json') => (f: Fixtures): InjectOptions => ({
  method,
  url: url(f),
  payload: body,
  headers: { 'content-type': contentType },
});
const c = (s: string) => () => s;

const V = 'validation';

const cases: Case[] = [
  // ---- Items
  { name: 'POST /items: name missing', req: post('/api/core/items', () => ({})), status: 400, type: V, fields: ['name'] },
  { name: 'POST /items: name of the wrong type', req: post('/api/core/items', () => ({ name: { en: 'x' } })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /items: blank name', req: post('/api/core/items', () => ({ name: '   ' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /items: empty name', req: post('/api/core/items', () => ({ name: '' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /items: name too long', req: post('/api/core/items', () => ({ name: 'x'.repeat(301) })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /items: unknown field', req: post('/api/core/items', () => ({ name: 'Widget', colour: 'red' })), status: 400, type: V, fields: ['colour'] },
  { name: 'POST /items: invalid kind', req: post('/api/core/items', () => ({ name: 'Widget', kind: 'gizmo' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /items: invalid trackingMode', req: post('/api/core/items', () => ({ name: 'Widget', trackingMode: 'batch' })), status: 400, type: V, fields: ['trackingMode'] },
  { name: 'POST /items: attributes not an object', req: post('/api/core/items', () => ({ name: 'Widget', attributes: 'red' })), status: 400, type: V, fields: ['attributes'] },
  { name: 'POST /items: malformed categoryId', req: post('/api/core/items', () => ({ name: 'Widget', categoryId: 'cat-1' })), status: 400, type: V, fields: ['categoryId'] },
  { name: 'POST /items: nonexistent category', req: post('/api/core/items', () => ({ name: 'Widget', categoryId: NO_SUCH_ID })), status: 400, type: V, fields: ['categoryId'] },
  {
    name: 'POST /items: attributes violate the category schema',
    req: post('/api/core/items', (f) => ({ name: 'Cell', categoryId: f.leafCategoryId, attributes: { voltage: 'high', chemistry: 'nimh' } })),
    status: 400,
    type: V,
    fields: ['attributes.voltage'],
  },
  {
    name: "POST /items: attributes miss what the category's ancestor requires",
    req: post('/api/core/items', (f) => ({ name: 'Cell', categoryId: f.leafCategoryId, attributes: { chemistry: 'nimh' } })),
    status: 400,
    type: V,
    fields: ['attributes.voltage'],
  },
  {
    name: 'POST /items: attributes violate the leaf schema',
    req: post('/api/core/items', (f) => ({ name: 'Cell', categoryId: f.leafCategoryId, attributes: { voltage: 1.2, chemistry: 'lead' } })),
    status: 400,
    type: V,
    fields: ['attributes.chemistry'],
  },
  {
    name: 'POST /items: identifier already used',
    req: post('/api/core/items', (f) => ({ name: 'Copy', identifiers: [{ type: 'sku', value: f.sku }] })),
    status: 409,
    type: 'identifier-taken',
  },
  {
    name: 'POST /items: identifier listed twice',
    req: post('/api/core/items', () => ({ name: 'Twice', identifiers: [{ type: 'sku', value: 'TW-1' }, { type: 'sku', value: ' TW-1 ' }] })),
    status: 400,
    type: V,
    fields: ['identifiers.1.value'],
  },
  {
    name: 'POST /items: invalid identifier type',
    req: post('/api/core/items', () => ({ name: 'Odd', identifiers: [{ type: 'isbn', value: '123' }] })),
    status: 400,
    type: V,
    fields: ['identifiers.0.type'],
  },
  {
    name: 'POST /items: blank identifier value',
    req: post('/api/core/items', () => ({ name: 'Blank', identifiers: [{ type: 'sku', value: '   ' }] })),
    status: 400,
    type: V,
    fields: ['identifiers.0.value'],
  },
  {
    name: 'POST /items: GTIN that is not a GTIN',
    req: post('/api/core/items', () => ({ name: 'Bad GTIN', identifiers: [{ type: 'gtin', value: 'ABC-123' }] })),
    status: 400,
    type: V,
    fields: ['identifiers.0.value'],
  },
  { name: 'POST /items: invalid JSON', req: rawJson('POST', c('/api/core/items'), '{"name": "Widget",'), status: 400, type: 'malformed-request' },
  { name: 'POST /items: plain text body', req: rawJson('POST', c('/api/core/items'), 'name=Widget', 'text/plain'), status: 400, type: V, fields: ['(root)'] },
  { name: 'POST /items: XML body', req: rawJson('POST', c('/api/core/items'), '<item name="Widget"/>', 'application/xml'), status: 415, type: 'unsupported-media-type' },
  { name: 'GET /items: limit 0', req: get(c('/api/core/items?limit=0')), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /items: limit 201', req: get(c('/api/core/items?limit=201')), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /items: limit not a number', req: get(c('/api/core/items?limit=lots')), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /items: negative offset', req: get(c('/api/core/items?offset=-1')), status: 400, type: V, fields: ['offset'] },
  { name: 'GET /items: invalid kind', req: get(c('/api/core/items?kind=gizmo')), status: 400, type: V, fields: ['kind'] },
  { name: 'GET /items: malformed categoryId', req: get(c('/api/core/items?categoryId=42')), status: 400, type: V, fields: ['categoryId'] },
  { name: 'GET /items: archived not a boolean', req: get(c('/api/core/items?archived=maybe')), status: 400, type: V, fields: ['archived'] },
  { name: 'GET /items: unknown parameter', req: get(c('/api/core/items?sort=name')), status: 400, type: V, fields: ['sort'] },
  { name: 'GET /items: q too long', req: get(c(`/api/core/items?q=${'x'.repeat(201)}`)), status: 400, type: V, fields: ['q'] },
  { name: 'GET /items/:id malformed', req: get(c('/api/core/items/123')), status: 400, type: V, fields: ['id'] },
  { name: 'GET /items/:id unknown', req: get(c(`/api/core/items/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /items/:id malformed', req: patch(c('/api/core/items/abc'), () => ({ name: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /items/:id unknown', req: patch(c(`/api/core/items/${NO_SUCH_ID}`), () => ({ name: 'x' })), status: 404, type: 'not-found' },
  { name: 'PATCH /items/:id stale version', req: patch((f) => `/api/core/items/${f.itemId}`, (f) => ({ name: 'Renamed', version: f.itemVersion - 1 })), status: 409, type: 'stale-version' },
  { name: 'PATCH /items/:id version 0', req: patch((f) => `/api/core/items/${f.itemId}`, () => ({ name: 'Renamed', version: 0 })), status: 400, type: V, fields: ['version'] },
  { name: 'PATCH /items/:id blank name', req: patch((f) => `/api/core/items/${f.itemId}`, () => ({ name: ' \t ' })), status: 400, type: V, fields: ['name'] },
  { name: 'PATCH /items/:id unknown field', req: patch((f) => `/api/core/items/${f.itemId}`, () => ({ id: NO_SUCH_ID })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /items/:id archived not a boolean', req: patch((f) => `/api/core/items/${f.itemId}`, () => ({ archived: 'perhaps' })), status: 400, type: V, fields: ['archived'] },
  { name: 'PATCH /items/:id invalid kind', req: patch((f) => `/api/core/items/${f.itemId}`, () => ({ kind: 'gizmo' })), status: 400, type: V, fields: ['kind'] },
  { name: 'PATCH /items/:id nonexistent category', req: patch((f) => `/api/core/items/${f.itemId}`, () => ({ categoryId: NO_SUCH_ID })), status: 400, type: V, fields: ['categoryId'] },
  {
    name: 'PATCH /items/:id into a category whose schema its attributes violate',
    req: patch((f) => `/api/core/items/${f.itemId}`, (f) => ({ categoryId: f.leafCategoryId })),
    status: 400,
    type: V,
    fields: ['attributes.voltage', 'attributes.chemistry'],
  },
  {
    name: 'PATCH /items/:id attributes violating its category',
    req: patch((f) => `/api/core/items/${f.leafItemId}`, () => ({ attributes: { voltage: -1, chemistry: 'nimh' } })),
    status: 400,
    type: V,
    fields: ['attributes.voltage'],
  },
  { name: 'PATCH /items/:id invalid JSON', req: rawJson('PATCH', (f) => `/api/core/items/${f.itemId}`, '{name: Widget}'), status: 400, type: 'malformed-request' },

  // ---- Categories
  { name: 'POST /categories: name missing', req: post('/api/core/categories', () => ({})), status: 400, type: V, fields: ['name'] },
  { name: 'POST /categories: blank name', req: post('/api/core/categories', () => ({ name: '  ' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /categories: unknown field', req: post('/api/core/categories', () => ({ name: 'Tools', icon: 'wrench' })), status: 400, type: V, fields: ['icon'] },
  { name: 'POST /categories: malformed parentId', req: post('/api/core/categories', () => ({ name: 'Tools', parentId: 'root' })), status: 400, type: V, fields: ['parentId'] },
  { name: 'POST /categories: nonexistent parent', req: post('/api/core/categories', () => ({ name: 'Tools', parentId: NO_SUCH_ID })), status: 400, type: V, fields: ['parentId'] },
  { name: 'POST /categories: duplicate sibling name', req: post('/api/core/categories', () => ({ name: 'electrical' })), status: 409, type: 'category-name-taken' },
  {
    name: 'POST /categories: attribute schema for a non-object',
    req: post('/api/core/categories', () => ({ name: 'Tools', attributeSchema: { type: 'string' } })),
    status: 400,
    type: V,
    fields: ['attributeSchema'],
  },
  {
    name: 'POST /categories: attribute schema that is not JSON Schema',
    req: post('/api/core/categories', () => ({ name: 'Tools', attributeSchema: { type: 'object', properties: { torque: { type: 'newtons' } } } })),
    status: 400,
    type: V,
    fields: ['attributeSchema'],
  },
  { name: 'POST /categories: attribute schema not an object', req: post('/api/core/categories', () => ({ name: 'Tools', attributeSchema: 'any' })), status: 400, type: V, fields: ['attributeSchema'] },
  { name: 'POST /categories: invalid JSON', req: rawJson('POST', c('/api/core/categories'), '{"name": }'), status: 400, type: 'malformed-request' },
  { name: 'GET /categories/:id malformed', req: get(c('/api/core/categories/electrical')), status: 400, type: V, fields: ['id'] },
  { name: 'GET /categories/:id unknown', req: get(c(`/api/core/categories/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /categories/:id malformed', req: patch(c('/api/core/categories/x'), () => ({ name: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /categories/:id unknown', req: patch(c(`/api/core/categories/${NO_SUCH_ID}`), () => ({ name: 'x' })), status: 404, type: 'not-found' },
  { name: 'PATCH /categories/:id under its own descendant', req: patch((f) => `/api/core/categories/${f.rootCategoryId}`, (f) => ({ parentId: f.leafCategoryId })), status: 409, type: 'category-cycle' },
  { name: 'PATCH /categories/:id under itself', req: patch((f) => `/api/core/categories/${f.rootCategoryId}`, (f) => ({ parentId: f.rootCategoryId })), status: 409, type: 'category-cycle' },
  { name: 'PATCH /categories/:id nonexistent parent', req: patch((f) => `/api/core/categories/${f.otherCategoryId}`, () => ({ parentId: NO_SUCH_ID })), status: 400, type: V, fields: ['parentId'] },
  { name: 'PATCH /categories/:id name of a sibling', req: patch((f) => `/api/core/categories/${f.otherCategoryId}`, () => ({ name: 'ELECTRICAL' })), status: 409, type: 'category-name-taken' },
  { name: 'PATCH /categories/:id blank name', req: patch((f) => `/api/core/categories/${f.otherCategoryId}`, () => ({ name: '   ' })), status: 400, type: V, fields: ['name'] },
  {
    name: 'PATCH /categories/:id invalid attribute schema',
    req: patch((f) => `/api/core/categories/${f.otherCategoryId}`, () => ({ attributeSchema: { type: 'object', required: 'voltage' } })),
    status: 400,
    type: V,
    fields: ['attributeSchema'],
  },

  // ---- Locations
  { name: 'POST /locations: name and type missing', req: post('/api/core/locations', () => ({})), status: 400, type: V, fields: ['name', 'type'] },
  { name: 'POST /locations: invalid type', req: post('/api/core/locations', () => ({ name: 'Keep', type: 'castle' })), status: 400, type: V, fields: ['type'] },
  { name: 'POST /locations: blank name', req: post('/api/core/locations', () => ({ name: '\n', type: 'site' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /locations: unknown field', req: post('/api/core/locations', () => ({ name: 'Keep', type: 'site', capacity: 3 })), status: 400, type: V, fields: ['capacity'] },
  { name: 'POST /locations: latitude out of range', req: post('/api/core/locations', () => ({ name: 'Pole', type: 'site', latitude: 91 })), status: 400, type: V, fields: ['latitude'] },
  { name: 'POST /locations: longitude of the wrong type', req: post('/api/core/locations', () => ({ name: 'Pole', type: 'site', longitude: { deg: 1 } })), status: 400, type: V, fields: ['longitude'] },
  { name: 'POST /locations: code too long', req: post('/api/core/locations', () => ({ name: 'Keep', type: 'site', code: 'C'.repeat(51) })), status: 400, type: V, fields: ['code'] },
  { name: 'POST /locations: malformed parentId', req: post('/api/core/locations', () => ({ name: 'Bin', type: 'bin', parentId: 'aisle-3' })), status: 400, type: V, fields: ['parentId'] },
  { name: 'POST /locations: nonexistent parent', req: post('/api/core/locations', () => ({ name: 'Bin', type: 'bin', parentId: NO_SUCH_ID })), status: 400, type: V, fields: ['parentId'] },
  { name: 'POST /locations: archived parent', req: post('/api/core/locations', (f) => ({ name: 'Bin', type: 'bin', parentId: f.archivedSiteId })), status: 400, type: V, fields: ['parentId'] },
  { name: 'POST /locations: duplicate site name (case-insensitive)', req: post('/api/core/locations', () => ({ name: 'main dc', type: 'site' })), status: 409, type: 'location-name-taken' },
  { name: 'POST /locations: duplicate sibling name', req: post('/api/core/locations', (f) => ({ name: 'Bin 3-04', type: 'bin', parentId: f.aisleId })), status: 409, type: 'location-name-taken' },
  { name: 'POST /locations: invalid JSON', req: rawJson('POST', c('/api/core/locations'), '[1,'), status: 400, type: 'malformed-request' },
  { name: 'GET /locations: limit 500', req: get(c('/api/core/locations?limit=500')), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /locations: invalid type', req: get(c('/api/core/locations?type=castle')), status: 400, type: V, fields: ['type'] },
  { name: 'GET /locations: malformed parentId', req: get(c('/api/core/locations?parentId=top')), status: 400, type: V, fields: ['parentId'] },
  { name: 'GET /locations: unknown parameter', req: get(c('/api/core/locations?depth=2')), status: 400, type: V, fields: ['depth'] },
  { name: 'GET /locations/tree: archived not a boolean', req: get(c('/api/core/locations/tree?archived=some')), status: 400, type: V, fields: ['archived'] },
  { name: 'GET /locations/tree: unknown parameter', req: get(c('/api/core/locations/tree?root=x')), status: 400, type: V, fields: ['root'] },
  { name: 'GET /locations/:id malformed', req: get(c('/api/core/locations/main-dc')), status: 400, type: V, fields: ['id'] },
  { name: 'GET /locations/:id unknown', req: get(c(`/api/core/locations/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /locations/:id malformed', req: patch(c('/api/core/locations/1'), () => ({ name: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /locations/:id unknown', req: patch(c(`/api/core/locations/${NO_SUCH_ID}`), () => ({ name: 'x' })), status: 404, type: 'not-found' },
  { name: 'PATCH /locations/:id under its own descendant', req: patch((f) => `/api/core/locations/${f.siteId}`, (f) => ({ parentId: f.binId })), status: 409, type: 'location-cycle' },
  { name: 'PATCH /locations/:id under itself', req: patch((f) => `/api/core/locations/${f.aisleId}`, (f) => ({ parentId: f.aisleId })), status: 409, type: 'location-cycle' },
  { name: 'PATCH /locations/:id nonexistent parent', req: patch((f) => `/api/core/locations/${f.binId}`, () => ({ parentId: NO_SUCH_ID })), status: 400, type: V, fields: ['parentId'] },
  { name: 'PATCH /locations/:id under an archived parent', req: patch((f) => `/api/core/locations/${f.binId}`, (f) => ({ parentId: f.archivedSiteId })), status: 400, type: V, fields: ['parentId'] },
  { name: 'PATCH /locations/:id name of a sibling', req: patch((f) => `/api/core/locations/${f.otherBinId}`, () => ({ name: 'BIN 3-04' })), status: 409, type: 'location-name-taken' },
  { name: 'PATCH /locations/:id blank name', req: patch((f) => `/api/core/locations/${f.otherBinId}`, () => ({ name: '  ' })), status: 400, type: V, fields: ['name'] },
  { name: 'PATCH /locations/:id stale version', req: patch((f) => `/api/core/locations/${f.binId}`, () => ({ name: 'Bin 3-05', version: 99 })), status: 409, type: 'stale-version' },
  { name: 'PATCH /locations/:id archive with active children', req: patch((f) => `/api/core/locations/${f.aisleId}`, () => ({ archived: true })), status: 409, type: 'location-has-children' },
  { name: 'PATCH /locations/:id invalid type', req: patch((f) => `/api/core/locations/${f.binId}`, () => ({ type: 'drawer' })), status: 400, type: V, fields: ['type'] },

  // ---- Identifiers
  { name: 'POST /identifiers: everything missing', req: post('/api/core/identifiers', () => ({})), status: 400, type: V, fields: ['type', 'value', 'targetType', 'targetId'] },
  {
    name: 'POST /identifiers: invalid type',
    req: post('/api/core/identifiers', (f) => ({ type: 'isbn', value: '978-3-16-148410-0', targetType: 'core.item', targetId: f.itemId })),
    status: 400,
    type: V,
    fields: ['type'],
  },
  {
    name: 'POST /identifiers: malformed targetType',
    req: post('/api/core/identifiers', (f) => ({ type: 'sku', value: 'S-9', targetType: 'Item', targetId: f.itemId })),
    status: 400,
    type: V,
    fields: ['targetType'],
  },
  { name: 'POST /identifiers: malformed targetId', req: post('/api/core/identifiers', () => ({ type: 'sku', value: 'S-9', targetType: 'core.item', targetId: 'item-1' })), status: 400, type: V, fields: ['targetId'] },
  { name: 'POST /identifiers: nonexistent item', req: post('/api/core/identifiers', () => ({ type: 'sku', value: 'S-9', targetType: 'core.item', targetId: NO_SUCH_ID })), status: 400, type: V, fields: ['targetId'] },
  {
    name: 'POST /identifiers: a location id given as an item',
    req: post('/api/core/identifiers', (f) => ({ type: 'sku', value: 'S-9', targetType: 'core.item', targetId: f.binId })),
    status: 400,
    type: V,
    fields: ['targetId'],
  },
  {
    name: 'POST /identifiers: target type nobody resolves',
    req: post('/api/core/identifiers', (f) => ({ type: 'sku', value: 'S-9', targetType: 'nobody.thing', targetId: f.itemId })),
    status: 400,
    type: V,
    fields: ['targetId'],
  },
  {
    name: 'POST /identifiers: same type and value taken',
    req: post('/api/core/identifiers', (f) => ({ type: 'sku', value: ` ${f.sku} `, targetType: 'core.location', targetId: f.binId })),
    status: 409,
    type: 'identifier-taken',
  },
  { name: 'POST /identifiers: blank value', req: post('/api/core/identifiers', (f) => ({ type: 'sku', value: '   ', targetType: 'core.item', targetId: f.itemId })), status: 400, type: V, fields: ['value'] },
  { name: 'POST /identifiers: empty value', req: post('/api/core/identifiers', (f) => ({ type: 'sku', value: '', targetType: 'core.item', targetId: f.itemId })), status: 400, type: V, fields: ['value'] },
  {
    name: 'POST /identifiers: GTIN with letters',
    req: post('/api/core/identifiers', (f) => ({ type: 'gtin', value: '40063813339AB', targetType: 'core.item', targetId: f.itemId })),
    status: 400,
    type: V,
    fields: ['value'],
  },
  {
    name: 'POST /identifiers: GTIN of 10 digits',
    req: post('/api/core/identifiers', (f) => ({ type: 'gtin', value: '4006381333', targetType: 'core.item', targetId: f.itemId })),
    status: 400,
    type: V,
    fields: ['value'],
  },
  {
    name: 'POST /identifiers: GTIN with a wrong check digit',
    req: post('/api/core/identifiers', (f) => ({ type: 'gtin', value: '4006381333932', targetType: 'core.item', targetId: f.itemId })),
    status: 400,
    type: V,
    fields: ['value'],
  },
  {
    name: 'POST /identifiers: unknown field',
    req: post('/api/core/identifiers', (f) => ({ type: 'sku', value: 'S-9', targetType: 'core.item', targetId: f.itemId, primary: true })),
    status: 400,
    type: V,
    fields: ['primary'],
  },
  { name: 'POST /identifiers: invalid JSON', req: rawJson('POST', c('/api/core/identifiers'), '{"type":"sku"'), status: 400, type: 'malformed-request' },
  { name: 'DELETE /identifiers/:id malformed', req: del(c('/api/core/identifiers/sku-1')), status: 400, type: V, fields: ['id'] },
  { name: 'DELETE /identifiers/:id unknown', req: del(c(`/api/core/identifiers/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'GET /identifiers: invalid type', req: get(c('/api/core/identifiers?type=isbn')), status: 400, type: V, fields: ['type'] },
  { name: 'GET /identifiers: malformed targetId', req: get(c('/api/core/identifiers?targetId=1')), status: 400, type: V, fields: ['targetId'] },
  { name: 'GET /identifiers: malformed targetType', req: get(c('/api/core/identifiers?targetType=items')), status: 400, type: V, fields: ['targetType'] },
  { name: 'GET /identifiers: limit 0', req: get(c('/api/core/identifiers?limit=0')), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /identifiers/resolve: value missing', req: get(c('/api/core/identifiers/resolve')), status: 400, type: V, fields: ['value'] },
  { name: 'GET /identifiers/resolve: empty value', req: get(c('/api/core/identifiers/resolve?value=')), status: 400, type: V, fields: ['value'] },
  { name: 'GET /identifiers/resolve: unknown parameter', req: get(c('/api/core/identifiers/resolve?value=x&type=sku')), status: 400, type: V, fields: ['type'] },

  // ---- Session
  { name: 'POST /session: nothing sent', anonymous: true, req: post('/api/core/session', () => ({})), status: 400, type: V, fields: ['email', 'password'] },
  { name: 'POST /session: unknown field', anonymous: true, req: post('/api/core/session', () => ({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, remember: true })), status: 400, type: V, fields: ['remember'] },
  { name: 'POST /session: wrong password', anonymous: true, req: post('/api/core/session', () => ({ email: TEST_ADMIN.email, password: 'wrong horse battery staple' })), status: 401, type: 'invalid-credentials' },
  { name: 'POST /session: unknown e-mail', anonymous: true, req: post('/api/core/session', () => ({ email: 'nobody@example.test', password: TEST_ADMIN.password })), status: 401, type: 'invalid-credentials' },
  { name: 'POST /session: invalid JSON', anonymous: true, req: rawJson('POST', c('/api/core/session'), '{"email"'), status: 400, type: 'malformed-request' },

  // ---- Users
  { name: 'GET /users: limit 1000', req: get(c('/api/core/users?limit=1000')), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /users/:id malformed', req: get(c('/api/core/users/me')), status: 400, type: V, fields: ['id'] },
  { name: 'GET /users/:id unknown', req: get(c(`/api/core/users/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'POST /users: everything missing', req: post('/api/core/users', () => ({})), status: 400, type: V, fields: ['email', 'name', 'password'] },
  { name: 'POST /users: invalid e-mail', req: post('/api/core/users', () => ({ email: 'not-an-address', name: 'N', password: 'long enough secret' })), status: 400, type: V, fields: ['email'] },
  { name: 'POST /users: short password', req: post('/api/core/users', () => ({ email: 'n@example.test', name: 'N', password: 'short' })), status: 400, type: V, fields: ['password'] },
  { name: 'POST /users: blank name', req: post('/api/core/users', () => ({ email: 'n@example.test', name: '   ', password: 'long enough secret' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /users: e-mail taken (case-insensitive)', req: post('/api/core/users', () => ({ email: TEST_ADMIN.email.toUpperCase(), name: 'Dup', password: 'long enough secret' })), status: 409, type: 'email-taken' },
  { name: 'POST /users: nonexistent role', req: post('/api/core/users', () => ({ email: 'n@example.test', name: 'N', password: 'long enough secret', roleIds: [NO_SUCH_ID] })), status: 400, type: V, fields: ['roleIds.0'] },
  { name: 'POST /users: malformed role id', req: post('/api/core/users', () => ({ email: 'n@example.test', name: 'N', password: 'long enough secret', roleIds: ['admin'] })), status: 400, type: V, fields: ['roleIds.0'] },
  { name: 'POST /users: unknown field', req: post('/api/core/users', () => ({ email: 'n@example.test', name: 'N', password: 'long enough secret', admin: true })), status: 400, type: V, fields: ['admin'] },
  { name: 'PATCH /users/:id malformed', req: patch(c('/api/core/users/me'), () => ({ name: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /users/:id unknown', req: patch(c(`/api/core/users/${NO_SUCH_ID}`), () => ({ name: 'x' })), status: 404, type: 'not-found' },
  { name: 'PATCH /users/:id disable yourself', req: patch((f) => `/api/core/users/${f.adminId}`, () => ({ active: false })), status: 409, type: 'cannot-disable-self' },
  { name: 'PATCH /users/:id remove the last administrator', req: patch((f) => `/api/core/users/${f.adminId}`, (f) => ({ roleIds: [f.clerkRoleId] })), status: 409, type: 'last-administrator' },
  { name: 'PATCH /users/:id nonexistent role', req: patch((f) => `/api/core/users/${f.clerkId}`, () => ({ roleIds: [NO_SUCH_ID] })), status: 400, type: V, fields: ['roleIds.0'] },
  { name: 'PATCH /users/:id e-mail is not editable', req: patch((f) => `/api/core/users/${f.clerkId}`, () => ({ email: 'other@example.test' })), status: 400, type: V, fields: ['email'] },
  { name: 'PATCH /users/:id blank name', req: patch((f) => `/api/core/users/${f.clerkId}`, () => ({ name: '  ' })), status: 400, type: V, fields: ['name'] },
  { name: 'PATCH /users/:id short password', req: patch((f) => `/api/core/users/${f.clerkId}`, () => ({ password: '123' })), status: 400, type: V, fields: ['password'] },

  // ---- Roles
  { name: 'POST /roles: everything missing', req: post('/api/core/roles', () => ({})), status: 400, type: V, fields: ['name', 'permissions'] },
  { name: 'POST /roles: unknown permission', req: post('/api/core/roles', () => ({ name: 'Auditor', permissions: ['core.audit.read', 'core.audit.write'] })), status: 400, type: V, fields: ['permissions.1'] },
  { name: 'POST /roles: name taken (case-insensitive)', req: post('/api/core/roles', () => ({ name: 'ADMINISTRATOR', permissions: [] })), status: 409, type: 'role-name-taken' },
  { name: 'POST /roles: blank name', req: post('/api/core/roles', () => ({ name: '  ', permissions: [] })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /roles: permissions not a list', req: post('/api/core/roles', () => ({ name: 'Auditor', permissions: { read: true } })), status: 400, type: V, fields: ['permissions'] },
  { name: 'PATCH /roles/:id built-in role re-scoped', req: patch((f) => `/api/core/roles/${f.adminRoleId}`, () => ({ permissions: ['core.items.read'] })), status: 409, type: 'built-in-role' },
  { name: 'PATCH /roles/:id unknown', req: patch(c(`/api/core/roles/${NO_SUCH_ID}`), () => ({ description: 'x' })), status: 404, type: 'not-found' },
  { name: 'PATCH /roles/:id malformed', req: patch(c('/api/core/roles/admin'), () => ({ description: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /roles/:id unknown permission', req: patch((f) => `/api/core/roles/${f.clerkRoleId}`, () => ({ permissions: ['everything'] })), status: 400, type: V, fields: ['permissions.0'] },
  { name: 'PATCH /roles/:id name of another role (case-insensitive)', req: patch((f) => `/api/core/roles/${f.clerkRoleId}`, () => ({ name: 'administrator' })), status: 409, type: 'role-name-taken' },
  { name: 'PATCH /roles/:id blank name', req: patch((f) => `/api/core/roles/${f.clerkRoleId}`, () => ({ name: '   ' })), status: 400, type: V, fields: ['name'] },
  { name: 'DELETE /roles/:id built-in role', req: del((f) => `/api/core/roles/${f.adminRoleId}`), status: 409, type: 'built-in-role' },
  { name: 'DELETE /roles/:id unknown', req: del(c(`/api/core/roles/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'DELETE /roles/:id malformed', req: del(c('/api/core/roles/clerk')), status: 400, type: V, fields: ['id'] },

  // ---- API tokens
  { name: 'POST /api-tokens: everything missing', req: post('/api/core/api-tokens', () => ({})), status: 400, type: V, fields: ['name', 'permissions'] },
  { name: 'POST /api-tokens: no permissions', req: post('/api/core/api-tokens', () => ({ name: 'ERP', permissions: [] })), status: 400, type: V, fields: ['permissions'] },
  { name: 'POST /api-tokens: unknown permission', req: post('/api/core/api-tokens', () => ({ name: 'ERP', permissions: ['core.items.read', 'erp.sync'] })), status: 400, type: V, fields: ['permissions.1'] },
  { name: 'POST /api-tokens: expiry in the past', req: post('/api/core/api-tokens', () => ({ name: 'ERP', permissions: ['core.items.read'], expiresAt: '2001-01-01T00:00:00Z' })), status: 400, type: V, fields: ['expiresAt'] },
  { name: 'POST /api-tokens: expiry not a date', req: post('/api/core/api-tokens', () => ({ name: 'ERP', permissions: ['core.items.read'], expiresAt: 'next week' })), status: 400, type: V, fields: ['expiresAt'] },
  { name: 'POST /api-tokens: blank name', req: post('/api/core/api-tokens', () => ({ name: ' ', permissions: ['core.items.read'] })), status: 400, type: V, fields: ['name'] },
  { name: 'DELETE /api-tokens/:id malformed', req: del(c('/api/core/api-tokens/erp')), status: 400, type: V, fields: ['id'] },
  { name: 'DELETE /api-tokens/:id unknown', req: del(c(`/api/core/api-tokens/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },

  // ---- Audit
  { name: 'GET /audit: malformed actorId', req: get(c('/api/core/audit?actorId=admin')), status: 400, type: V, fields: ['actorId'] },
  { name: 'GET /audit: limit 201', req: get(c('/api/core/audit?limit=201')), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /audit: offset not a number', req: get(c('/api/core/audit?offset=first')), status: 400, type: V, fields: ['offset'] },
  { name: 'GET /audit: unknown parameter', req: get(c('/api/core/audit?since=yesterday')), status: 400, type: V, fields: ['since'] },
  { name: 'GET /audit: from is not a timestamp', req: get(c('/api/core/audit?from=last-tuesday')), status: 400, type: V, fields: ['from'] },
  { name: 'GET /audit: to before from', req: get(c('/api/core/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')), status: 400, type: V, fields: ['to'] },
  { name: 'GET /event-deliveries: unknown status', req: get(c('/api/core/event-deliveries?status=stuck')), status: 400, type: V, fields: ['status'] },
  { name: 'GET /event-deliveries: limit 0', req: get(c('/api/core/event-deliveries?limit=0')), status: 400, type: V, fields: ['limit'] },
  { name: 'POST /event-deliveries/retry: missing subscriber', req: post('/api/core/event-deliveries/retry', () => ({ eventId: '1' })), status: 400, type: V, fields: ['subscriber'] },
  { name: 'POST /event-deliveries/retry: event id not a number', req: post('/api/core/event-deliveries/retry', () => ({ eventId: 'abc', subscriber: 'x:y' })), status: 400, type: V, fields: ['eventId'] },
  { name: 'POST /event-deliveries/retry: no such delivery', req: post('/api/core/event-deliveries/retry', () => ({ eventId: '999999', subscriber: 'nobody:here' })), status: 404, type: 'not-found' },

  // ---- Devices
  { name: 'POST /devices: code missing', req: post('/api/core/devices', () => ({ name: 'Reader', kind: 'rfid-reader' })), status: 400, type: V, fields: ['code'] },
  { name: 'POST /devices: code with a slash (it is an MQTT topic segment)', req: post('/api/core/devices', () => ({ code: 'a/b', name: 'Reader', kind: 'rfid-reader' })), status: 400, type: V, fields: ['code'] },
  { name: 'POST /devices: unknown kind', req: post('/api/core/devices', () => ({ code: 'r1', name: 'Reader', kind: 'toaster' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /devices: blank name', req: post('/api/core/devices', () => ({ code: 'r1', name: '  ', kind: 'scanner' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /devices: no such location', req: post('/api/core/devices', (f) => ({ code: 'r1', name: 'Reader', kind: 'scanner', locationId: f.itemId })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /devices: code taken', req: post('/api/core/devices', () => ({ code: 'FIXTURE-SCANNER', name: 'Again', kind: 'scanner' })), status: 409, type: 'device-code-taken' },
  { name: 'GET /devices: unknown kind filter', req: get(c('/api/core/devices?kind=toaster')), status: 400, type: V, fields: ['kind'] },
  { name: 'GET /devices/:id: no such device', req: get(() => `/api/core/devices/${NO_SUCH_ID}`), status: 404, type: 'not-found' },
  { name: 'PATCH /devices/:id: blank name', req: patch((f) => `/api/core/devices/${f.deviceId}`, () => ({ name: ' ' })), status: 400, type: V, fields: ['name'] },
  { name: 'PATCH /devices/:id: stale version', req: patch((f) => `/api/core/devices/${f.deviceId}`, () => ({ name: 'New', version: 99 })), status: 409, type: 'stale-version' },
  { name: 'PATCH /devices/:id: no such device', req: patch(() => `/api/core/devices/${NO_SUCH_ID}`, () => ({ name: 'New' })), status: 404, type: 'not-found' },
  { name: 'POST /devices/:id/disable: no such device', req: post(`/api/core/devices/${'00000000-0000-4000-8000-000000000000'}/disable`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /devices/:id/enable: no such device', req: post(`/api/core/devices/${'00000000-0000-4000-8000-000000000000'}/enable`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /devices/:id/rotate-key: not a uuid', req: post('/api/core/devices/nope/rotate-key', () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'GET /devices/:id/readings: unknown status filter', req: get((f) => `/api/core/devices/${f.deviceId}/readings?status=lost`), status: 400, type: V, fields: ['status'] },
  { name: 'GET /device-refusals: limit 0', req: get(c('/api/core/device-refusals?limit=0')), status: 400, type: V, fields: ['limit'] },
  { name: 'POST /devices/ingest: no device key', anonymous: true, req: post('/api/core/devices/ingest', () => ({ epc: '3074257BF7194E4000001A85' })), status: 401, type: 'device-key-missing' },
  { name: 'POST /devices/ingest: a user session is not a device key', req: post('/api/core/devices/ingest', () => ({ epc: '3074257BF7194E4000001A85' })), status: 401, type: 'device-key-missing' },

  // ---- Event catalogue and webhooks
  { name: 'GET /events: unknown parameter', req: get(c('/api/core/events?plugin=core')), status: 400, type: V, fields: ['plugin'] },
  { name: 'GET /events: malformed pluginId', req: get(c('/api/core/events?pluginId=Not%20A%20Plugin')), status: 400, type: V, fields: ['pluginId'] },
  { name: 'GET /webhooks: active not a boolean', req: get(c('/api/core/webhooks?active=sometimes')), status: 400, type: V, fields: ['active'] },
  { name: 'GET /webhooks: limit 0', req: get(c('/api/core/webhooks?limit=0')), status: 400, type: V, fields: ['limit'] },
  { name: 'POST /webhooks: everything missing', req: post('/api/core/webhooks', () => ({})), status: 400, type: V, fields: ['name', 'url', 'events'] },
  { name: 'POST /webhooks: blank name', req: post('/api/core/webhooks', () => ({ name: '  ', url: 'https://hooks.example.test/qm', events: ['*'] })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /webhooks: not an http(s) URL', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'ftp://hooks.example.test/qm', events: ['*'] })), status: 400, type: V, fields: ['url'] },
  { name: 'POST /webhooks: not a URL', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'hooks.example.test', events: ['*'] })), status: 400, type: V, fields: ['url'] },
  { name: 'POST /webhooks: URL with a password', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'https://erp:secret@hooks.example.test/qm', events: ['*'] })), status: 400, type: V, fields: ['url'] },
  { name: 'POST /webhooks: no events', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'https://hooks.example.test/qm', events: [] })), status: 400, type: V, fields: ['events'] },
  { name: 'POST /webhooks: an event nobody declares', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'https://hooks.example.test/qm', events: ['core.item.created', 'core.item.exploded'] })), status: 400, type: V, fields: ['events.1'] },
  { name: 'POST /webhooks: a pattern matching nothing', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'https://hooks.example.test/qm', events: ['erp.*'] })), status: 400, type: V, fields: ['events.0'] },
  { name: 'POST /webhooks: a wildcard inside a name', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'https://hooks.example.test/qm', events: ['core.*.created'] })), status: 400, type: V, fields: ['events.0'] },
  { name: 'POST /webhooks: choosing the secret', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'https://hooks.example.test/qm', events: ['*'], secret: 'whsec_abc' })), status: 400, type: V, fields: ['secret'] },
  { name: 'POST /webhooks: active not a boolean', req: post('/api/core/webhooks', () => ({ name: 'ERP', url: 'https://hooks.example.test/qm', events: ['*'], active: 'yes' })), status: 400, type: V, fields: ['active'] },
  { name: 'POST /webhooks: invalid JSON', req: rawJson('POST', c('/api/core/webhooks'), '{"name": "ERP",'), status: 400, type: 'malformed-request' },
  { name: 'GET /webhooks/:id malformed', req: get(c('/api/core/webhooks/erp')), status: 400, type: V, fields: ['id'] },
  { name: 'GET /webhooks/:id unknown', req: get(c(`/api/core/webhooks/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /webhooks/:id unknown', req: patch(c(`/api/core/webhooks/${NO_SUCH_ID}`), () => ({ name: 'x' })), status: 404, type: 'not-found' },
  { name: 'PATCH /webhooks/:id stale version', req: patch((f) => `/api/core/webhooks/${f.webhookId}`, (f) => ({ name: 'Renamed', version: f.webhookVersion + 5 })), status: 409, type: 'stale-version' },
  { name: 'PATCH /webhooks/:id javascript: URL', req: patch((f) => `/api/core/webhooks/${f.webhookId}`, () => ({ url: 'javascript:alert(1)' })), status: 400, type: V, fields: ['url'] },
  { name: 'PATCH /webhooks/:id unknown event', req: patch((f) => `/api/core/webhooks/${f.webhookId}`, () => ({ events: ['core.item.created', 'core.widget.created'] })), status: 400, type: V, fields: ['events.1'] },
  { name: 'PATCH /webhooks/:id blank name', req: patch((f) => `/api/core/webhooks/${f.webhookId}`, () => ({ name: ' ' })), status: 400, type: V, fields: ['name'] },
  { name: 'PATCH /webhooks/:id secret is not editable', req: patch((f) => `/api/core/webhooks/${f.webhookId}`, () => ({ secret: 'whsec_abc' })), status: 400, type: V, fields: ['secret'] },
  { name: 'DELETE /webhooks/:id malformed', req: del(c('/api/core/webhooks/1')), status: 400, type: V, fields: ['id'] },
  { name: 'DELETE /webhooks/:id unknown', req: del(c(`/api/core/webhooks/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'POST /webhooks/:id/disable unknown', req: post(`/api/core/webhooks/${NO_SUCH_ID}/disable`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /webhooks/:id/enable malformed', req: post('/api/core/webhooks/erp/enable', () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'POST /webhooks/:id/rotate-secret grace too long', req: post('/api/core/webhooks/00000000-0000-4000-8000-000000000000/rotate-secret', () => ({ graceHours: 1000 })), status: 400, type: V, fields: ['graceHours'] },
  { name: 'POST /webhooks/:id/rotate-secret unknown', req: post(`/api/core/webhooks/${NO_SUCH_ID}/rotate-secret`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /webhooks/:id/test unknown', req: post(`/api/core/webhooks/${NO_SUCH_ID}/test`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /webhooks/:id/replay-dead unknown', req: post(`/api/core/webhooks/${NO_SUCH_ID}/replay-dead`, () => ({})), status: 404, type: 'not-found' },
  { name: 'GET /webhook-deliveries: unknown status', req: get(c('/api/core/webhook-deliveries?status=lost')), status: 400, type: V, fields: ['status'] },
  { name: 'GET /webhook-deliveries: malformed webhookId', req: get(c('/api/core/webhook-deliveries?webhookId=erp')), status: 400, type: V, fields: ['webhookId'] },
  { name: 'GET /webhook-deliveries: malformed event', req: get(c('/api/core/webhook-deliveries?event=Item%20Created')), status: 400, type: V, fields: ['event'] },
  { name: 'GET /webhook-deliveries/:id malformed', req: get(c('/api/core/webhook-deliveries/abc')), status: 400, type: V, fields: ['id'] },
  { name: 'GET /webhook-deliveries/:id unknown', req: get(c('/api/core/webhook-deliveries/999999999')), status: 404, type: 'not-found' },
  { name: 'POST /webhook-deliveries/:id/replay unknown', req: post('/api/core/webhook-deliveries/999999999/replay', () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /webhook-deliveries/:id/replay not dead', req: (f) => ({ method: 'POST', url: `/api/core/webhook-deliveries/${f.deliveryId}/replay`, payload: {} }), status: 409, type: 'webhook-delivery-not-dead' },

  // ---- Unknown routes
  { name: 'GET an unknown core route', req: get(c('/api/core/widgets')), status: 404, type: 'route-not-found' },
  { name: 'DELETE /items/:id is not a route', req: del((f) => `/api/core/items/${f.itemId}`), status: 404, type: 'route-not-found' },
];

describe('bad input to every core route', () => {
  let t: TestPlatform;
  const f = {} as Fixtures;

  const ok = async (opts: InjectOptions, status = 201) => {
    const res = await t.request(opts);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestPlatform();
    const session = await ok({ method: 'GET', url: '/api/core/session' }, 200);
    f.adminId = session.user.id;
    const roles = await ok({ method: 'GET', url: '/api/core/roles' }, 200);
    f.adminRoleId = roles.find((r: { builtIn: boolean }) => r.builtIn).id;
    const clerk = await userWith(t, 'clerk@example.test', ['core.items.read']);
    f.clerkId = clerk.userId;
    f.clerkRoleId = clerk.roleId;

    const root = await ok({
      method: 'POST',
      url: '/api/core/categories',
      payload: { name: 'Electrical', attributeSchema: { type: 'object', required: ['voltage'], properties: { voltage: { type: 'number', minimum: 0 } } } },
    });
    f.rootCategoryId = root.id;
    const leaf = await ok({
      method: 'POST',
      url: '/api/core/categories',
      payload: { name: 'Batteries', parentId: root.id, attributeSchema: { type: 'object', required: ['chemistry'], properties: { chemistry: { enum: ['li-ion', 'nimh'] } } } },
    });
    f.leafCategoryId = leaf.id;
    f.otherCategoryId = (await ok({ method: 'POST', url: '/api/core/categories', payload: { name: 'Furniture' } })).id;

    f.sku = 'WID-001';
    const item = await ok({ method: 'POST', url: '/api/core/items', payload: { name: 'Widget', identifiers: [{ type: 'sku', value: f.sku }] } });
    f.itemId = item.id;
    const renamed = await ok({ method: 'PATCH', url: `/api/core/items/${item.id}`, payload: { description: 'A widget', version: 1 } }, 200);
    f.itemVersion = renamed.version;
    expect(f.itemVersion).toBe(2);
    f.identifierId = item.identifiers[0].id;
    f.leafItemId = (await ok({ method: 'POST', url: '/api/core/items', payload: { name: 'AA cell', categoryId: leaf.id, attributes: { voltage: 1.2, chemistry: 'nimh' } } })).id;

    f.siteId = (await ok({ method: 'POST', url: '/api/core/locations', payload: { name: 'Main DC', type: 'site' } })).id;
    f.aisleId = (await ok({ method: 'POST', url: '/api/core/locations', payload: { name: 'Aisle 3', type: 'aisle', parentId: f.siteId } })).id;
    f.binId = (await ok({ method: 'POST', url: '/api/core/locations', payload: { name: 'Bin 3-04', type: 'bin', parentId: f.aisleId } })).id;
    f.otherBinId = (await ok({ method: 'POST', url: '/api/core/locations', payload: { name: 'Bin 3-05', type: 'bin', parentId: f.aisleId } })).id;
    f.archivedSiteId = (await ok({ method: 'POST', url: '/api/core/locations', payload: { name: 'Old DC', type: 'site' } })).id;
    await ok({ method: 'PATCH', url: `/api/core/locations/${f.archivedSiteId}`, payload: { archived: true } }, 200);

    f.deviceId = (await ok({ method: 'POST', url: '/api/core/devices', payload: { code: 'fixture-scanner', name: 'Fixture scanner', kind: 'scanner' } })).device.id;
    f.tokenId = (await ok({ method: 'POST', url: '/api/core/api-tokens', payload: { name: 'fixture', permissions: ['core.items.read'] } })).apiToken.id;
    const hook = (await ok({ method: 'POST', url: '/api/core/webhooks', payload: { name: 'Fixture', url: 'https://hooks.example.test/qm', events: ['core.item.created'] } })).webhook;
    f.webhookId = hook.id;
    f.webhookVersion = hook.version;
    // The outbox is not drained here, so this item's delivery stays pending.
    await ok({ method: 'POST', url: '/api/core/items', payload: { name: 'Delivered later' } });
    f.deliveryId = (await t.sql<{ id: string }>(`SELECT id::text FROM core_webhook_delivery WHERE webhook_id = $1`, [hook.id]))[0].id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('covers every core route', () => {
    // Each route registered under /api/core (bar the ones that take no input at all) has a case.
    const inputless = new Set(['GET /api/core/session', 'DELETE /api/core/session', 'GET /api/core/platform', 'GET /api/core/permissions', 'GET /api/core/roles', 'GET /api/core/api-tokens', 'GET /api/core/categories', 'GET /api/core/device-adapters', 'GET /api/core/device-ingestion', 'POST /api/core/device-readings/prune', 'GET /api/core/admin-manifest']);
    const routes = new Set<string>();
    const openapi = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, ops] of Object.entries(openapi.paths)) {
      if (!path.startsWith('/api/core/')) continue;
      for (const method of Object.keys(ops)) routes.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    expect(routes.size).toBeGreaterThan(25);
    const covered = new Set(cases.map((k) => routeOf([...routes], k.req(f))));
    const missing = [...routes].filter((r) => !covered.has(r) && !inputless.has(r));
    expect(missing).toEqual([]);
  });

  it.each(cases)('$name → $status $type', async (k) => {
    const opts = k.req(f);
    const res = await expectNoChange(t, () => (k.anonymous ? t.app.inject(opts) : t.request(opts)));
    const body = expectProblem(res, k.status, k.type);
    if (k.fields) {
      expect(new Set(fieldsOf(body)), JSON.stringify(body.errors)).toEqual(new Set(k.fields));
      for (const e of body.errors!) expect(e.message).toEqual(expect.any(String));
    }
    if (k.status >= 500) throw new Error('never a 500');
  });

  // Query strings are text and get coerced; JSON bodies keep their types.
  describe('JSON bodies are not coerced', () => {
    it('a number is not a name', async () => {
      const res = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/items', payload: { name: 12345 } }));
      expect(fieldsOf(expectProblem(res, 400, V))).toEqual(['name']);
    });
    it('null is not false: {"archived": null} does not unarchive', async () => {
      await t.request({ method: 'PATCH', url: `/api/core/items/${f.itemId}`, payload: { archived: true } });
      const res = await t.request({ method: 'PATCH', url: `/api/core/items/${f.itemId}`, payload: { archived: null } });
      expect(fieldsOf(expectProblem(res, 400, V))).toEqual(['archived']);
    });
    it('null clears a nullable text field instead of storing ""', async () => {
      await t.request({ method: 'PATCH', url: `/api/core/locations/${f.siteId}`, payload: { code: 'MDC' } });
      const res = await t.request({ method: 'PATCH', url: `/api/core/locations/${f.siteId}`, payload: { code: null } });
      expect(res.json().code).toBeNull();
    });
  });
});
