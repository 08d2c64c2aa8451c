import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession, mountedRoutes, routeOf, requestFor } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { bootInventory, caller, item, ledgerMatchesBalances, location, posted } from './fixtures.js';

/**
 * Every route the inventory plugin mounts refuses bad input with a problem+json answer, a stable
 * `type`, the offending field named (validation problems), and no write of any kind: no row, no
 * audit record, no outbox entry, no event. A route mounted under /api/inventory without a case
 * here fails the suite, so a new route has to bring its bad-input case with it.
 */

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const V = 'validation';
const INV = '/api/inventory';

interface Fixtures {
  site: string;
  a: string;
  b: string;
  archived: string;
  widget: string;
  gadget: string;
  milk: string;
  drill: string;
  service: string;
  stdItem: string;
  oil: string;
  oilCategory: string;
  emptyCategory: string;
  emptyItem: string;
  lotOk: string;
  lotBlocked: string;
  issueLineId: string;
  receiptLineId: string;
  receiptMoveId: string;
  reversedMoveId: string;
  reversalMoveId: string;
  drainedReceiptId: string;
  activeReservation: string;
  releasedReservation: string;
  acme: string;
  boltCo: string;
  draftPo: string;
  orderedPo: string;
  orderedPoLineId: string;
}

interface Case {
  name: string;
  req: (f: Fixtures) => InjectOptions;
  status: number;
  type: string;
  /** For validation problems: exactly these fields are named (order and repeats ignored). */
  fields?: string[];
  /** The fields named include these (for routes whose full schema this suite does not pin down). */
  fieldsInclude?: string[];
  /** Run only when this route is mounted (routes being added concurrently). */
  requires?: string;
}

const json = (method: 'POST' | 'PUT' | 'PATCH', url: (f: Fixtures) => string, payload: (f: Fixtures) => unknown) => (f: Fixtures): InjectOptions => ({
  method,
  url: url(f),
  payload: payload(f) as never,
});
const post = (url: string, payload: (f: Fixtures) => unknown) => json('POST', () => url, payload);
const get = (url: (f: Fixtures) => string) => (f: Fixtures): InjectOptions => ({ method: 'GET', url: url(f) });
const del = (url: (f: Fixtures) => string) => (f: Fixtures): InjectOptions => ({ method: 'DELETE', url: url(f) });
const c = (s: string) => () => s;
const moves = (payload: (f: Fixtures) => Record<string, unknown>) => post(`${INV}/moves`, payload);
const receipt = (line: (f: Fixtures) => Record<string, unknown>) => moves((f) => ({ type: 'receipt', lines: [{ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a, ...line(f) }] }));
const issue = (line: (f: Fixtures) => Record<string, unknown>) => moves((f) => ({ type: 'issue', lines: [{ itemId: f.widget, qty: 1, fromLocationId: f.a, ...line(f) }] }));

const VALUATION_PREVIEW = `POST ${INV}/valuation/preview`;
const REPLENISHMENT_PREVIEW = `POST ${INV}/replenishment/preview`;
const R = (method: string, path: string) => `${method} ${INV}${path}`;

