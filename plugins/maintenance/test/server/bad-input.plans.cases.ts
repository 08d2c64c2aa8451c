import type { InjectOptions } from 'fastify';
import type { TestPlatform } from '@quartermaster/testing';
import { MT, NO_SUCH_ID, asset, caller, category, item } from './fixtures.js';
import { defineBadInput } from './bad-input.types.js';

/**
 * Bad input to plans, trigger kinds and previews, measurement points and readings (entry, decisions,
 * CSV import), the scheduler and notifications.
 */

interface F {
  /** In service, in category `cat`; meter `hours` (rolls over at 10000, last reading 500), gauge `temp`, inactive meter `old`. */
  asset: string;
  tag: string;
  /** An asset no plan below covers. */
  other: string;
  cat: string;
  item: string;
  /** A calendar plan on `asset` that generated a work order. */
  plan: string;
  /** A calendar plan on `cat`. */
  categoryPlan: string;
  accepted: string;
  flagged: string;
}

const V = 'validation';
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const instant = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const get = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'GET', url: url(f) });
const del = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'DELETE', url: url(f) });
const json = (method: 'POST' | 'PATCH', url: (f: F) => string, payload: (f: F) => unknown) => (f: F): InjectOptions => ({ method, url: url(f), payload: payload(f) as never });
const csvPost = (text: string | ((f: F) => string), qs = '') => (f: F): InjectOptions => ({
  method: 'POST',
  url: `${MT}/readings/import${qs}`,
  payload: typeof text === 'string' ? text : text(f),
  headers: { 'content-type': 'text/csv' },
});
const c = (s: string) => () => s;

const monthly = { recurrence: { type: 'interval', every: 1, unit: 'month' }, mode: 'fixed', startOn: '2026-01-01' };
const newPlan = (payload: (f: F) => Record<string, unknown>) =>
  json('POST', c(`${MT}/plans`), (f) => ({ code: 'PM-NEW', name: 'New plan', triggerKind: 'calendar', triggerConfig: monthly, assetId: f.asset, ...payload(f) }));
const patchPlan = (payload: (f: F) => Record<string, unknown>, id: (f: F) => string = (f) => f.plan) => json('PATCH', (f) => `${MT}/plans/${id(f)}`, payload);
const newPoint = (payload: (f: F) => Record<string, unknown>, assetId: (f: F) => string = (f) => f.asset) =>
  json('POST', (f) => `${MT}/assets/${assetId(f)}/points`, (f) => ({ code: 'new', name: 'New', kind: 'meter', unit: 'h', ...payload(f) }));
const readingsOf = (code: string) => (f: F) => `${MT}/assets/${f.asset}/points/${code}/readings`;
const record = (payload: (f: F) => Record<string, unknown>, code = 'hours') => json('POST', readingsOf(code), payload);
const header = 'asset_tag,point_code,value,read_at';

