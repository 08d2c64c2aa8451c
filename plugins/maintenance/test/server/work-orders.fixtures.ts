/** Helpers for the work order tests (work orders, parts, asset status, breakdowns, bad input). */
import type { TestPlatform } from '@quartermaster/testing';
import { FA, MT, caller } from './fixtures.js';

/** Create a work order by hand (admin); answers its detail. */
export async function workOrder(t: TestPlatform, body: Record<string, unknown>) {
  return caller(t)({ method: 'POST', url: `${MT}/work-orders`, payload: { type: 'preventive', title: 'Service', ...body } }, 201);
}

/** `POST /work-orders/:id/<action>` as the admin (or with `headers`). */
export const act = (t: TestPlatform, id: string, action: string, body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  headers ? t.app.inject({ method: 'POST', url: `${MT}/work-orders/${id}/${action}`, payload: body, headers }) : t.request({ method: 'POST', url: `${MT}/work-orders/${id}/${action}`, payload: body });

/** Take an action that must succeed; answers the detail. */
export async function step(t: TestPlatform, id: string, action: string, body: Record<string, unknown> = {}) {
  const res = await act(t, id, action, body);
  if (res.statusCode !== 200) throw new Error(`${action} ${id}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
export const slot = () => ({ scheduledStart: hoursFromNow(1), scheduledEnd: hoursFromNow(3) });

export const getWorkOrder = (t: TestPlatform, id: string) => caller(t)({ method: 'GET', url: `${MT}/work-orders/${id}` }, 200);
export const assetStatus = async (t: TestPlatform, id: string) => (await caller(t)({ method: 'GET', url: `${FA}/assets/${id}` }, 200)).status as string;

/** Answer every checklist item of an order so that it may complete. */
export async function answerChecklist(t: TestPlatform, id: string) {
  const wo = await getWorkOrder(t, id);
  for (const item of wo.checklist.items) {
    const payload = item.kind === 'check' ? { passed: true } : item.kind === 'reading' ? { value: item.min ?? '1' } : { text: 'done' };
    await caller(t)({ method: 'PUT', url: `${MT}/work-orders/${id}/checklist/${item.id}`, payload }, 200);
  }
}

/** The asset's cost ledger total (fixed-assets TCO), as a string with the currency's decimals. */
export const assetCostTotal = async (t: TestPlatform, assetId: string) => (await caller(t)({ method: 'GET', url: `${FA}/assets/${assetId}/costs` }, 200)).totals.amount as string;