const cases: Case[] = [
  // ---- POST /moves: shape
  { name: 'POST /moves: invalid JSON', req: (): InjectOptions => ({ method: 'POST', url: `${INV}/moves`, payload: '{"type": "receipt",', headers: { 'content-type': 'application/json' } }), status: 400, type: 'malformed-request' },
  { name: 'POST /moves: type missing', req: moves((f) => ({ lines: [{ itemId: f.widget, qty: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['type'] },
  { name: 'POST /moves: unknown type', req: moves((f) => ({ type: 'gift', lines: [{ itemId: f.widget, qty: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['type'] },
  { name: 'POST /moves: unknown body property', req: moves((f) => ({ type: 'receipt', colour: 'red', lines: [{ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['colour'] },
  { name: 'POST /moves: lines missing', req: moves(() => ({ type: 'receipt' })), status: 400, type: V, fields: ['lines'] },
  { name: 'POST /moves: no lines', req: moves(() => ({ type: 'receipt', lines: [] })), status: 400, type: V, fields: ['lines'] },
  { name: 'POST /moves: lines not an array', req: moves((f) => ({ type: 'receipt', lines: { itemId: f.widget } })), status: 400, type: V, fields: ['lines'] },
  {
    name: 'POST /moves: more than 1000 lines',
    req: moves((f) => ({ type: 'receipt', lines: Array.from({ length: 1001 }, () => ({ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a })) })),
    status: 400,
    type: V,
    fields: ['lines'],
  },
  { name: 'POST /moves: unknown line property', req: receipt(() => ({ price: 3 })), status: 400, type: V, fields: ['lines.0.price'] },
  { name: 'POST /moves: itemId missing', req: moves((f) => ({ type: 'receipt', lines: [{ qty: 1, unitCost: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['lines.0.itemId'] },
  { name: 'POST /moves: malformed itemId', req: receipt(() => ({ itemId: 'widget-1' })), status: 400, type: V, fields: ['lines.0.itemId'] },
  { name: 'POST /moves: unknown item id', req: receipt(() => ({ itemId: NO_SUCH_ID })), status: 400, type: V, fields: ['lines.0.itemId'] },
  { name: 'POST /moves: malformed location id', req: receipt(() => ({ toLocationId: 'bin-a' })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: unknown location', req: receipt(() => ({ toLocationId: NO_SUCH_ID })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: receipt into an archived location', req: receipt((f) => ({ toLocationId: f.archived })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: qty missing', req: moves((f) => ({ type: 'receipt', lines: [{ itemId: f.widget, unitCost: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['lines.0.qty'] },
  { name: 'POST /moves: qty of the wrong type', req: receipt(() => ({ qty: true })), status: 400, type: V, fields: ['lines.0.qty'] },
  { name: 'POST /moves: qty not a decimal', req: receipt(() => ({ qty: '1,5' })), status: 400, type: V, fields: ['lines.0.qty'] },
  { name: 'POST /moves: qty 0', req: receipt(() => ({ qty: 0 })), status: 400, type: V, fields: ['lines.0.qty'] },
  { name: 'POST /moves: negative qty', req: receipt(() => ({ qty: '-3' })), status: 400, type: V, fields: ['lines.0.qty'] },
  {
    name: 'POST /moves: the bad line is named by its index',
    req: moves((f) => ({ type: 'receipt', lines: [{ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a }, { itemId: f.widget, qty: 0, unitCost: 1, toLocationId: f.a }] })),
    status: 400,
    type: V,
    fields: ['lines.1.qty'],
  },
  { name: 'POST /moves: negative unit cost', req: receipt(() => ({ unitCost: '-0.01' })), status: 400, type: V, fields: ['lines.0.unitCost'] },
  { name: 'POST /moves: unit cost not a decimal', req: receipt(() => ({ unitCost: 'cheap' })), status: 400, type: V, fields: ['lines.0.unitCost'] },
  { name: 'POST /moves: unit cost on an issue', req: issue(() => ({ unitCost: 1 })), status: 400, type: V, fields: ['lines.0.unitCost'] },
  { name: 'POST /moves: effectiveAt in the future', req: moves((f) => ({ type: 'receipt', effectiveAt: '2099-01-01T00:00:00Z', lines: [{ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['effectiveAt'] },
  { name: 'POST /moves: effectiveAt not a date-time', req: moves((f) => ({ type: 'receipt', effectiveAt: 'yesterday', lines: [{ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['effectiveAt'] },
  { name: 'POST /moves: reference too long', req: moves((f) => ({ type: 'receipt', reference: 'R'.repeat(201), lines: [{ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['reference'] },
  { name: 'POST /moves: note too long', req: moves((f) => ({ type: 'receipt', note: 'n'.repeat(2001), lines: [{ itemId: f.widget, qty: 1, unitCost: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['note'] },
  // ---- POST /moves: direction rules
  { name: 'POST /moves: receipt with a fromLocationId', req: receipt((f) => ({ fromLocationId: f.b })), status: 400, type: V, fields: ['lines.0.fromLocationId'] },
  { name: 'POST /moves: receipt without a toLocationId', req: moves((f) => ({ type: 'receipt', lines: [{ itemId: f.widget, qty: 1, unitCost: 1 }] })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: issue without a fromLocationId', req: moves((f) => ({ type: 'issue', lines: [{ itemId: f.widget, qty: 1 }] })), status: 400, type: V, fields: ['lines.0.fromLocationId'] },
  { name: 'POST /moves: issue with a toLocationId', req: issue((f) => ({ toLocationId: f.b })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: transfer to the same location', req: moves((f) => ({ type: 'transfer', lines: [{ itemId: f.widget, qty: 1, fromLocationId: f.a, toLocationId: f.a }] })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: transfer without a destination', req: moves((f) => ({ type: 'transfer', lines: [{ itemId: f.widget, qty: 1, fromLocationId: f.a }] })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: adjustment both ways at once', req: moves((f) => ({ type: 'adjustment', lines: [{ itemId: f.widget, qty: 1, fromLocationId: f.a, toLocationId: f.b }] })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: adjustment neither way', req: moves((f) => ({ type: 'adjustment', lines: [{ itemId: f.widget, qty: 1 }] })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  { name: 'POST /moves: count neither way', req: moves((f) => ({ type: 'count', lines: [{ itemId: f.widget, qty: 1 }] })), status: 400, type: V, fields: ['lines.0.toLocationId'] },
  // ---- POST /moves: items and units
  { name: 'POST /moves: a service item holds no stock', req: receipt((f) => ({ itemId: f.service })), status: 400, type: V, fields: ['lines.0.itemId'] },
  { name: 'POST /moves: unknown unit of measure', req: receipt(() => ({ uom: 'pallet' })), status: 400, type: V, fields: ['lines.0.uom'] },
  { name: 'POST /moves: empty unit of measure', req: receipt(() => ({ uom: '' })), status: 400, type: V, fields: ['lines.0.uom'] },
  { name: 'POST /moves: issue beyond stock', req: issue(() => ({ qty: 1000 })), status: 409, type: 'inventory/insufficient-stock' },
  { name: 'POST /moves: issue from a location with nothing', req: issue((f) => ({ fromLocationId: f.site })), status: 409, type: 'inventory/insufficient-stock' },
  { name: 'POST /moves: standard cost method without a standard cost', req: receipt((f) => ({ itemId: f.stdItem })), status: 409, type: 'inventory/standard-cost-missing' },
  // ---- POST /moves: lots
  { name: 'POST /moves: a lot on an untracked item', req: receipt(() => ({ lot: 'L-1' })), status: 400, type: V, fields: ['lines.0.lot'] },
  { name: 'POST /moves: an expiry date on an untracked item', req: receipt(() => ({ expiresOn: '2030-01-01' })), status: 400, type: V, fields: ['lines.0.lot'] },
  { name: 'POST /moves: a lot item received without a lot', req: receipt((f) => ({ itemId: f.milk })), status: 400, type: V, fields: ['lines.0.lot'] },
  { name: 'POST /moves: empty lot code', req: receipt((f) => ({ itemId: f.milk, lot: '' })), status: 400, type: V, fields: ['lines.0.lot'] },
  { name: 'POST /moves: expiresOn not a date', req: receipt((f) => ({ itemId: f.milk, lot: 'L-NEW', expiresOn: '31/12/2030' })), status: 400, type: V, fields: ['lines.0.expiresOn'] },
  { name: 'POST /moves: manufacturedOn not a date', req: receipt((f) => ({ itemId: f.milk, lot: 'L-NEW', manufacturedOn: 'last week' })), status: 400, type: V, fields: ['lines.0.manufacturedOn'] },
  { name: 'POST /moves: expiry conflicting with the existing lot', req: receipt((f) => ({ itemId: f.milk, lot: 'L-OK', expiresOn: '2098-01-01' })), status: 400, type: V, fields: ['lines.0.expiresOn'] },
  { name: 'POST /moves: issue of an unknown lot', req: issue((f) => ({ itemId: f.milk, lot: 'L-NOPE' })), status: 400, type: V, fields: ['lines.0.lot'] },
  { name: 'POST /moves: issue of a blocked lot', req: issue((f) => ({ itemId: f.milk, lot: 'L-BLOCKED' })), status: 409, type: 'inventory/lot-blocked' },
  { name: 'POST /moves: issue of an expired lot', req: issue((f) => ({ itemId: f.milk, lot: 'L-OLD' })), status: 409, type: 'inventory/lot-expired' },
  { name: 'POST /moves: FEFO issue beyond the usable lots', req: issue((f) => ({ itemId: f.milk, qty: 6 })), status: 409, type: 'inventory/insufficient-stock' },
  { name: 'POST /moves: allowExpired not a boolean', req: issue((f) => ({ itemId: f.milk, lot: 'L-OLD', allowExpired: 'yes' })), status: 400, type: V, fields: ['lines.0.allowExpired'] },
  // ---- POST /moves: serials
  { name: 'POST /moves: serials not matching qty', req: receipt((f) => ({ itemId: f.drill, qty: 2, serials: ['SN-9'] })), status: 400, type: V, fields: ['lines.0.serials'] },
  { name: 'POST /moves: serialized item without serials', req: receipt((f) => ({ itemId: f.drill })), status: 400, type: V, fields: ['lines.0.serials'] },
  { name: 'POST /moves: fractional qty of a serialized item', req: receipt((f) => ({ itemId: f.drill, qty: '1.5', serials: ['SN-9'] })), status: 400, type: V, fields: ['lines.0.serials'] },
  { name: 'POST /moves: the same serial twice', req: receipt((f) => ({ itemId: f.drill, qty: 2, serials: ['SN-7', 'SN-7'] })), status: 400, type: V, fields: ['lines.0.serials'] },
  { name: 'POST /moves: a blank serial', req: receipt((f) => ({ itemId: f.drill, serials: ['   '] })), status: 400, type: V, fields: ['lines.0.serials.0'] },
  { name: 'POST /moves: empty serial list', req: receipt((f) => ({ itemId: f.drill, serials: [] })), status: 400, type: V, fields: ['lines.0.serials'] },
  { name: 'POST /moves: serials on an untracked item', req: receipt(() => ({ serials: ['SN-1'] })), status: 400, type: V, fields: ['lines.0.serials'] },
  { name: 'POST /moves: receipt of a serial already in stock', req: receipt((f) => ({ itemId: f.drill, serials: ['SN-1'] })), status: 409, type: 'inventory/serial-in-stock' },
  { name: 'POST /moves: issue of a serial from the wrong location', req: issue((f) => ({ itemId: f.drill, fromLocationId: f.b, serials: ['SN-1'] })), status: 409, type: 'inventory/serial-not-here' },
  { name: 'POST /moves: issue of an unknown serial', req: issue((f) => ({ itemId: f.drill, serials: ['SN-404'] })), status: 409, type: 'inventory/serial-unknown' },
  // ---- POST /moves: returns and reservations
  { name: 'POST /moves: returnOfLineId on a receipt', req: receipt((f) => ({ returnOfLineId: f.issueLineId })), status: 400, type: V, fields: ['lines.0.returnOfLineId'] },
  { name: 'POST /moves: returnOfLineId not a line id', req: moves((f) => ({ type: 'customer-return', lines: [{ itemId: f.widget, qty: 1, toLocationId: f.a, returnOfLineId: 'abc' }] })), status: 400, type: V, fields: ['lines.0.returnOfLineId'] },
  { name: 'POST /moves: customer return naming neither origin nor cost', req: moves((f) => ({ type: 'customer-return', lines: [{ itemId: f.widget, qty: 1, toLocationId: f.a }] })), status: 400, type: V, fields: ['lines.0.returnOfLineId'] },
  { name: 'POST /moves: customer return of an unknown line', req: moves((f) => ({ type: 'customer-return', lines: [{ itemId: f.widget, qty: 1, toLocationId: f.a, returnOfLineId: '999999999' }] })), status: 400, type: V, fields: ['lines.0.returnOfLineId'] },
  { name: 'POST /moves: customer return of a receipt line', req: moves((f) => ({ type: 'customer-return', lines: [{ itemId: f.widget, qty: 1, toLocationId: f.a, returnOfLineId: f.receiptLineId }] })), status: 400, type: V, fields: ['lines.0.returnOfLineId'] },
  { name: 'POST /moves: customer return for another item', req: moves((f) => ({ type: 'customer-return', lines: [{ itemId: f.gadget, qty: 1, toLocationId: f.a, returnOfLineId: f.issueLineId }] })), status: 400, type: V, fields: ['lines.0.returnOfLineId'] },
  { name: 'POST /moves: customer return of more than was issued', req: moves((f) => ({ type: 'customer-return', lines: [{ itemId: f.widget, qty: 3, toLocationId: f.a, returnOfLineId: f.issueLineId }] })), status: 400, type: V, fields: ['lines.0.qty'] },
  { name: 'POST /moves: supplier return of an issue line', req: moves((f) => ({ type: 'supplier-return', lines: [{ itemId: f.widget, qty: 1, fromLocationId: f.a, returnOfLineId: f.issueLineId }] })), status: 400, type: V, fields: ['lines.0.returnOfLineId'] },
  { name: 'POST /moves: reservationId on a receipt', req: receipt((f) => ({ reservationId: f.activeReservation })), status: 400, type: V, fields: ['lines.0.reservationId'] },
  { name: 'POST /moves: malformed reservationId', req: issue(() => ({ reservationId: 'R-1' })), status: 400, type: V, fields: ['lines.0.reservationId'] },
  { name: 'POST /moves: unknown reservation', req: issue(() => ({ reservationId: NO_SUCH_ID })), status: 400, type: V, fields: ['lines.0.reservationId'] },
  { name: 'POST /moves: reservation of another item', req: issue((f) => ({ itemId: f.gadget, fromLocationId: f.b, reservationId: f.activeReservation })), status: 400, type: V, fields: ['lines.0.reservationId'] },
  { name: 'POST /moves: more than the reservation holds', req: issue((f) => ({ qty: 3, reservationId: f.activeReservation })), status: 400, type: V, fields: ['lines.0.reservationId'] },
  { name: 'POST /moves: a released reservation', req: issue((f) => ({ reservationId: f.releasedReservation })), status: 409, type: 'inventory/reservation-closed' },

  // ---- GET /moves
  { name: 'GET /moves: unknown type', req: get(c(`${INV}/moves?type=gift`)), status: 400, type: V, fields: ['type'] },
  { name: 'GET /moves: malformed itemId', req: get(c(`${INV}/moves?itemId=widget`)), status: 400, type: V, fields: ['itemId'] },
  { name: 'GET /moves: from not a date-time', req: get(c(`${INV}/moves?from=last-week`)), status: 400, type: V, fields: ['from'] },
  { name: 'GET /moves: limit above 500', req: get(c(`${INV}/moves?limit=501`)), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /moves: negative offset', req: get(c(`${INV}/moves?offset=-1`)), status: 400, type: V, fields: ['offset'] },
  { name: 'GET /moves: unknown parameter', req: get(c(`${INV}/moves?sort=number`)), status: 400, type: V, fields: ['sort'] },
  { name: 'GET /moves/:id malformed', req: get(c(`${INV}/moves/42`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /moves/:id unknown', req: get(c(`${INV}/moves/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  // ---- POST /moves/:id/reverse
  { name: 'POST /moves/:id/reverse malformed', req: json('POST', c(`${INV}/moves/42/reverse`), () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'POST /moves/:id/reverse unknown', req: json('POST', c(`${INV}/moves/${NO_SUCH_ID}/reverse`), () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /moves/:id/reverse unknown body property', req: json('POST', (f) => `${INV}/moves/${f.receiptMoveId}/reverse`, () => ({ reason: 'typo' })), status: 400, type: V, fields: ['reason'] },
  { name: 'POST /moves/:id/reverse effectiveAt in the future', req: json('POST', (f) => `${INV}/moves/${f.receiptMoveId}/reverse`, () => ({ effectiveAt: '2099-01-01T00:00:00Z' })), status: 400, type: V, fields: ['effectiveAt'] },
  { name: 'POST /moves/:id/reverse twice', req: json('POST', (f) => `${INV}/moves/${f.reversedMoveId}/reverse`, () => ({})), status: 409, type: 'inventory/move-already-reversed' },
  { name: 'POST /moves/:id/reverse of a reversal', req: json('POST', (f) => `${INV}/moves/${f.reversalMoveId}/reverse`, () => ({})), status: 409, type: 'inventory/reversal-not-reversible' },
  { name: 'POST /moves/:id/reverse of a receipt already issued', req: json('POST', (f) => `${INV}/moves/${f.drainedReceiptId}/reverse`, () => ({})), status: 409, type: 'inventory/insufficient-stock' },

  // ---- GET /stock, /items/:id/stock, /fefo, /serials
  { name: 'GET /stock: unknown groupBy', req: get(c(`${INV}/stock?groupBy=bin`)), status: 400, type: V, fields: ['groupBy'] },
  { name: 'GET /stock: includeZero not a boolean', req: get(c(`${INV}/stock?includeZero=perhaps`)), status: 400, type: V, fields: ['includeZero'] },
  { name: 'GET /stock: malformed locationId', req: get(c(`${INV}/stock?locationId=bin-a`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'GET /stock: q too long', req: get(c(`${INV}/stock?q=${'x'.repeat(201)}`)), status: 400, type: V, fields: ['q'] },
  { name: 'GET /stock: limit 0', req: get(c(`${INV}/stock?limit=0`)), status: 400, type: V, fields: ['limit'] },
  { name: 'GET /stock: unknown parameter', req: get(c(`${INV}/stock?warehouse=1`)), status: 400, type: V, fields: ['warehouse'] },
  { name: 'GET /items/:id/stock malformed', req: get(c(`${INV}/items/widget/stock`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /items/:id/stock unknown', req: get(c(`${INV}/items/${NO_SUCH_ID}/stock`)), status: 404, type: 'not-found' },
  { name: 'GET /fefo: nothing given', req: get(c(`${INV}/fefo`)), status: 400, type: V, fields: ['itemId', 'locationId', 'qty'] },
  { name: 'GET /fefo: qty 0', req: get((f) => `${INV}/fefo?itemId=${f.milk}&locationId=${f.a}&qty=0`), status: 400, type: V, fields: ['qty'] },
  { name: 'GET /fefo: qty not a decimal', req: get((f) => `${INV}/fefo?itemId=${f.milk}&locationId=${f.a}&qty=lots`), status: 400, type: V, fields: ['qty'] },
  { name: 'GET /fefo: malformed locationId', req: get((f) => `${INV}/fefo?itemId=${f.milk}&locationId=a&qty=1`), status: 400, type: V, fields: ['locationId'] },
  { name: 'GET /serials: inStock not a boolean', req: get(c(`${INV}/serials?inStock=perhaps`)), status: 400, type: V, fields: ['inStock'] },
  { name: 'GET /serials: empty serial', req: get(c(`${INV}/serials?serial=`)), status: 400, type: V, fields: ['serial'] },
  { name: 'GET /serials: malformed itemId', req: get(c(`${INV}/serials?itemId=drill`)), status: 400, type: V, fields: ['itemId'] },

  // ---- Lots
  { name: 'GET /lots: negative expiringWithinDays', req: get(c(`${INV}/lots?expiringWithinDays=-1`)), status: 400, type: V, fields: ['expiringWithinDays'] },
  { name: 'GET /lots: expiringWithinDays beyond 10 years', req: get(c(`${INV}/lots?expiringWithinDays=3651`)), status: 400, type: V, fields: ['expiringWithinDays'] },
  { name: 'GET /lots: expiringWithinDays not a number', req: get(c(`${INV}/lots?expiringWithinDays=soon`)), status: 400, type: V, fields: ['expiringWithinDays'] },
  { name: 'GET /lots: expired not a boolean', req: get(c(`${INV}/lots?expired=maybe`)), status: 400, type: V, fields: ['expired'] },
  { name: 'GET /lots/:id malformed', req: get(c(`${INV}/lots/L-OK`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /lots/:id unknown', req: get(c(`${INV}/lots/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /lots/:id empty body', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PATCH /lots/:id unknown property', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ code: 'L-RENAMED' })), status: 400, type: V, fields: ['code'] },
  { name: 'PATCH /lots/:id block without a reason', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ blocked: true })), status: 400, type: V, fields: ['blockReason'] },
  { name: 'PATCH /lots/:id block with a blank reason', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ blocked: true, blockReason: '   ' })), status: 400, type: V, fields: ['blockReason'] },
  { name: 'PATCH /lots/:id empty reason', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ blocked: true, blockReason: '' })), status: 400, type: V, fields: ['blockReason'] },
  { name: 'PATCH /lots/:id reason on a lot not blocked', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ blockReason: 'recall' })), status: 400, type: V, fields: ['blockReason'] },
  { name: 'PATCH /lots/:id blocked not a boolean', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ blocked: 'yes', blockReason: 'recall' })), status: 400, type: V, fields: ['blocked'] },
  { name: 'PATCH /lots/:id expiresOn not a date', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ expiresOn: 'soon' })), status: 400, type: V, fields: ['expiresOn'] },
  { name: 'PATCH /lots/:id made before it expires', req: json('PATCH', (f) => `${INV}/lots/${f.lotOk}`, () => ({ manufacturedOn: '2030-01-02', expiresOn: '2030-01-01' })), status: 400, type: V, fields: ['expiresOn'] },
  { name: 'PATCH /lots/:id malformed', req: json('PATCH', c(`${INV}/lots/L-OK`), () => ({ blocked: false })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /lots/:id unknown', req: json('PATCH', c(`${INV}/lots/${NO_SUCH_ID}`), () => ({ blocked: false })), status: 404, type: 'not-found' },
  { name: 'GET /lots/:id/trace malformed', req: get(c(`${INV}/lots/L-OK/trace`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /lots/:id/trace unknown', req: get(c(`${INV}/lots/${NO_SUCH_ID}/trace`)), status: 404, type: 'not-found' },

  // ---- Reservations
  { name: 'POST /reservations: nothing given', req: post(`${INV}/reservations`, () => ({})), status: 400, type: V, fields: ['itemId', 'locationId', 'qty'] },
  { name: 'POST /reservations: unknown property', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: 1, priority: 'high' })), status: 400, type: V, fields: ['priority'] },
  { name: 'POST /reservations: qty 0', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: 0 })), status: 400, type: V, fields: ['qty'] },
  { name: 'POST /reservations: negative qty', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: '-2' })), status: 400, type: V, fields: ['qty'] },
  { name: 'POST /reservations: qty of the wrong type', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: [1] })), status: 400, type: V, fields: ['qty'] },
  { name: 'POST /reservations: expiresAt in the past', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: 1, expiresAt: '2020-01-01T00:00:00Z' })), status: 400, type: V, fields: ['expiresAt'] },
  { name: 'POST /reservations: expiresAt not a date-time', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: 1, expiresAt: 'tomorrow' })), status: 400, type: V, fields: ['expiresAt'] },
  { name: 'POST /reservations: unknown item', req: post(`${INV}/reservations`, (f) => ({ itemId: NO_SUCH_ID, locationId: f.a, qty: 1 })), status: 400, type: V, fields: ['itemId'] },
  { name: 'POST /reservations: unknown location', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: NO_SUCH_ID, qty: 1 })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /reservations: a lot on an untracked item', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: 1, lot: 'L-OK' })), status: 400, type: V, fields: ['lot'] },
  { name: 'POST /reservations: an unknown lot', req: post(`${INV}/reservations`, (f) => ({ itemId: f.milk, locationId: f.a, qty: 1, lot: 'L-NOPE' })), status: 400, type: V, fields: ['lot'] },
  { name: 'POST /reservations: a serialized item', req: post(`${INV}/reservations`, (f) => ({ itemId: f.drill, locationId: f.a, qty: 1 })), status: 400, type: V, fields: ['itemId'] },
  { name: 'POST /reservations: more than is available', req: post(`${INV}/reservations`, (f) => ({ itemId: f.widget, locationId: f.a, qty: 1000 })), status: 409, type: 'inventory/insufficient-stock' },
  { name: 'POST /reservations: a blocked lot', req: post(`${INV}/reservations`, (f) => ({ itemId: f.milk, locationId: f.a, qty: 1, lot: 'L-BLOCKED' })), status: 409, type: 'inventory/insufficient-stock' },
  { name: 'GET /reservations: unknown status', req: get(c(`${INV}/reservations?status=open`)), status: 400, type: V, fields: ['status'] },
  { name: 'GET /reservations: malformed itemId', req: get(c(`${INV}/reservations?itemId=widget`)), status: 400, type: V, fields: ['itemId'] },
  { name: 'GET /reservations: unknown parameter', req: get(c(`${INV}/reservations?expired=true`)), status: 400, type: V, fields: ['expired'] },
  { name: 'GET /reservations/:id malformed', req: get(c(`${INV}/reservations/R-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /reservations/:id unknown', req: get(c(`${INV}/reservations/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'POST /reservations/:id/release malformed', req: json('POST', c(`${INV}/reservations/R-1/release`), () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'POST /reservations/:id/release unknown', req: json('POST', c(`${INV}/reservations/${NO_SUCH_ID}/release`), () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /reservations/:id/release twice', req: json('POST', (f) => `${INV}/reservations/${f.releasedReservation}/release`, () => ({})), status: 409, type: 'inventory/reservation-closed' },

  // ---- Settings
  { name: 'GET /items/:id/settings malformed', req: get(c(`${INV}/items/widget/settings`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /items/:id/settings unknown', req: get(c(`${INV}/items/${NO_SUCH_ID}/settings`)), status: 404, type: 'not-found' },
  { name: 'PUT /items/:id/settings empty body', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PUT /items/:id/settings unknown method', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ valuationMethod: 'hifo' })), status: 400, type: V, fields: ['valuationMethod'] },
  { name: 'PUT /items/:id/settings unknown property', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ currency: 'EUR' })), status: 400, type: V, fields: ['currency'] },
  { name: 'PUT /items/:id/settings negative standard cost', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ standardCost: '-1' })), status: 400, type: V, fields: ['standardCost'] },
  { name: 'PUT /items/:id/settings standard cost not a decimal', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ standardCost: 'ten' })), status: 400, type: V, fields: ['standardCost'] },
  { name: 'PUT /items/:id/settings standard method without a cost', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ valuationMethod: 'standard' })), status: 400, type: V, fields: ['standardCost'] },
  { name: 'PUT /items/:id/settings unit factor 0', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ units: [{ uom: 'box', factor: 0 }] })), status: 400, type: V, fields: ['units.0.factor'] },
  { name: 'PUT /items/:id/settings negative unit factor', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ units: [{ uom: 'box', factor: '-12' }] })), status: 400, type: V, fields: ['units.0.factor'] },
  { name: 'PUT /items/:id/settings the base unit as an alternative', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ units: [{ uom: 'ea', factor: 2 }] })), status: 400, type: V, fields: ['units.0.uom'] },
  { name: 'PUT /items/:id/settings a unit listed twice', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ units: [{ uom: 'box', factor: 12 }, { uom: ' box ', factor: 24 }] })), status: 400, type: V, fields: ['units.1.uom'] },
  { name: 'PUT /items/:id/settings a blank unit', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ units: [{ uom: '   ', factor: 2 }] })), status: 400, type: V, fields: ['units.0.uom'] },
  { name: 'PUT /items/:id/settings a unit without factor', req: json('PUT', (f) => `${INV}/items/${f.emptyItem}/settings`, () => ({ units: [{ uom: 'box' }] })), status: 400, type: V, fields: ['units.0.factor'] },
  { name: 'PUT /items/:id/settings method change with stock on hand', req: json('PUT', (f) => `${INV}/items/${f.widget}/settings`, () => ({ valuationMethod: 'lifo' })), status: 409, type: 'inventory/valuation-locked' },
  { name: 'PUT /items/:id/settings malformed', req: json('PUT', c(`${INV}/items/widget/settings`), () => ({ valuationMethod: 'fifo' })), status: 400, type: V, fields: ['id'] },
  { name: 'PUT /items/:id/settings unknown', req: json('PUT', c(`${INV}/items/${NO_SUCH_ID}/settings`), () => ({ valuationMethod: 'fifo' })), status: 404, type: 'not-found' },
  { name: 'PUT /categories/:id/settings method missing', req: json('PUT', (f) => `${INV}/categories/${f.emptyCategory}/settings`, () => ({})), status: 400, type: V, fields: ['valuationMethod'] },
  { name: 'PUT /categories/:id/settings unknown method', req: json('PUT', (f) => `${INV}/categories/${f.emptyCategory}/settings`, () => ({ valuationMethod: 'hifo' })), status: 400, type: V, fields: ['valuationMethod'] },
  { name: 'PUT /categories/:id/settings an inheriting item holds stock', req: json('PUT', (f) => `${INV}/categories/${f.oilCategory}/settings`, () => ({ valuationMethod: 'lifo' })), status: 409, type: 'inventory/valuation-locked' },
  { name: 'PUT /categories/:id/settings malformed', req: json('PUT', c(`${INV}/categories/fluids/settings`), () => ({ valuationMethod: 'fifo' })), status: 400, type: V, fields: ['id'] },
  { name: 'PUT /categories/:id/settings unknown', req: json('PUT', c(`${INV}/categories/${NO_SUCH_ID}/settings`), () => ({ valuationMethod: 'fifo' })), status: 404, type: 'not-found' },
  { name: 'GET /locations/:id/policy malformed', req: get(c(`${INV}/locations/bin-a/policy`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /locations/:id/policy unknown', req: get(c(`${INV}/locations/${NO_SUCH_ID}/policy`)), status: 404, type: 'not-found' },
  { name: 'PUT /locations/:id/policy allowNegative missing', req: json('PUT', (f) => `${INV}/locations/${f.b}/policy`, () => ({})), status: 400, type: V, fields: ['allowNegative'] },
  { name: 'PUT /locations/:id/policy allowNegative not a boolean', req: json('PUT', (f) => `${INV}/locations/${f.b}/policy`, () => ({ allowNegative: 'yes' })), status: 400, type: V, fields: ['allowNegative'] },
  { name: 'PUT /locations/:id/policy unknown', req: json('PUT', c(`${INV}/locations/${NO_SUCH_ID}/policy`), () => ({ allowNegative: true })), status: 404, type: 'not-found' },

  // ---- Reports
  { name: 'GET /reports/valuation: asOf not a date', req: get(c(`${INV}/reports/valuation?asOf=yesterday`)), status: 400, type: V, fields: ['asOf'] },
  { name: 'GET /reports/valuation: unknown groupBy', req: get(c(`${INV}/reports/valuation?groupBy=supplier`)), status: 400, type: V, fields: ['groupBy'] },
  { name: 'GET /reports/valuation: malformed locationId', req: get(c(`${INV}/reports/valuation?groupBy=location&locationId=a`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'GET /reports/cogs: period missing', req: get(c(`${INV}/reports/cogs`)), status: 400, type: V, fields: ['from', 'to'] },
  { name: 'GET /reports/cogs: to before from', req: get(c(`${INV}/reports/cogs?from=2026-02-01&to=2026-01-01`)), status: 400, type: V, fields: ['to'] },
  { name: 'GET /reports/cogs: from is a date-time', req: get(c(`${INV}/reports/cogs?from=2026-01-01T00:00:00Z&to=2026-01-31`)), status: 400, type: V, fields: ['from'] },
  { name: 'GET /reports/cogs: unknown groupBy', req: get(c(`${INV}/reports/cogs?from=2026-01-01&to=2026-01-31&groupBy=week`)), status: 400, type: V, fields: ['groupBy'] },

  // ---- What-if calculators (guarded: they were being added while this suite was written)
  {
    name: 'POST /valuation/preview: unknown method',
    requires: VALUATION_PREVIEW,
    req: post(`${INV}/valuation/preview`, () => ({ method: 'hifo', system: 'perpetual', moves: [{ type: 'in', qty: 1, unitCost: 1 }] })),
    status: 400,
    type: V,
    fields: ['method'],
  },
  {
    name: 'POST /valuation/preview: unknown property',
    requires: VALUATION_PREVIEW,
    req: post(`${INV}/valuation/preview`, () => ({ method: 'fifo', system: 'perpetual', currency: 'EUR', moves: [{ type: 'in', qty: 1, unitCost: 1 }] })),
    status: 400,
    type: V,
    fields: ['currency'],
  },
  {
    name: 'POST /valuation/preview: issuing more than the sequence received',
    requires: VALUATION_PREVIEW,
    req: post(`${INV}/valuation/preview`, () => ({ method: 'fifo', system: 'perpetual', moves: [{ type: 'in', qty: 1, unitCost: 1 }, { type: 'out', qty: 2 }] })),
    status: 422,
    type: 'inventory/invalid-move-sequence',
    fields: ['moves.1.qty'],
  },
  {
    name: 'POST /replenishment/preview: unknown property',
    requires: REPLENISHMENT_PREVIEW,
    req: post(`${INV}/replenishment/preview`, () => ({ annualDemand: 1000, orderCost: 50, holdingCostPerUnitYear: 2, currency: 'EUR' })),
    status: 400,
    type: V,
    fields: ['currency'],
  },
  {
    name: 'POST /replenishment/preview: both serviceLevel and z',
    requires: REPLENISHMENT_PREVIEW,
    req: post(`${INV}/replenishment/preview`, () => ({ annualDemand: 1000, orderCost: 50, holdingCostPerUnitYear: 2, demandStdDevPerPeriod: 5, leadTimePeriods: 2, serviceLevel: 0.95, z: 1.65 })),
    status: 400,
    type: V,
    fields: ['z'],
  },
  {
    name: 'POST /replenishment/preview: nothing given',
    requires: REPLENISHMENT_PREVIEW,
    req: post(`${INV}/replenishment/preview`, () => ({})),
    status: 400,
    type: V,
    fieldsInclude: ['annualDemand', 'orderCost', 'holdingCostPerUnitYear'],
  },
  {
    name: 'POST /replenishment/preview: demand of the wrong type',
    requires: REPLENISHMENT_PREVIEW,
    req: post(`${INV}/replenishment/preview`, () => ({ annualDemand: { perYear: 1000 }, orderCost: 50, holdingCostPerUnitYear: 2 })),
    status: 400,
    type: V,
    fieldsInclude: ['annualDemand'],
  },

  // ---- Counts and ABC classification
  { name: 'POST /counts: nothing given', req: post(`${INV}/counts`, () => ({})), status: 400, type: V, fields: ['name', 'kind', 'locationId'] },
  { name: 'POST /counts: blank name', req: post(`${INV}/counts`, (f) => ({ name: '   ', kind: 'cycle', locationId: f.a })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /counts: unknown kind', req: post(`${INV}/counts`, (f) => ({ name: 'Q1', kind: 'partial', locationId: f.a })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /counts: tolerance above 1', req: post(`${INV}/counts`, (f) => ({ name: 'Q1', kind: 'cycle', locationId: f.a, recountTolerance: 2 })), status: 400, type: V, fields: ['recountTolerance'] },
  { name: 'POST /counts: unknown location', req: post(`${INV}/counts`, () => ({ name: 'Q1', kind: 'cycle', locationId: NO_SUCH_ID })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /counts: a full stocktake of chosen items', req: post(`${INV}/counts`, (f) => ({ name: 'Q1', kind: 'full', locationId: f.a, itemIds: [f.widget] })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /counts: unknown property', req: post(`${INV}/counts`, (f) => ({ name: 'Q1', kind: 'cycle', locationId: f.a, owner: 'me' })), status: 400, type: V, fields: ['owner'] },
  { name: 'GET /counts: unknown status', req: get(c(`${INV}/counts?status=open`)), status: 400, type: V, fields: ['status'] },
  { name: 'GET /counts/due: malformed locationId', req: get(c(`${INV}/counts/due?locationId=bin-a`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'GET /counts/:id malformed', req: get(c(`${INV}/counts/C-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /counts/:id unknown', req: get(c(`${INV}/counts/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'POST /counts/:id/entries malformed', req: post(`${INV}/counts/C-1/entries`, () => ({ entries: [{ lineId: '1', countedQty: 1 }] })), status: 400, type: V, fields: ['id'] },
  { name: 'POST /counts/:id/entries no entries', req: post(`${INV}/counts/${NO_SUCH_ID}/entries`, () => ({ entries: [] })), status: 400, type: V, fields: ['entries'] },
  { name: 'POST /counts/:id/entries counted qty not a decimal', req: post(`${INV}/counts/${NO_SUCH_ID}/entries`, () => ({ entries: [{ lineId: '1', countedQty: 'a dozen' }] })), status: 400, type: V, fields: ['entries.0.countedQty'] },
  { name: 'POST /counts/:id/entries unknown count', req: post(`${INV}/counts/${NO_SUCH_ID}/entries`, () => ({ entries: [{ lineId: '1', countedQty: 1 }] })), status: 404, type: 'not-found' },
  { name: 'POST /counts/:id/finish unknown property', req: post(`${INV}/counts/${NO_SUCH_ID}/finish`, () => ({ force: true })), status: 400, type: V, fields: ['force'] },
  { name: 'POST /counts/:id/finish unknown count', req: post(`${INV}/counts/${NO_SUCH_ID}/finish`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /counts/:id/post malformed', req: post(`${INV}/counts/C-1/post`, () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'POST /counts/:id/post unknown count', req: post(`${INV}/counts/${NO_SUCH_ID}/post`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /counts/:id/cancel malformed', req: post(`${INV}/counts/C-1/cancel`, () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'POST /counts/:id/cancel unknown count', req: post(`${INV}/counts/${NO_SUCH_ID}/cancel`, () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /abc/classify: aShare of 1', req: post(`${INV}/abc/classify`, () => ({ aShare: 1 })), status: 400, type: V, fields: ['aShare'] },
  { name: 'POST /abc/classify: shares above 1', req: post(`${INV}/abc/classify`, () => ({ aShare: 0.9, bShare: 0.2 })), status: 400, type: V, fields: ['bShare'] },
  { name: 'POST /abc/classify: period of 0 days', req: post(`${INV}/abc/classify`, () => ({ periodDays: 0 })), status: 400, type: V, fields: ['periodDays'] },
  { name: 'POST /abc/classify: unknown property', req: post(`${INV}/abc/classify`, () => ({ classes: 4 })), status: 400, type: V, fields: ['classes'] },

  // ---- Suppliers, reorder rules, suggestions
  { name: 'GET /suppliers: includeArchived not a boolean', req: get(c(`${INV}/suppliers?includeArchived=maybe`)), status: 400, type: V, fields: ['includeArchived'] },
  { name: 'GET /suppliers: unknown parameter', req: get(c(`${INV}/suppliers?country=NL`)), status: 400, type: V, fields: ['country'] },
  { name: 'POST /suppliers: name missing', req: post(`${INV}/suppliers`, () => ({})), status: 400, type: V, fields: ['name'] },
  { name: 'POST /suppliers: blank name', req: post(`${INV}/suppliers`, () => ({ name: '   ' })), status: 400, type: V, fields: ['name'] },
  { name: 'POST /suppliers: currency not an ISO code', req: post(`${INV}/suppliers`, () => ({ name: 'Zeta', currency: 'euro' })), status: 400, type: V, fields: ['currency'] },
  { name: 'POST /suppliers: email not an email', req: post(`${INV}/suppliers`, () => ({ name: 'Zeta', email: 'sales at zeta' })), status: 400, type: V, fields: ['email'] },
  { name: 'POST /suppliers: negative lead time', req: post(`${INV}/suppliers`, () => ({ name: 'Zeta', leadTimeDays: -1 })), status: 400, type: V, fields: ['leadTimeDays'] },
  { name: 'POST /suppliers: unknown property', req: post(`${INV}/suppliers`, () => ({ name: 'Zeta', vat: 'NL1' })), status: 400, type: V, fields: ['vat'] },
  { name: 'POST /suppliers: name taken', req: post(`${INV}/suppliers`, () => ({ name: 'ACME' })), status: 409, type: 'inventory/supplier-exists' },
  { name: 'GET /suppliers/:id malformed', req: get(c(`${INV}/suppliers/acme`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /suppliers/:id unknown', req: get(c(`${INV}/suppliers/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /suppliers/:id empty body', req: json('PATCH', (f) => `${INV}/suppliers/${f.acme}`, () => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PATCH /suppliers/:id blank name', req: json('PATCH', (f) => `${INV}/suppliers/${f.acme}`, () => ({ name: ' ' })), status: 400, type: V, fields: ['name'] },
  { name: "PATCH /suppliers/:id another supplier's code", req: json('PATCH', (f) => `${INV}/suppliers/${f.acme}`, () => ({ code: 'BOLT' })), status: 409, type: 'inventory/supplier-exists' },
  { name: 'PATCH /suppliers/:id malformed', req: json('PATCH', c(`${INV}/suppliers/acme`), () => ({ name: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /suppliers/:id unknown', req: json('PATCH', c(`${INV}/suppliers/${NO_SUCH_ID}`), () => ({ name: 'x' })), status: 404, type: 'not-found' },
  { name: 'GET /supplier-items: neither supplier nor item', req: get(c(`${INV}/supplier-items`)), status: 400, type: V, fields: ['(root)'] },
  { name: 'GET /supplier-items: malformed supplierId', req: get(c(`${INV}/supplier-items?supplierId=acme`)), status: 400, type: V, fields: ['supplierId'] },
  { name: 'PUT /suppliers/:id/items/:itemId malformed itemId', req: json('PUT', (f) => `${INV}/suppliers/${f.acme}/items/widget`, () => ({ unitPrice: 1 })), status: 400, type: V, fields: ['itemId'] },
  { name: 'PUT /suppliers/:id/items/:itemId price missing', req: json('PUT', (f) => `${INV}/suppliers/${f.acme}/items/${f.gadget}`, () => ({})), status: 400, type: V, fields: ['unitPrice'] },
  { name: 'PUT /suppliers/:id/items/:itemId negative price', req: json('PUT', (f) => `${INV}/suppliers/${f.acme}/items/${f.gadget}`, () => ({ unitPrice: '-1' })), status: 400, type: V, fields: ['unitPrice'] },
  { name: 'PUT /suppliers/:id/items/:itemId unknown unit', req: json('PUT', (f) => `${INV}/suppliers/${f.acme}/items/${f.gadget}`, () => ({ unitPrice: 1, uom: 'crate' })), status: 400, type: V, fields: ['uom'] },
  { name: 'PUT /suppliers/:id/items/:itemId minimum order 0', req: json('PUT', (f) => `${INV}/suppliers/${f.acme}/items/${f.gadget}`, () => ({ unitPrice: 1, minOrderQty: 0 })), status: 400, type: V, fields: ['minOrderQty'] },
  { name: 'PUT /suppliers/:id/items/:itemId unknown supplier', req: json('PUT', (f) => `${INV}/suppliers/${NO_SUCH_ID}/items/${f.gadget}`, () => ({ unitPrice: 1 })), status: 404, type: 'not-found' },
  { name: 'PUT /suppliers/:id/items/:itemId unknown item', req: json('PUT', (f) => `${INV}/suppliers/${f.acme}/items/${NO_SUCH_ID}`, () => ({ unitPrice: 1 })), status: 404, type: 'not-found' },
  { name: 'GET /reorder-rules: belowReorderPoint not a boolean', req: get(c(`${INV}/reorder-rules?belowReorderPoint=maybe`)), status: 400, type: V, fields: ['belowReorderPoint'] },
  { name: 'PUT /reorder-rules: nothing given', req: json('PUT', c(`${INV}/reorder-rules`), () => ({})), status: 400, type: V, fields: ['itemId', 'locationId', 'kind'] },
  { name: 'PUT /reorder-rules: min-max without min and max', req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: f.widget, locationId: f.a, kind: 'min-max' })), status: 400, type: V, fields: ['min', 'max'] },
  { name: 'PUT /reorder-rules: max below min', req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: f.widget, locationId: f.a, kind: 'min-max', min: 10, max: 5 })), status: 400, type: V, fields: ['max'] },
  { name: 'PUT /reorder-rules: reorder point without an order quantity rule', req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: f.widget, locationId: f.a, kind: 'reorder-point', reorderPoint: 5 })), status: 400, type: V, fields: ['orderQty'] },
  {
    name: 'PUT /reorder-rules: EOQ with only the order cost',
    req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: f.widget, locationId: f.a, kind: 'reorder-point', reorderPoint: 5, orderCost: 40 })),
    status: 400,
    type: V,
    fields: ['orderQty', 'holdingCostPerUnitYear'],
  },
  { name: 'PUT /reorder-rules: service level of 1', req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: f.widget, locationId: f.a, kind: 'reorder-point', orderQty: 10, serviceLevel: 1 })), status: 400, type: V, fields: ['serviceLevel'] },
  { name: 'PUT /reorder-rules: unknown kind', req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: f.widget, locationId: f.a, kind: 'kanban' })), status: 400, type: V, fields: ['kind'] },
  { name: 'PUT /reorder-rules: unknown item', req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: NO_SUCH_ID, locationId: f.a, kind: 'min-max', min: 1, max: 5 })), status: 400, type: V, fields: ['itemId'] },
  { name: 'PUT /reorder-rules: unknown supplier', req: json('PUT', c(`${INV}/reorder-rules`), (f) => ({ itemId: f.widget, locationId: f.a, kind: 'min-max', min: 1, max: 5, supplierId: NO_SUCH_ID })), status: 400, type: V, fields: ['supplierId'] },
  { name: 'DELETE /reorder-rules/:id malformed', req: del(c(`${INV}/reorder-rules/rule-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'DELETE /reorder-rules/:id unknown', req: del(c(`${INV}/reorder-rules/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'GET /replenishment/suggestions: malformed locationId', req: get(c(`${INV}/replenishment/suggestions?locationId=a`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'GET /replenishment/suggestions: unknown parameter', req: get(c(`${INV}/replenishment/suggestions?urgent=true`)), status: 400, type: V, fields: ['urgent'] },
  { name: 'POST /replenishment/purchase-orders: no rule ids', req: post(`${INV}/replenishment/purchase-orders`, () => ({ ruleIds: [] })), status: 400, type: V, fields: ['ruleIds'] },
  { name: 'POST /replenishment/purchase-orders: malformed rule id', req: post(`${INV}/replenishment/purchase-orders`, () => ({ ruleIds: ['rule-1'] })), status: 400, type: V, fields: ['ruleIds.0'] },
  { name: 'POST /replenishment/purchase-orders: unknown property', req: post(`${INV}/replenishment/purchase-orders`, () => ({ dryRun: true })), status: 400, type: V, fields: ['dryRun'] },

  // ---- Purchase orders
  { name: 'GET /purchase-orders: unknown status', req: get(c(`${INV}/purchase-orders?status=open`)), status: 400, type: V, fields: ['status'] },
  { name: 'GET /purchase-orders: malformed supplierId', req: get(c(`${INV}/purchase-orders?supplierId=acme`)), status: 400, type: V, fields: ['supplierId'] },
  { name: 'POST /purchase-orders: nothing given', req: post(`${INV}/purchase-orders`, () => ({})), status: 400, type: V, fields: ['supplierId', 'locationId', 'lines'] },
  { name: 'POST /purchase-orders: no lines', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: f.acme, locationId: f.a, lines: [] })), status: 400, type: V, fields: ['lines'] },
  { name: 'POST /purchase-orders: expectedOn not a date', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: f.acme, locationId: f.a, expectedOn: 'next week', lines: [{ itemId: f.widget, qty: 1 }] })), status: 400, type: V, fields: ['expectedOn'] },
  { name: 'POST /purchase-orders: unknown supplier', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: NO_SUCH_ID, locationId: f.a, lines: [{ itemId: f.widget, qty: 1 }] })), status: 400, type: V, fields: ['supplierId'] },
  { name: 'POST /purchase-orders: archived location', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: f.acme, locationId: f.archived, lines: [{ itemId: f.widget, qty: 1 }] })), status: 400, type: V, fields: ['locationId'] },
  { name: 'POST /purchase-orders: unknown item', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: f.acme, locationId: f.a, lines: [{ itemId: NO_SUCH_ID, qty: 1, unitPrice: 1 }] })), status: 400, type: V, fields: ['lines.0.itemId'] },
  { name: 'POST /purchase-orders: qty 0', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: f.acme, locationId: f.a, lines: [{ itemId: f.widget, qty: 0 }] })), status: 400, type: V, fields: ['lines.0.qty'] },
  { name: 'POST /purchase-orders: no price from the line or the supplier', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: f.acme, locationId: f.a, lines: [{ itemId: f.gadget, qty: 1 }] })), status: 400, type: V, fields: ['lines.0.unitPrice'] },
  { name: 'POST /purchase-orders: negative price', req: post(`${INV}/purchase-orders`, (f) => ({ supplierId: f.acme, locationId: f.a, lines: [{ itemId: f.gadget, qty: 1, unitPrice: '-2' }] })), status: 400, type: V, fields: ['lines.0.unitPrice'] },
  { name: 'GET /purchase-orders/:id malformed', req: get(c(`${INV}/purchase-orders/PO-1`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /purchase-orders/:id unknown', req: get(c(`${INV}/purchase-orders/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'PATCH /purchase-orders/:id empty body', req: json('PATCH', (f) => `${INV}/purchase-orders/${f.draftPo}`, () => ({})), status: 400, type: V, fields: ['(root)'] },
  { name: 'PATCH /purchase-orders/:id an ordered one', req: json('PATCH', (f) => `${INV}/purchase-orders/${f.orderedPo}`, () => ({ note: 'rush' })), status: 409, type: 'inventory/purchase-order-state' },
  { name: 'PATCH /purchase-orders/:id malformed', req: json('PATCH', c(`${INV}/purchase-orders/PO-1`), () => ({ note: 'x' })), status: 400, type: V, fields: ['id'] },
  { name: 'PATCH /purchase-orders/:id unknown', req: json('PATCH', c(`${INV}/purchase-orders/${NO_SUCH_ID}`), () => ({ note: 'x' })), status: 404, type: 'not-found' },
  { name: 'POST /purchase-orders/:id/order twice', req: json('POST', (f) => `${INV}/purchase-orders/${f.orderedPo}/order`, () => ({})), status: 409, type: 'inventory/purchase-order-state' },
  { name: 'POST /purchase-orders/:id/order unknown', req: json('POST', c(`${INV}/purchase-orders/${NO_SUCH_ID}/order`), () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /purchase-orders/:id/close a draft', req: json('POST', (f) => `${INV}/purchase-orders/${f.draftPo}/close`, () => ({})), status: 409, type: 'inventory/purchase-order-state' },
  { name: 'POST /purchase-orders/:id/close malformed', req: json('POST', c(`${INV}/purchase-orders/PO-1/close`), () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'POST /purchase-orders/:id/cancel malformed', req: json('POST', c(`${INV}/purchase-orders/PO-1/cancel`), () => ({})), status: 400, type: V, fields: ['id'] },
  { name: 'POST /purchase-orders/:id/cancel unknown', req: json('POST', c(`${INV}/purchase-orders/${NO_SUCH_ID}/cancel`), () => ({})), status: 404, type: 'not-found' },
  { name: 'POST /purchase-orders/:id/receive lines missing', req: json('POST', (f) => `${INV}/purchase-orders/${f.orderedPo}/receive`, () => ({})), status: 400, type: V, fields: ['lines'] },
  { name: 'POST /purchase-orders/:id/receive a draft', req: json('POST', (f) => `${INV}/purchase-orders/${f.draftPo}/receive`, () => ({ lines: [{ lineId: '1', qty: 1 }] })), status: 409, type: 'inventory/purchase-order-state' },
  { name: 'POST /purchase-orders/:id/receive a line of another order', req: json('POST', (f) => `${INV}/purchase-orders/${f.orderedPo}/receive`, () => ({ lines: [{ lineId: '999999', qty: 1 }] })), status: 400, type: V, fields: ['lines.0.lineId'] },
  { name: 'POST /purchase-orders/:id/receive qty 0', req: json('POST', (f) => `${INV}/purchase-orders/${f.orderedPo}/receive`, (f) => ({ lines: [{ lineId: f.orderedPoLineId, qty: 0 }] })), status: 400, type: V, fields: ['lines.0.qty'] },
  { name: 'POST /purchase-orders/:id/receive more than ordered', req: json('POST', (f) => `${INV}/purchase-orders/${f.orderedPo}/receive`, (f) => ({ lines: [{ lineId: f.orderedPoLineId, qty: 6 }] })), status: 409, type: 'inventory/over-delivery' },
  { name: 'POST /purchase-orders/:id/receive effectiveAt in the future', req: json('POST', (f) => `${INV}/purchase-orders/${f.orderedPo}/receive`, (f) => ({ effectiveAt: '2099-01-01T00:00:00Z', lines: [{ lineId: f.orderedPoLineId, qty: 1 }] })), status: 400, type: V, fields: ['effectiveAt'] },
  { name: 'POST /purchase-orders/:id/receive malformed', req: json('POST', c(`${INV}/purchase-orders/PO-1/receive`), () => ({ lines: [{ lineId: '1', qty: 1 }] })), status: 400, type: V, fields: ['id'] },
  { name: 'POST /purchase-orders/:id/receive unknown', req: json('POST', c(`${INV}/purchase-orders/${NO_SUCH_ID}/receive`), () => ({ lines: [{ lineId: '1', qty: 1 }] })), status: 404, type: 'not-found' },

  // ---- Periodic report
  { name: 'GET /reports/periodic: nothing given', req: get(c(`${INV}/reports/periodic`)), status: 400, type: V, fields: ['from', 'to', 'method'] },
  { name: 'GET /reports/periodic: unknown method', req: get(c(`${INV}/reports/periodic?from=2026-01-01&to=2026-01-31&method=avco`)), status: 400, type: V, fields: ['method'] },
  // ---- Imports, exports and reports
  { name: 'POST /imports: unknown kind', req: post(`${INV}/imports`, () => ({ kind: 'assets', csv: 'sku,name\nA,B' })), status: 400, type: V, fields: ['kind'] },
  { name: 'POST /imports: unknown column', req: post(`${INV}/imports`, () => ({ kind: 'items', csv: 'sku,name,colour\nA,B,red' })), status: 422, type: 'inventory/invalid-csv' },
  { name: 'GET /imports: unknown status', req: get(c(`${INV}/imports?status=running`)), status: 400, type: V, fields: ['status'] },
  { name: 'GET /imports/:id: unknown', req: get(c(`${INV}/imports/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'GET /imports/:id/errors.csv: malformed id', req: get(c(`${INV}/imports/42/errors.csv`)), status: 400, type: V, fields: ['id'] },
  { name: 'GET /export/stock.csv: unknown groupBy', req: get(c(`${INV}/export/stock.csv?groupBy=bin`)), status: 400, type: V, fields: ['groupBy'] },
  { name: 'GET /export/moves.csv: unknown type', req: get(c(`${INV}/export/moves.csv?type=gift`)), status: 400, type: V, fields: ['type'] },
  { name: 'GET /export/lots.csv: unknown filter', req: get(c(`${INV}/export/lots.csv?colour=red`)), status: 400, type: V, fields: ['colour'] },
  { name: 'GET /export/reservations.csv: unknown status', req: get(c(`${INV}/export/reservations.csv?status=open`)), status: 400, type: V, fields: ['status'] },
  { name: 'GET /export/counts.csv: malformed countId', req: get(c(`${INV}/export/counts.csv?countId=42`)), status: 400, type: V, fields: ['countId'] },
  { name: 'GET /reports/turnover: period missing', req: get(c(`${INV}/reports/turnover`)), status: 400, type: V, fields: ['from', 'to'] },
  { name: 'GET /reports/slow-moving: deadDays below days', req: get(c(`${INV}/reports/slow-moving?days=100&deadDays=50`)), status: 400, type: V, fields: ['deadDays'] },
  { name: 'GET /reports/stock-outs: to before from', req: get(c(`${INV}/reports/stock-outs?from=2026-06-30&to=2026-06-01`)), status: 400, type: V, fields: ['to'] },
];

/** The permission each route states (routes not listed must state one of the plugin's permissions). */
const ROUTE_PERMISSIONS: Record<string, string> = {
  [`POST ${INV}/moves`]: permissions.movesPost,
  [`GET ${INV}/moves`]: permissions.stockRead,
  [`GET ${INV}/moves/:id`]: permissions.stockRead,
  [`POST ${INV}/moves/:id/reverse`]: permissions.movesReverse,
  [`GET ${INV}/stock`]: permissions.stockRead,
  [`GET ${INV}/items/:id/stock`]: permissions.stockRead,
  [`GET ${INV}/fefo`]: permissions.stockRead,
  [`GET ${INV}/serials`]: permissions.stockRead,
  [`GET ${INV}/lots`]: permissions.stockRead,
  [`GET ${INV}/lots/:id`]: permissions.stockRead,
  [`PATCH ${INV}/lots/:id`]: permissions.lotsWrite,
  [`GET ${INV}/lots/:id/trace`]: permissions.stockRead,
  [`POST ${INV}/reservations`]: permissions.reservationsWrite,
  [`GET ${INV}/reservations`]: permissions.stockRead,
  [`GET ${INV}/reservations/:id`]: permissions.stockRead,
  [`POST ${INV}/reservations/:id/release`]: permissions.reservationsWrite,
  [`GET ${INV}/items/:id/settings`]: permissions.stockRead,
  [`PUT ${INV}/items/:id/settings`]: permissions.settingsWrite,
  [`PUT ${INV}/categories/:id/settings`]: permissions.settingsWrite,
  [`GET ${INV}/locations/:id/policy`]: permissions.stockRead,
  [`PUT ${INV}/locations/:id/policy`]: permissions.settingsWrite,
  [`GET ${INV}/reports/valuation`]: permissions.valuationRead,
  [`GET ${INV}/reports/cogs`]: permissions.valuationRead,
  [VALUATION_PREVIEW]: permissions.valuationRead,
  [R('POST', '/counts')]: permissions.countsWrite,
  [R('GET', '/counts')]: permissions.stockRead,
  [R('GET', '/counts/due')]: permissions.stockRead,
  [R('GET', '/counts/:id')]: permissions.stockRead,
  [R('POST', '/counts/:id/entries')]: permissions.countsWrite,
  [R('POST', '/counts/:id/finish')]: permissions.countsWrite,
  [R('POST', '/counts/:id/post')]: permissions.countsPost,
  [R('POST', '/counts/:id/cancel')]: permissions.countsWrite,
  [R('POST', '/abc/classify')]: permissions.settingsWrite,
  [R('GET', '/suppliers')]: permissions.stockRead,
  [R('POST', '/suppliers')]: permissions.replenishmentWrite,
  [R('GET', '/suppliers/:id')]: permissions.stockRead,
  [R('PATCH', '/suppliers/:id')]: permissions.replenishmentWrite,
  [R('GET', '/supplier-items')]: permissions.stockRead,
  [R('PUT', '/suppliers/:id/items/:itemId')]: permissions.replenishmentWrite,
  [R('GET', '/reorder-rules')]: permissions.stockRead,
  [R('PUT', '/reorder-rules')]: permissions.replenishmentWrite,
  [R('DELETE', '/reorder-rules/:id')]: permissions.replenishmentWrite,
  [R('GET', '/replenishment/suggestions')]: permissions.stockRead,
  [R('POST', '/replenishment/purchase-orders')]: permissions.purchasingWrite,
  [R('GET', '/purchase-orders')]: permissions.stockRead,
  [R('POST', '/purchase-orders')]: permissions.purchasingWrite,
  [R('GET', '/purchase-orders/:id')]: permissions.stockRead,
  [R('PATCH', '/purchase-orders/:id')]: permissions.purchasingWrite,
  [R('POST', '/purchase-orders/:id/order')]: permissions.purchasingWrite,
  [R('POST', '/purchase-orders/:id/close')]: permissions.purchasingWrite,
  [R('POST', '/purchase-orders/:id/cancel')]: permissions.purchasingWrite,
  [R('POST', '/purchase-orders/:id/receive')]: permissions.purchasingReceive,
  [R('GET', '/reports/periodic')]: permissions.valuationRead,
  [R('POST', '/imports')]: permissions.importRun,
  [R('GET', '/imports')]: permissions.importRun,
  [R('GET', '/imports/:id')]: permissions.importRun,
  [R('GET', '/imports/:id/errors.csv')]: permissions.importRun,
  [R('GET', '/reports/turnover')]: permissions.valuationRead,
  [REPLENISHMENT_PREVIEW]: permissions.stockRead,
};

async function userWith(t: TestPlatform, email: string, perms: string[]): Promise<TestSession> {
  const role = await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions: perms } });
  expect(role.statusCode, role.body).toBe(201);
  const password = 'a long enough password';
  const user = await t.request({ method: 'POST', url: '/api/core/users', payload: { email, name: email, password, roleIds: [role.json().id] } });
  expect(user.statusCode, user.body).toBe(201);
  return t.login(email, password);
}

describe('bad input to every inventory route', () => {
  let t: TestPlatform;
  let routes: string[];
  let nobody: TestSession;
  let viewer: TestSession;
  const f = {} as Fixtures;

  beforeAll(async () => {
    t = await bootInventory();
    const call = caller(t);
    routes = mountedRoutes(t, INV);

    f.site = await location(t, 'Main DC', 'site');
    f.a = await location(t, 'Bin A', 'bin', f.site);
    f.b = await location(t, 'Bin B', 'bin', f.site);
    f.archived = await location(t, 'Old bin', 'bin', f.site);
    await call({ method: 'PATCH', url: `/api/core/locations/${f.archived}`, payload: { archived: true } }, 200);

    f.widget = await item(t, 'Widget');
    await call({ method: 'PUT', url: `${INV}/items/${f.widget}/settings`, payload: { units: [{ uom: 'box', factor: 12 }] } }, 200);
    const received = await posted(t, { type: 'receipt', lines: [{ itemId: f.widget, qty: 10, unitCost: 2, toLocationId: f.a }] });
    f.receiptLineId = received.lines[0].id;
    f.receiptMoveId = received.id;
    const sold = await posted(t, { type: 'issue', lines: [{ itemId: f.widget, qty: 2, fromLocationId: f.a }] });
    f.issueLineId = sold.lines[0].id;

    f.gadget = await item(t, 'Gadget');
    const toReverse = await posted(t, { type: 'receipt', lines: [{ itemId: f.gadget, qty: 1, unitCost: 3, toLocationId: f.b }] });
    f.reversedMoveId = toReverse.id;
    f.reversalMoveId = (await call({ method: 'POST', url: `${INV}/moves/${toReverse.id}/reverse`, payload: {} }, 201)).id;
    f.drainedReceiptId = (await posted(t, { type: 'receipt', lines: [{ itemId: f.gadget, qty: 3, unitCost: 3, toLocationId: f.b }] })).id;
    await posted(t, { type: 'issue', lines: [{ itemId: f.gadget, qty: 2, fromLocationId: f.b }] });

    f.milk = await item(t, 'Milk', { trackingMode: 'lot' });
    const ok = await posted(t, { type: 'receipt', lines: [{ itemId: f.milk, qty: 5, unitCost: 1, toLocationId: f.a, lot: 'L-OK', expiresOn: '2099-12-31' }] });
    f.lotOk = ok.lines[0].lotId;
    const blocked = await posted(t, { type: 'receipt', lines: [{ itemId: f.milk, qty: 5, unitCost: 1, toLocationId: f.a, lot: 'L-BLOCKED', expiresOn: '2099-06-30' }] });
    f.lotBlocked = blocked.lines[0].lotId;
    await call({ method: 'PATCH', url: `${INV}/lots/${f.lotBlocked}`, payload: { blocked: true, blockReason: 'supplier recall' } }, 200);
    await posted(t, { type: 'receipt', lines: [{ itemId: f.milk, qty: 5, unitCost: 1, toLocationId: f.a, lot: 'L-OLD', expiresOn: '2020-01-01' }] });

    f.drill = await item(t, 'Drill', { trackingMode: 'serial' });
    await posted(t, { type: 'receipt', lines: [{ itemId: f.drill, qty: 2, unitCost: 80, toLocationId: f.a, serials: ['SN-1', 'SN-2'] }] });

    f.service = await item(t, 'Installation', { kind: 'service' });
    const standardCategory = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'At standard' } }, 201)).id;
    await call({ method: 'PUT', url: `${INV}/categories/${standardCategory}/settings`, payload: { valuationMethod: 'standard' } }, 200);
    f.stdItem = await item(t, 'Standard thing', { categoryId: standardCategory });
    f.oilCategory = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Fluids' } }, 201)).id;
    f.oil = await item(t, 'Oil', { categoryId: f.oilCategory });
    await posted(t, { type: 'receipt', lines: [{ itemId: f.oil, qty: 4, unitCost: 5, toLocationId: f.b }] });
    f.emptyCategory = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Empty' } }, 201)).id;
    f.emptyItem = await item(t, 'Nothing yet');

    f.activeReservation = (await call({ method: 'POST', url: `${INV}/reservations`, payload: { itemId: f.widget, locationId: f.a, qty: 2 } }, 201)).id;
    f.releasedReservation = (await call({ method: 'POST', url: `${INV}/reservations`, payload: { itemId: f.widget, locationId: f.a, qty: 1 } }, 201)).id;
    await call({ method: 'POST', url: `${INV}/reservations/${f.releasedReservation}/release` }, 200);

    f.acme = (await call({ method: 'POST', url: `${INV}/suppliers`, payload: { name: 'Acme' } }, 201)).id;
    f.boltCo = (await call({ method: 'POST', url: `${INV}/suppliers`, payload: { name: 'Bolt Co', code: 'BOLT' } }, 201)).id;
    await call({ method: 'PUT', url: `${INV}/suppliers/${f.acme}/items/${f.widget}`, payload: { unitPrice: 2 } }, 200);
    f.draftPo = (await call({ method: 'POST', url: `${INV}/purchase-orders`, payload: { supplierId: f.acme, locationId: f.a, lines: [{ itemId: f.widget, qty: 5 }] } }, 201)).id;
    const ordered = await call({ method: 'POST', url: `${INV}/purchase-orders`, payload: { supplierId: f.acme, locationId: f.a, lines: [{ itemId: f.widget, qty: 5 }] } }, 201);
    f.orderedPo = ordered.id;
    f.orderedPoLineId = ordered.lines[0].id;
    await call({ method: 'POST', url: `${INV}/purchase-orders/${f.orderedPo}/order` }, 200);

    // Signing in writes audit rows: done here, before the cases compare snapshots.
    nobody = await userWith(t, 'nobody@example.test', ['core.items.read']);
    viewer = await userWith(t, 'viewer@example.test', [permissions.stockRead]);
  });

  afterAll(async () => {
    if (t) await ledgerMatchesBalances(t);
    await t?.close();
  });

  it('covers every inventory route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(23);
    const covered = new Set(cases.map((k) => routeOf(routes, k.req(f))).filter(Boolean));
    const missing = routes.filter((r) => !covered.has(r));
    expect(missing, 'routes under /api/inventory without a bad-input case').toEqual([]);
    // Every case lands on a mounted route, unless it waits for one.
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
    if (k.fieldsInclude) expect(problemFields(body), JSON.stringify(body.errors)).toEqual(expect.arrayContaining(k.fieldsInclude));
  });

  it('answers 401 to every route without credentials, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID)));
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('answers 403 naming the permission to a caller without it, and changes nothing', async () => {
    const declared = Object.values(permissions) as string[];
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID, nobody.headers)));
      const body = expectProblem(res, 403, 'forbidden');
      if (ROUTE_PERMISSIONS[route]) expect(body.permission, route).toBe(ROUTE_PERMISSIONS[route]);
      else expect(declared, route).toContain(body.permission);
    }
  });

  it('lets a stock reader read stock but not post, reserve, block, configure or see valuation reports', async () => {
    for (const route of routes) {
      const needed = ROUTE_PERMISSIONS[route];
      if (!needed || needed === permissions.stockRead) continue;
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID, viewer.headers)));
      expect(expectProblem(res, 403, 'forbidden').permission, route).toBe(needed);
    }
    // A valid post, not just an empty body, is refused too.
    const res = await expectNoChange(t, () =>
      t.app.inject({ method: 'POST', url: `${INV}/moves`, headers: viewer.headers, payload: { type: 'issue', lines: [{ itemId: f.widget, qty: 1, fromLocationId: f.a }] } }),
    );
    expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.movesPost);
  });

  it('hides costs from a caller with inventory.stock.read but without inventory.valuation.read', async () => {
    const as = (url: string, headers?: Record<string, string>) => (headers ? t.app.inject({ method: 'GET', url, headers }) : t.request({ method: 'GET', url }));
    const urls = {
      move: `${INV}/moves/${f.receiptMoveId}`,
      stock: `${INV}/stock?itemId=${f.widget}`,
      byItem: `${INV}/stock?itemId=${f.widget}&groupBy=item`,
      panel: `${INV}/items/${f.widget}/stock`,
    };
    // The administrator sees them ...
    const adminMove = (await as(urls.move)).json();
    expect(adminMove.lines[0]).toMatchObject({ unitCost: '2', amount: '20.00' });
    expect((await as(urls.stock)).json().data[0]).toHaveProperty('value');
    expect((await as(urls.panel)).json()).toMatchObject({ valuationMethod: 'fifo', value: expect.any(String), unitValue: expect.any(String) });

    // ... the stock reader sees the same quantities without them.
    const move = await as(urls.move, viewer.headers);
    expect(move.statusCode, move.body).toBe(200);
    for (const line of move.json().lines) {
      expect(line).not.toHaveProperty('amount');
      expect(line).not.toHaveProperty('unitCost');
    }
    expect(move.json().lines[0].qty).toBe('10');
    for (const url of [urls.stock, urls.byItem]) {
      const res = await as(url, viewer.headers);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.length).toBeGreaterThan(0);
      for (const row of res.json().data) expect(row, url).not.toHaveProperty('value');
    }
    const panel = await as(urls.panel, viewer.headers);
    expect(panel.statusCode, panel.body).toBe(200);
    expect(panel.json()).toMatchObject({ onHand: '8' });
    for (const k of ['value', 'unitValue', 'valuationMethod']) expect(panel.json()).not.toHaveProperty(k);
    for (const row of panel.json().locations) expect(row).not.toHaveProperty('value');
    // Reports are valuation: refused outright.
    expect(expectProblem(await as(`${INV}/reports/valuation`, viewer.headers), 403, 'forbidden').permission).toBe(permissions.valuationRead);
    expect(expectProblem(await as(`${INV}/reports/cogs?from=2026-01-01&to=2026-01-31`, viewer.headers), 403, 'forbidden').permission).toBe(permissions.valuationRead);
  });
});
