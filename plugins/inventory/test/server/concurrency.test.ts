import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_BASE, type TestPlatform } from '@quartermaster/testing';
import { dec } from '../../src/domain/money.js';
import { bootInventory, item, ledgerMatchesBalances, location, post, posted, stock } from './fixtures.js';

/**
 * Real PostgreSQL, real row locks, the platform's pool of connections: many moves sent at once
 * against the same balances. Stock must never go below zero, no update may be lost, and the ledger
 * must add up to the balances afterwards.
 */
describe('concurrent moves on the same balances', () => {
  let t: TestPlatform;
  let a: string;
  let b: string;

  const tally = (results: { statusCode: number; body: string }[]) => {
    const out: Record<string, number> = {};
    for (const r of results) {
      const key = r.statusCode >= 400 ? `${r.statusCode} ${String(JSON.parse(r.body).type).replace(PROBLEM_BASE, '')}` : String(r.statusCode);
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  };

  beforeAll(async () => {
    t = await bootInventory();
    const site = await location(t, 'DC', 'site');
    a = await location(t, 'A', 'bin', site);
    b = await location(t, 'B', 'bin', site);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('80 issues and transfers racing for 50 units: every accepted move is on the books, none overdraws', async () => {
    const sku = await item(t, 'Contested SKU');
    await posted(t, { type: 'receipt', lines: [{ itemId: sku, qty: 50, unitCost: '1.25', toLocationId: a }] });
    const requests = [
      ...Array.from({ length: 40 }, () => ({ type: 'issue', lines: [{ itemId: sku, qty: 2, fromLocationId: a }] })),
      ...Array.from({ length: 20 }, () => ({ type: 'transfer', lines: [{ itemId: sku, qty: 1, fromLocationId: a, toLocationId: b }] })),
      ...Array.from({ length: 20 }, () => ({ type: 'issue', lines: [{ itemId: sku, qty: 1, fromLocationId: b }] })),
    ].sort(() => Math.random() - 0.5);
    const results = await Promise.all(requests.map((body) => post(t, body)));
    const counts = tally(results);
    // Only two outcomes are allowed: posted, or refused for lack of stock.
    expect(Object.keys(counts).sort()).toEqual(Object.keys(counts).filter((k) => k === '201' || k === '409 inventory/insufficient-stock').sort());

    const accepted = results.map((r, i) => ({ r, body: requests[i] })).filter((x) => x.r.statusCode === 201);
    const issuedFromA = accepted.filter((x) => x.body.type === 'issue' && x.body.lines[0].fromLocationId === a).length * 2;
    const movedToB = accepted.filter((x) => x.body.type === 'transfer').length;
    const issuedFromB = accepted.filter((x) => x.body.type === 'issue' && x.body.lines[0].fromLocationId === b).length;
    const atA = dec((await stock(t, sku, a)).onHand);
    const atB = dec((await stock(t, sku, b)).onHand);
    expect(atA.gte(0) && atB.gte(0)).toBe(true);
    expect(atA.toNumber()).toBe(50 - issuedFromA - movedToB);
    expect(atB.toNumber()).toBe(movedToB - issuedFromB);
    // Contention really happened: not everything fitted.
    expect(counts['409 inventory/insufficient-stock']).toBeGreaterThan(0);

    // The cost ledger saw every accepted issue exactly once: value = 50 × 1.25 − COGS of what left.
    const left = 50 - issuedFromA - issuedFromB;
    const panel = (await t.request({ method: 'GET', url: `/api/inventory/items/${sku}/stock` })).json();
    expect(panel.onHand).toBe(String(left));
    expect(panel.value).toBe(dec(left).times('1.25').toFixed(2));
    await ledgerMatchesBalances(t);
  });

  it('parallel receipts and issues of many items across both bins keep every balance equal to its ledger', async () => {
    const skus = await Promise.all(Array.from({ length: 5 }, (_, i) => item(t, `Busy ${i}`)));
    for (const s of skus) await posted(t, { type: 'receipt', lines: [{ itemId: s, qty: 10, unitCost: 2, toLocationId: a }] });
    const requests = Array.from({ length: 60 }, (_, i) => {
      const s = skus[i % skus.length];
      const kind = i % 3;
      return kind === 0
        ? { type: 'receipt', lines: [{ itemId: s, qty: 1, unitCost: 3, toLocationId: b }] }
        : kind === 1
          ? { type: 'transfer', lines: [{ itemId: s, qty: 2, fromLocationId: a, toLocationId: b }, { itemId: skus[(i + 1) % skus.length], qty: 1, fromLocationId: a, toLocationId: b }] }
          : { type: 'issue', lines: [{ itemId: s, qty: 3, fromLocationId: b }] };
    });
    const results = await Promise.all(requests.map((body) => post(t, body)));
    for (const r of results) expect([201, 409], r.body).toContain(r.statusCode);
    const negatives = await t.sql(`SELECT * FROM inventory_balance WHERE on_hand < 0 OR on_hand - reserved < 0`);
    expect(negatives).toEqual([]);
    await ledgerMatchesBalances(t);
  });
});