export default defineBadInput<F>({
  area: 'plans',
  async setup(t: TestPlatform) {
    const call = caller(t);
    const cat = await category(t, 'Bad-input compressors');
    const a = await asset(t, { name: 'Bad-input compressor', categoryId: cat });
    const other = (await asset(t, { name: 'Bad-input other' })).id;
    const part = await item(t, 'Bad-input filter');
    const point = (body: Record<string, unknown>) => call({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { unit: 'h', kind: 'meter', ...body } }, 201);
    await point({ code: 'hours', name: 'Hours', rolloverAt: '10000', maxRatePerDay: '24' });
    await point({ code: 'temp', name: 'Temperature', kind: 'gauge', unit: '°C' });
    await point({ code: 'old', name: 'Old meter' });
    await call({ method: 'PATCH', url: `${MT}/assets/${a.id}/points/old`, payload: { active: false } }, 200);
    const readings = (
      await call({ method: 'POST', url: `${MT}/assets/${a.id}/points/hours/readings`, payload: { readings: [{ value: 480, readAt: instant(-3) }, { value: 500, readAt: instant(-2) }, { value: 900, readAt: instant(-1.9) }] } }, 201)
    ).data;
    const plan = (await call({ method: 'POST', url: `${MT}/plans`, payload: { code: 'PM-BAD-INPUT', name: 'Monthly', triggerKind: 'calendar', triggerConfig: monthly, assetId: a.id } }, 201)).id;
    const categoryPlan = (await call({ method: 'POST', url: `${MT}/plans`, payload: { code: 'PM-BAD-INPUT-CAT', name: 'Monthly', triggerKind: 'calendar', triggerConfig: monthly, categoryId: cat } }, 201)).id;
    await call({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf: '2026-01-02' } }, 200);
    return { asset: a.id, tag: a.tag, other, cat, item: part, plan, categoryPlan, accepted: readings[1].id, flagged: readings[2].id };
  },
  cases: [
    // ---- GET /trigger-kinds
    { name: 'GET /trigger-kinds: unknown parameter', req: get(c(`${MT}/trigger-kinds?kind=calendar`)), status: 400, type: V, fields: ['kind'] },
    // ---- GET /plans
    { name: 'GET /plans: malformed assetId', req: get(c(`${MT}/plans?assetId=pump`)), status: 400, type: V, fields: ['assetId'] },
    { name: 'GET /plans: active not a boolean', req: get(c(`${MT}/plans?active=perhaps`)), status: 400, type: V, fields: ['active'] },
    { name: 'GET /plans: limit above 500', req: get(c(`${MT}/plans?limit=501`)), status: 400, type: V, fields: ['limit'] },
    { name: 'GET /plans: unknown parameter', req: get(c(`${MT}/plans?sort=code`)), status: 400, type: V, fields: ['sort'] },
    // ---- POST /plans
    { name: 'POST /plans: invalid JSON', req: () => ({ method: 'POST', url: `${MT}/plans`, payload: '{"code": ', headers: { 'content-type': 'application/json' } }), status: 400, type: 'malformed-request' },
    { name: 'POST /plans: name missing', req: json('POST', c(`${MT}/plans`), (f) => ({ code: 'PM-X', triggerKind: 'calendar', triggerConfig: monthly, assetId: f.asset })), status: 400, type: V, fields: ['name'] },
    { name: 'POST /plans: blank name', req: newPlan(() => ({ name: '   ' })), status: 400, type: V, fields: ['name'] },
    { name: 'POST /plans: code in lower case', req: newPlan(() => ({ code: 'pm-1' })), status: 400, type: V, fields: ['code'] },
    { name: 'POST /plans: unknown property', req: newPlan(() => ({ colour: 'red' })), status: 400, type: V, fields: ['colour'] },
    { name: 'POST /plans: trigger config not an object', req: newPlan(() => ({ triggerConfig: 'monthly' })), status: 400, type: V, fields: ['triggerConfig'] },
    { name: 'POST /plans: unknown trigger kind', req: newPlan(() => ({ triggerKind: 'lunar' })), status: 400, type: V, fields: ['triggerKind'] },
    {
      name: 'POST /plans: calendar config wrong in several ways',
      req: newPlan(() => ({ triggerConfig: { recurrence: { type: 'interval', every: 0, unit: 'month' }, mode: 'fixed', leadDays: -1, windows: [{ from: '13-01', to: '02-30' }] } })),
      status: 400,
      type: V,
      fields: ['triggerConfig.recurrence.every', 'triggerConfig.leadDays', 'triggerConfig.windows[0].from', 'triggerConfig.windows[0].to'],
    },
    { name: 'POST /plans: floating cron rule', req: newPlan(() => ({ triggerConfig: { recurrence: { type: 'cron', expression: '0 0 1 * *' }, mode: 'floating' } })), status: 400, type: V, fields: ['triggerConfig.mode'] },
    { name: 'POST /plans: unknown calendar setting', req: newPlan(() => ({ triggerConfig: { ...monthly, every: 2 } })), status: 400, type: V, fields: ['triggerConfig.every'] },
    { name: 'POST /plans: meter plan on a gauge', req: newPlan(() => ({ triggerKind: 'meter', triggerConfig: { meter: 'temp', every: 100, mode: 'fixed' } })), status: 400, type: V, fields: ['triggerConfig.meter'] },
    { name: 'POST /plans: meter plan lead not below the interval', req: newPlan(() => ({ triggerKind: 'meter', triggerConfig: { meter: 'hours', every: 100, mode: 'fixed', leadUnits: 100 } })), status: 400, type: V, fields: ['triggerConfig.leadUnits'] },
    { name: 'POST /plans: condition reset above the threshold', req: newPlan(() => ({ triggerKind: 'condition', triggerConfig: { point: 'temp', kind: 'above', threshold: 80, reset: 85 } })), status: 400, type: V, fields: ['triggerConfig.reset'] },
    { name: 'POST /plans: asset and category', req: newPlan((f) => ({ categoryId: f.cat })), status: 400, type: V, fields: ['categoryId'] },
    { name: 'POST /plans: neither asset nor category', req: newPlan(() => ({ assetId: null })), status: 400, type: V, fields: ['assetId'] },
    { name: 'POST /plans: unknown asset, template, team and assignee', req: newPlan(() => ({ assetId: NO_SUCH_ID, checklistTemplateId: NO_SUCH_ID, teamId: NO_SUCH_ID, assigneeUserId: NO_SUCH_ID })), status: 400, type: V, fields: ['assetId', 'checklistTemplateId', 'teamId', 'assigneeUserId'] },
    { name: 'POST /plans: corrective plans do not exist', req: newPlan(() => ({ workOrderType: 'corrective' })), status: 400, type: V, fields: ['workOrderType'] },
    { name: 'POST /plans: unknown priority', req: newPlan(() => ({ priority: 'asap' })), status: 400, type: V, fields: ['priority'] },
    { name: 'POST /plans: part of an unknown item, quantity 0', req: newPlan(() => ({ parts: [{ itemId: NO_SUCH_ID, qty: '0' }] })), status: 400, type: V, fields: ['parts.0.itemId', 'parts.0.qty'] },
    { name: 'POST /plans: part quantity not a number', req: newPlan((f) => ({ parts: [{ itemId: f.item, qty: 'two' }] })), status: 400, type: V, fields: ['parts.0.qty'] },
    { name: 'POST /plans: negative estimate', req: newPlan(() => ({ estimatedMinutes: -5 })), status: 400, type: V, fields: ['estimatedMinutes'] },
    { name: 'POST /plans: code in use', req: newPlan(() => ({ code: 'PM-BAD-INPUT' })), status: 409, type: 'maintenance/plan-code-taken' },
    // ---- POST /plans/preview
    { name: 'POST /plans/preview: config incomplete', req: json('POST', c(`${MT}/plans/preview`), () => ({ triggerKind: 'meter', triggerConfig: { every: 100 } })), status: 400, type: V, fields: ['triggerConfig.mode', 'triggerConfig.meter'] },
    { name: 'POST /plans/preview: limit 0', req: json('POST', c(`${MT}/plans/preview`), () => ({ triggerKind: 'calendar', triggerConfig: monthly, limit: 0 })), status: 400, type: V, fields: ['limit'] },
    { name: 'POST /plans/preview: unknown asset', req: json('POST', c(`${MT}/plans/preview`), () => ({ triggerKind: 'calendar', triggerConfig: monthly, assetId: NO_SUCH_ID })), status: 400, type: V, fields: ['assetId'] },
    // ---- GET /plans/:id, /preview, /assets
    { name: 'GET /plans/:id malformed', req: get(c(`${MT}/plans/PM-1`)), status: 400, type: V, fields: ['id'] },
    { name: 'GET /plans/:id unknown', req: get(c(`${MT}/plans/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
    { name: 'GET /plans/:id/preview: an asset the plan does not cover', req: get((f) => `${MT}/plans/${f.categoryPlan}/preview?assetId=${f.other}`), status: 400, type: V, fields: ['assetId'] },
    { name: 'GET /plans/:id/preview: limit above 100', req: get((f) => `${MT}/plans/${f.plan}/preview?limit=101`), status: 400, type: V, fields: ['limit'] },
    { name: 'GET /plans/:id/preview: from not a date', req: get((f) => `${MT}/plans/${f.plan}/preview?from=tomorrow`), status: 400, type: V, fields: ['from'] },
    { name: 'GET /plans/:id/preview unknown', req: get(c(`${MT}/plans/${NO_SUCH_ID}/preview`)), status: 404, type: 'not-found' },
    { name: 'GET /plans/:id/assets: negative offset', req: get((f) => `${MT}/plans/${f.plan}/assets?offset=-1`), status: 400, type: V, fields: ['offset'] },
    { name: 'GET /plans/:id/assets unknown', req: get(c(`${MT}/plans/${NO_SUCH_ID}/assets`)), status: 404, type: 'not-found' },
    // ---- PATCH /plans/:id
    { name: 'PATCH /plans/:id: empty body', req: patchPlan(() => ({})), status: 400, type: V, fields: ['(root)'] },
    { name: 'PATCH /plans/:id: blank name', req: patchPlan(() => ({ name: ' ' })), status: 400, type: V, fields: ['name'] },
    { name: 'PATCH /plans/:id: version 0', req: patchPlan(() => ({ name: 'X', version: 0 })), status: 400, type: V, fields: ['version'] },
    { name: 'PATCH /plans/:id: stale version', req: patchPlan(() => ({ name: 'X', version: 99 })), status: 409, type: 'stale-version' },
    { name: 'PATCH /plans/:id: another plan\'s code', req: patchPlan(() => ({ code: 'PM-BAD-INPUT-CAT' })), status: 409, type: 'maintenance/plan-code-taken' },
    { name: 'PATCH /plans/:id: trigger kind changed, config not', req: patchPlan(() => ({ triggerKind: 'meter' })), status: 400, type: V, fields: ['triggerConfig.every', 'triggerConfig.meter', 'triggerConfig.recurrence', 'triggerConfig.startOn'] },
    { name: 'PATCH /plans/:id: onto a category that does not exist', req: patchPlan(() => ({ categoryId: NO_SUCH_ID })), status: 400, type: V, fields: ['categoryId'] },
    { name: 'PATCH /plans/:id unknown', req: patchPlan(() => ({ name: 'X' }), c(NO_SUCH_ID)), status: 404, type: 'not-found' },
    // ---- DELETE /plans/:id
    { name: 'DELETE /plans/:id: it generated work orders', req: del((f) => `${MT}/plans/${f.plan}`), status: 409, type: 'maintenance/plan-in-use' },
    { name: 'DELETE /plans/:id unknown', req: del(c(`${MT}/plans/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },

    // ---- Measurement points
    { name: 'GET /assets/:assetId/points: unknown kind', req: get((f) => `${MT}/assets/${f.asset}/points?kind=thermometer`), status: 400, type: V, fields: ['kind'] },
    { name: 'GET /assets/:assetId/points unknown asset', req: get(c(`${MT}/assets/${NO_SUCH_ID}/points`)), status: 404, type: 'not-found' },
    { name: 'POST /assets/:assetId/points: code with capitals', req: newPoint(() => ({ code: 'Hours' })), status: 400, type: V, fields: ['code'] },
    { name: 'POST /assets/:assetId/points: unknown kind', req: newPoint(() => ({ kind: 'counter' })), status: 400, type: V, fields: ['kind'] },
    { name: 'POST /assets/:assetId/points: blank name and unit', req: newPoint(() => ({ name: ' ', unit: ' ' })), status: 400, type: V, fields: ['name', 'unit'] },
    { name: 'POST /assets/:assetId/points: a gauge that rolls over', req: newPoint(() => ({ kind: 'gauge', rolloverAt: 100 })), status: 400, type: V, fields: ['rolloverAt'] },
    { name: 'POST /assets/:assetId/points: negative maximum rate', req: newPoint(() => ({ maxRatePerDay: '-1' })), status: 400, type: V, fields: ['maxRatePerDay'] },
    { name: 'POST /assets/:assetId/points: code in use', req: newPoint(() => ({ code: 'hours' })), status: 409, type: 'maintenance/point-code-taken' },
    { name: 'POST /assets/:assetId/points unknown asset', req: newPoint(() => ({}), c(NO_SUCH_ID)), status: 404, type: 'not-found' },
    { name: 'POST /assets/:assetId/points: device feed from no device', req: newPoint(() => ({ deviceFeed: { deviceId: NO_SUCH_ID, channel: 'hours' } })), status: 400, type: V, fields: ['deviceFeed.deviceId'] },
    { name: 'POST /assets/:assetId/points: device feed without a channel', req: newPoint(() => ({ deviceFeed: { deviceId: NO_SUCH_ID } })), status: 400, type: V, fields: ['deviceFeed.channel'] },
    { name: 'GET /assets/:assetId/points/:code malformed code', req: get((f) => `${MT}/assets/${f.asset}/points/Hours!`), status: 400, type: V, fields: ['code'] },
    { name: 'GET /assets/:assetId/points/:code unknown', req: get((f) => `${MT}/assets/${f.asset}/points/pressure`), status: 404, type: 'not-found' },
    { name: 'PATCH /assets/:assetId/points/:code: empty body', req: json('PATCH', (f) => `${MT}/assets/${f.asset}/points/hours`, () => ({})), status: 400, type: V, fields: ['(root)'] },
    { name: 'PATCH /assets/:assetId/points/:code: kind is not changed', req: json('PATCH', (f) => `${MT}/assets/${f.asset}/points/hours`, () => ({ kind: 'gauge' })), status: 400, type: V, fields: ['kind'] },
    { name: 'PATCH /assets/:assetId/points/:code: rollover below the last reading', req: json('PATCH', (f) => `${MT}/assets/${f.asset}/points/hours`, () => ({ rolloverAt: 400 })), status: 400, type: V, fields: ['rolloverAt'] },
    { name: 'PATCH /assets/:assetId/points/:code: a gauge gets a maximum rate', req: json('PATCH', (f) => `${MT}/assets/${f.asset}/points/temp`, () => ({ maxRatePerDay: 5 })), status: 400, type: V, fields: ['maxRatePerDay'] },
    { name: 'PATCH /assets/:assetId/points/:code: blank device channel', req: json('PATCH', (f) => `${MT}/assets/${f.asset}/points/hours`, () => ({ deviceFeed: { deviceId: NO_SUCH_ID, channel: '  ' } })), status: 400, type: V, fields: ['deviceFeed.channel'] },
    { name: 'PATCH /assets/:assetId/points/:code unknown', req: json('PATCH', (f) => `${MT}/assets/${f.asset}/points/pressure`, () => ({ name: 'P' })), status: 404, type: 'not-found' },

    // ---- Readings
    { name: 'POST readings: value missing', req: record(() => ({ readAt: instant(0) })), status: 400, type: V, fields: ['value'] },
    { name: 'POST readings: value not a number', req: record(() => ({ value: 'high' })), status: 400, type: V, fields: ['value'] },
    { name: 'POST readings: value of the wrong type', req: record(() => ({ value: true })), status: 400, type: V, fields: ['value'] },
    { name: 'POST readings: time without a zone', req: record(() => ({ value: 510, readAt: '2026-06-01T10:00:00' })), status: 400, type: V, fields: ['readAt'] },
    { name: 'POST readings: value and readings', req: record(() => ({ value: 510, readings: [{ value: 520 }] })), status: 400, type: V, fields: ['readings'] },
    { name: 'POST readings: readAt outside readings', req: record(() => ({ readAt: instant(0), readings: [{ value: 520 }] })), status: 400, type: V, fields: ['readAt'] },
    { name: 'POST readings: a bad reading in the list', req: record(() => ({ readings: [{ value: 520 }, { value: 'x', extra: 1 }] })), status: 400, type: V, fields: ['readings.1.value', 'readings.1.extra'] },
    { name: 'POST readings: empty list', req: record(() => ({ readings: [] })), status: 400, type: V, fields: ['readings'] },
    { name: 'POST readings: inactive point', req: record(() => ({ value: 1 }), 'old'), status: 409, type: 'maintenance/point-inactive' },
    { name: 'POST readings: unknown point', req: record(() => ({ value: 1 }), 'pressure'), status: 404, type: 'not-found' },
    { name: 'GET readings: unknown status', req: get((f) => `${readingsOf('hours')(f)}?status=maybe`), status: 400, type: V, fields: ['status'] },
    { name: 'GET readings: to before from', req: get((f) => `${readingsOf('hours')(f)}?from=${encodeURIComponent(instant(0))}&to=${encodeURIComponent(instant(-1))}`), status: 400, type: V, fields: ['to'] },
    { name: 'GET readings: unknown point', req: get((f) => readingsOf('pressure')(f)), status: 404, type: 'not-found' },
    { name: 'GET /readings: malformed assetId', req: get(c(`${MT}/readings?assetId=pump`)), status: 400, type: V, fields: ['assetId'] },
    { name: 'GET /readings: from not an instant', req: get(c(`${MT}/readings?from=yesterday`)), status: 400, type: V, fields: ['from'] },
    { name: 'POST /readings/:id/confirm: not flagged', req: json('POST', (f) => `${MT}/readings/${f.accepted}/confirm`, () => ({})), status: 409, type: 'maintenance/reading-not-flagged' },
    { name: 'POST /readings/:id/confirm: malformed id', req: json('POST', c(`${MT}/readings/abc/confirm`), () => ({})), status: 400, type: V, fields: ['id'] },
    { name: 'POST /readings/:id/confirm: unknown', req: json('POST', c(`${MT}/readings/999999999/confirm`), () => ({})), status: 404, type: 'not-found' },
    { name: 'POST /readings/:id/confirm: unknown property', req: json('POST', (f) => `${MT}/readings/${f.flagged}/confirm`, () => ({ value: 600 })), status: 400, type: V, fields: ['value'] },
    { name: 'POST /readings/:id/reject: not flagged', req: json('POST', (f) => `${MT}/readings/${f.accepted}/reject`, () => ({ note: 'typo' })), status: 409, type: 'maintenance/reading-not-flagged' },
    { name: 'POST /readings/:id/reject: empty note', req: json('POST', (f) => `${MT}/readings/${f.flagged}/reject`, () => ({ note: '' })), status: 400, type: V, fields: ['note'] },
    { name: 'POST /readings/:id/reject: unknown', req: json('POST', c(`${MT}/readings/999999999/reject`), () => ({})), status: 404, type: 'not-found' },
    // ---- POST /readings/import
    { name: 'POST /readings/import: JSON without csv', req: json('POST', c(`${MT}/readings/import`), () => ({ skipInvalidRows: true })), status: 400, type: V, fields: ['csv'] },
    { name: 'POST /readings/import: flag not a boolean', req: csvPost(`${header}\r\nX,hours,1,2026-01-01T00:00:00Z`, '?dryRun=perhaps'), status: 400, type: V, fields: ['dryRun'] },
    { name: 'POST /readings/import: not a readings file', req: csvPost('name,colour\r\nPump,red'), status: 422, type: 'maintenance/invalid-csv' },
    { name: 'POST /readings/import: header only', req: csvPost(header), status: 422, type: 'maintenance/invalid-csv' },
    { name: 'POST /readings/import: unclosed quote', req: csvPost(`${header}\r\n"X,hours,1,2026-01-01T00:00:00Z`), status: 422, type: 'maintenance/invalid-csv' },
    { name: 'POST /readings/import: one row going backwards', req: csvPost((f) => `${header}\r\n${f.tag},hours,510,${instant(-1)}\r\n${f.tag},hours,100,${instant(-0.5)}`), status: 422, type: 'maintenance/import-rejected' },
    { name: 'POST /readings/import: unknown asset', req: csvPost(`${header}\r\nNO-SUCH-TAG,hours,1,2026-01-01T00:00:00Z`), status: 422, type: 'maintenance/import-rejected' },
    { name: 'POST /readings/import: XML', req: () => ({ method: 'POST', url: `${MT}/readings/import`, payload: '<readings/>', headers: { 'content-type': 'application/xml' } }), status: 415, type: 'unsupported-media-type' },

    // ---- Scheduler
    { name: 'POST /scheduler/run: in the future', req: json('POST', c(`${MT}/scheduler/run`), () => ({ asOf: day(2) })), status: 400, type: V, fields: ['asOf'] },
    { name: 'POST /scheduler/run: not a date', req: json('POST', c(`${MT}/scheduler/run`), () => ({ asOf: '2026-02-30' })), status: 400, type: V, fields: ['asOf'] },
    { name: 'POST /scheduler/run: unknown property', req: json('POST', c(`${MT}/scheduler/run`), () => ({ plans: [] })), status: 400, type: V, fields: ['plans'] },
    { name: 'POST /scheduler/sweep: in the future', req: json('POST', c(`${MT}/scheduler/sweep`), () => ({ asOf: day(2) })), status: 400, type: V, fields: ['asOf'] },
    { name: 'GET /scheduler/runs: limit 0', req: get(c(`${MT}/scheduler/runs?limit=0`)), status: 400, type: V, fields: ['limit'] },
    // ---- Notifications
    { name: 'GET /notifications: unread not a boolean', req: get(c(`${MT}/notifications?unread=perhaps`)), status: 400, type: V, fields: ['unread'] },
    { name: 'GET /notifications: unknown kind', req: get(c(`${MT}/notifications?kind=gossip`)), status: 400, type: V, fields: ['kind'] },
    { name: 'POST /notifications/:id/read: malformed id', req: json('POST', c(`${MT}/notifications/first/read`), () => ({})), status: 400, type: V, fields: ['id'] },
    { name: 'POST /notifications/:id/read: unknown', req: json('POST', c(`${MT}/notifications/999999999/read`), () => ({})), status: 404, type: 'not-found' },
    { name: 'POST /notifications/read-all: unknown kind', req: json('POST', c(`${MT}/notifications/read-all?kind=gossip`), () => ({})), status: 400, type: V, fields: ['kind'] },
  ],
});
