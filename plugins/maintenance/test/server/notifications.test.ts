import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { definePlugin } from '@quartermaster/sdk';
import { createTestPlatform, expectProblem, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { maintenancePlugin } from '../../src/server/index.js';
import { notificationChannels, permissions, type MaintenanceNotification } from '../../src/shared/index.js';
import { MT, asset, caller, eventsSince, userWith } from './fixtures.js';

/**
 * Overdue work orders and calibrations: announced once by the sweep, listed in-app for the assignee
 * (or everyone), delivered after commit to the built-in webhook channel and to contributed channels,
 * with retries that do not send twice through a channel that already took the notification.
 * Old readings are pruned by the same sweep.
 */

/** A local webhook receiver; answers 500 to the first `failFirst` requests. */
function receiver() {
  const received: Array<Record<string, any>> = [];
  let failFirst = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests++;
      if (requests <= failFirst) {
        res.writeHead(500).end('down');
        return;
      }
      received.push({ ...JSON.parse(body), contentType: req.headers['content-type'] });
      res.writeHead(204).end();
    });
  });
  return {
    received,
    failNext(n: number) {
      failFirst = requests + n;
    },
    get requests() {
      return requests;
    },
    async listen() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/maintenance`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const paged: Array<MaintenanceNotification & { eventId: string }> = [];
const pager = definePlugin({
  id: 'pager',
  version: '1.0.0',
  compatibility: '^0.1.0',
  dependsOn: { maintenance: '^0.1.0' },
  register(ctx) {
    ctx.extend(notificationChannels, { id: 'pager', deliver: async (n) => void paged.push(n as MaintenanceNotification & { eventId: string }) });
  },
});

let t: TestPlatform;
let call: ReturnType<typeof caller>;
const hook = receiver();
let tech: TestSession & { id: string };
let other: TestSession & { id: string };
const weekly = { recurrence: { type: 'interval', every: 1, unit: 'week' }, mode: 'fixed', startOn: '2026-01-05' };
const sweep = () => call({ method: 'POST', url: `${MT}/scheduler/sweep`, payload: {} }, 200);
const inbox = async (who: TestSession, qs = '') => {
  const res = await t.app.inject({ method: 'GET', url: `${MT}/notifications${qs}`, headers: who.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  const url = await hook.listen();
  t = await createTestPlatform({
    plugins: [fixedAssetsPlugin, maintenancePlugin, pager],
    enable: {
      'fixed-assets': { overdueSweepSeconds: 0 },
      maintenance: { scheduler: { enabled: false, overdueSweepSeconds: 0 }, notifications: { webhooks: [url] }, readingRetentionDays: 30 },
      pager: {},
    },
  });
  call = caller(t);
  tech = await userWith(t, 'tech@example.test', [permissions.read, permissions.execute]);
  other = await userWith(t, 'other@example.test', [permissions.read]);
});
afterAll(async () => {
  await t?.close();
  await hook.close();
});

describe('overdue work orders', () => {
  let assigned: string;
  let unassigned: string;

  beforeAll(async () => {
    const press = await asset(t, { name: 'Press' });
    const saw = await asset(t, { name: 'Saw' });
    const drill = await asset(t, { name: 'Drill' });
    const plan = (code: string, assetId: string, extra: Record<string, unknown> = {}) =>
      call({ method: 'POST', url: `${MT}/plans`, payload: { code, name: 'Weekly check', assetId, triggerKind: 'calendar', triggerConfig: weekly, ...extra } }, 201);
    const p1 = await plan('PM-PRESS', press.id, { assigneeUserId: tech.id });
    const p2 = await plan('PM-SAW', saw.id);
    const p3 = await plan('PM-DRILL', drill.id);
    await call({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf: '2026-01-05' } }, 200);
    const idOf = async (planId: string) => (await t.sql<{ id: string }>(`SELECT id FROM maintenance_work_order WHERE plan_id = $1`, [planId]))[0].id;
    assigned = await idOf(p1.id);
    unassigned = await idOf(p2.id);
    // A cancelled order is never overdue.
    await call({ method: 'POST', url: `${MT}/work-orders/${await idOf(p3.id)}/cancel`, payload: { reason: 'drill sold' } }, 200);
  });

  it('announces each unfinished order past its due date once, with an in-app notification', async () => {
    const from = t.events.length;
    expect(await sweep()).toMatchObject({ workOrders: 2, calibrations: 0 });
    const overdue = t.events.slice(from).filter((e) => e.name === 'maintenance.work-order.overdue');
    expect(overdue).toHaveLength(2);
    expect(overdue.map((e) => e.payload)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: assigned, dueOn: '2026-01-05', status: 'approved', assigneeUserId: tech.id }),
        expect.objectContaining({ id: unassigned, dueOn: '2026-01-05', status: 'approved', assigneeUserId: null }),
      ]),
    );
    const rows = await t.sql<{ id: string; at: Date | null }>(`SELECT id, overdue_notified_at AS at FROM maintenance_work_order WHERE id = ANY($1::uuid[])`, [[assigned, unassigned]]);
    expect(rows.every((r) => r.at !== null)).toBe(true);
    const history = await t.sql<{ type: string }>(`SELECT type FROM maintenance_work_order_event WHERE work_order_id = $1 ORDER BY id`, [assigned]);
    expect(history.map((h) => h.type)).toContain('overdue');

    // Nothing new: nothing announced again.
    const again = t.events.length;
    expect(await sweep()).toMatchObject({ workOrders: 0 });
    expect(eventsSince(t, again)).toEqual([]);
  });

  it('delivers each announcement to the webhook and to contributed channels after commit', async () => {
    await t.drainOutbox();
    const number = (await call({ method: 'GET', url: `${MT}/work-orders/${assigned}` }, 200)).number;
    expect(hook.received.map((r) => r.workOrderId).sort()).toEqual([assigned, unassigned].sort());
    expect(hook.received.find((r) => r.workOrderId === assigned)).toMatchObject({
      contentType: 'application/json',
      kind: 'work-order.overdue',
      title: `${number} is overdue`,
      userId: tech.id,
      href: `/maintenance/work-orders/${assigned}`,
      eventId: expect.any(String),
    });
    expect(paged.map((n) => n.workOrderId).sort()).toEqual([assigned, unassigned].sort());
  });

  it('shows each person their notifications and those for everyone, read per person', async () => {
    const mine = await inbox(tech);
    expect(mine).toMatchObject({ total: 2, unreadCount: 2 });
    const forTech = mine.data.find((n: { forEveryone: boolean }) => !n.forEveryone);
    const forAll = mine.data.find((n: { forEveryone: boolean }) => n.forEveryone);
    expect(forTech).toMatchObject({ kind: 'work-order.overdue', workOrderId: assigned, readAt: null });
    expect(forAll).toMatchObject({ workOrderId: unassigned });
    expect(await inbox(other)).toMatchObject({ total: 1, unreadCount: 1, data: [{ id: forAll.id }] });

    // The technician reads the one for everyone: still unread for the other person.
    const read = await t.app.inject({ method: 'POST', url: `${MT}/notifications/${forAll.id}/read`, headers: tech.headers });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    expect(await inbox(tech)).toMatchObject({ unreadCount: 1 });
    expect((await inbox(tech, '?unread=true')).data.map((n: { id: string }) => n.id)).toEqual([forTech.id]);
    expect(await inbox(other)).toMatchObject({ unreadCount: 1 });

    // Someone else's notification does not exist for them.
    expectProblem(await t.app.inject({ method: 'POST', url: `${MT}/notifications/${forTech.id}/read`, headers: other.headers }), 404, 'not-found');

    const all = await t.app.inject({ method: 'POST', url: `${MT}/notifications/read-all`, headers: other.headers });
    expect(all.json()).toEqual({ marked: 1 });
    expect(await inbox(other)).toMatchObject({ unreadCount: 0 });
    expect(await inbox(tech)).toMatchObject({ unreadCount: 1 });
  });
});

describe('delivery retries', () => {
  it('retries a failed webhook without sending again through the channel that took it', async () => {
    const a = await asset(t, { name: 'Kiln' });
    await call({ method: 'POST', url: `${MT}/plans`, payload: { code: 'PM-KILN', name: 'Weekly check', assetId: a.id, triggerKind: 'calendar', triggerConfig: weekly } }, 201);
    await call({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf: '2026-01-05' } }, 200);
    expect((await sweep()).workOrders).toBe(1);
    const [wo] = await t.sql<{ id: string }>(`SELECT w.id FROM maintenance_work_order w JOIN maintenance_plan p ON p.id = w.plan_id WHERE p.code = 'PM-KILN'`);
    const before = { hook: hook.requests, paged: paged.length };
    hook.failNext(1);
    await t.drainOutbox();
    await t.drainOutbox();
    expect(hook.requests - before.hook).toBe(2);
    expect(hook.received.filter((r) => r.workOrderId === wo.id)).toHaveLength(1);
    expect(paged.filter((n) => n.workOrderId === wo.id)).toHaveLength(1);
    expect(paged.length - before.paged).toBe(1);
  });
});

describe('overdue calibrations', () => {
  it('announces an overdue calibration once per due date', async () => {
    const meter = await asset(t, { name: 'Torque wrench' });
    await call({ method: 'PUT', url: `${MT}/instruments/${meter.id}`, payload: { interval: { n: 1, unit: 'month' }, points: [{ nominal: '50', unit: 'Nm', tolerance: { percent: '4' } }] } }, 201);
    await call({ method: 'POST', url: `${MT}/instruments/${meter.id}/calibrations`, payload: { performedOn: '2026-01-10', performedBy: 'Lab', points: [{ asFound: '50.5' }] } }, 201);
    const from = t.events.length;
    expect(await sweep()).toMatchObject({ calibrations: 1 });
    expect(await sweep()).toMatchObject({ calibrations: 0 });
    // Calibrated again, and lapsed again: a new due date, announced again.
    await call({ method: 'POST', url: `${MT}/instruments/${meter.id}/calibrations`, payload: { performedOn: '2026-03-15', performedBy: 'Lab', points: [{ asFound: '49.8' }] } }, 201);
    expect(await sweep()).toMatchObject({ calibrations: 1 });
    const overdue = t.events.slice(from).filter((e) => e.name === 'maintenance.calibration.overdue');
    expect(overdue.map((e) => e.payload)).toEqual([
      { assetId: meter.id, assetTag: meter.tag, dueOn: '2026-02-10' },
      { assetId: meter.id, assetTag: meter.tag, dueOn: '2026-04-15' },
    ]);
    const notes = await inbox(other, '?kind=calibration.overdue');
    expect(notes.data.map((n: { title: string; assetId: string }) => [n.title, n.assetId])).toEqual([
      [`Calibration of ${meter.tag} is overdue`, meter.id],
      [`Calibration of ${meter.tag} is overdue`, meter.id],
    ]);
    await t.drainOutbox();
    expect(hook.received.filter((r) => r.kind === 'calibration.overdue').map((r) => r.body)).toEqual([
      `The calibration of ${meter.tag} was due on 2026-02-10.`,
      `The calibration of ${meter.tag} was due on 2026-04-15.`,
    ]);
  });
});

describe('reading retention', () => {
  it('deletes readings older than the retention, except flagged ones and each point\'s latest accepted one', async () => {
    const a = await asset(t, { name: 'Pump' });
    const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await call({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { code: 'hours', name: 'Hours', kind: 'meter', unit: 'h', maxRatePerDay: 24 } }, 201);
    await call({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { code: 'temp', name: 'Temp', kind: 'gauge', unit: '°C' } }, 201);
    const post = (code: string, readings: Array<{ value: number; readAt: string }>) => call({ method: 'POST', url: `${MT}/assets/${a.id}/points/${code}/readings`, payload: { readings } }, 201);
    const hours = (await post('hours', [{ value: 100, readAt: days(50) }, { value: 110, readAt: days(45) }, { value: 900, readAt: days(44) }])).data;
    expect(hours.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'flagged']);
    await post('temp', [{ value: 60, readAt: days(40) }, { value: 61, readAt: days(1) }]);
    expect(await sweep()).toMatchObject({ readingsDeleted: 2 });
    const left = await t.sql<{ code: string; value: string; status: string }>(
      `SELECT p.code, r.value::text AS value, r.status FROM maintenance_reading r JOIN maintenance_measurement_point p ON p.id = r.point_id WHERE p.asset_id = $1 ORDER BY p.code, r.read_at`,
      [a.id],
    );
    expect(left).toEqual([
      { code: 'hours', value: '110', status: 'accepted' },
      { code: 'hours', value: '900', status: 'flagged' },
      { code: 'temp', value: '61', status: 'accepted' },
    ]);
    expect((await call({ method: 'GET', url: `${MT}/assets/${a.id}/points/hours` }, 200)).total).toBe('10');
  });
});
