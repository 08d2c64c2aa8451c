import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_BASE, type TestPlatform } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, custodyMatchesStatus, inDays, inMinutes, person } from './fixtures.js';

/**
 * Real PostgreSQL, the platform's pool of connections, requests sent all at once: for one asset
 * and one moment, exactly one booking or check-out wins; the losers get a 409 that names what
 * won, and the database never holds two overlapping active bookings or two open custodies.
 */
describe('many clients on the same asset at once', () => {
  let t: TestPlatform;
  let people: string[];

  const tally = (results: { statusCode: number; body: string }[]) => {
    const out: Record<string, number> = {};
    for (const r of results) {
      const key = r.statusCode >= 400 ? `${r.statusCode} ${String(JSON.parse(r.body).type).replace(PROBLEM_BASE, '')}` : String(r.statusCode);
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  };

  beforeAll(async () => {
    t = await bootFixedAssets();
    people = [];
    for (let i = 0; i < 8; i++) people.push(await person(t, `Borrower ${i}`));
  });
  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  it('eight clients book the same asset for the same window: one wins, seven are told which booking won', async () => {
    const a = await asset(t, { name: 'Contested camera' });
    const startsAt = inDays(1);
    const endsAt = inDays(2);
    const results = await Promise.all(people.map((personId) => t.request({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [a.id], startsAt, endsAt, for: 'person', personId } })));
    expect(tally(results)).toEqual({ '201': 1, '409 fixed-assets/booking-conflict': 7 });
    const winner = results.find((r) => r.statusCode === 201)!.json();
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json()).toMatchObject({ bookingId: winner.id, bookingNumber: winner.number });
    expect(await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_booking`)).toEqual([{ n: 1 }]);
  });

  it('eight clients check out the same asset at once: one wins, the rest are told who has it', async () => {
    const a = await asset(t, { name: 'Contested drill' });
    const results = await Promise.all(people.map((personId) => t.request({ method: 'POST', url: `${FA}/assets/${a.id}/check-out`, payload: { to: 'person', personId, expectedReturnAt: inDays(1) } })));
    expect(tally(results)).toEqual({ '201': 1, '409 fixed-assets/already-checked-out': 7 });
    const winner = results.find((r) => r.statusCode === 201)!.json().custody;
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().holder).toEqual(winner.holder);
    expect(await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_custody WHERE asset_id = $1`, [a.id])).toEqual([{ n: 1 }]);
  });

  it('bookings and check-outs racing each other for the same hours never leave a booking run over by a check-out', async () => {
    const a = await asset(t, { name: 'Contested van' });
    const requests = people.map((personId, i) =>
      i % 2
        ? { method: 'POST' as const, url: `${FA}/bookings`, payload: { assetIds: [a.id], startsAt: inMinutes(-1), endsAt: inMinutes(120), for: 'person', personId } }
        : { method: 'POST' as const, url: `${FA}/assets/${a.id}/check-out`, payload: { to: 'person', personId, expectedReturnAt: inMinutes(90) } },
    );
    const results = await Promise.all(requests.map((r) => t.request(r)));
    const counts = tally(results);
    // One of the two kinds won; whatever came second was refused in words that say why.
    expect(counts['201']).toBeGreaterThanOrEqual(1);
    expect(counts['201']).toBeLessThanOrEqual(2);
    for (const key of Object.keys(counts)) {
      expect(['201', '409 fixed-assets/booking-conflict', '409 fixed-assets/already-checked-out', '409 fixed-assets/asset-booked', '409 fixed-assets/asset-checked-out']).toContain(key);
    }
    const won = results.filter((r) => r.statusCode === 201).map((r) => r.json());
    if (won.length === 2) {
      // A booking and a check-out both won only if they are the same person's: the check-out then serves that booking.
      const booking = won.find((w) => w.number)!;
      const custody = won.find((w) => w.custody)!.custody;
      expect(custody.holder.id).toBe(booking.holder.id);
    }
    const overlaps = await t.sql(
      `SELECT 1 FROM fixed_assets_booking_asset x JOIN fixed_assets_booking_asset y ON x.asset_id = y.asset_id AND x.booking_id < y.booking_id AND x.active AND y.active AND x.period && y.period`,
    );
    expect(overlaps).toEqual([]);
  });

  it('twenty registrations at once get twenty consecutive tags', async () => {
    const before = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM fixed_assets_asset`);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.request({ method: 'POST', url: `${FA}/assets`, payload: { name: `Laptop ${i}` } })));
    expect(tally(results)).toEqual({ '201': 20 });
    const numbers = results.map((r) => Number(r.json().tag.split('-').at(-1))).sort((x, y) => x - y);
    const first = Number(before[0].n) + 1;
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
  });
});
