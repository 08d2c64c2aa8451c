import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '../../src/server/index.js';
import { FA, bootFixedAssets, caller, category, custodyMatchesStatus, item, location } from './fixtures.js';

describe('demo data', () => {
  let t: TestPlatform;

  beforeAll(async () => {
    t = await bootFixedAssets();
    // The bits of the server's demo catalogue the fixed-assets demo builds on.
    const rtm = await location(t, 'Main DC', 'site', undefined, 'RTM');
    await location(t, 'Tool crib', 'room', rtm, 'TC');
    await location(t, 'Utrecht Store', 'site', undefined, 'UTR');
    const electronics = await category(t, 'Electronics');
    const laptops = await category(t, 'Laptops', electronics);
    const power = await category(t, 'Power tools');
    await item(t, 'Laptop 14" business', { categoryId: laptops, kind: 'asset', identifiers: [{ type: 'sku', value: 'LAP-14-BIZ' }] });
    await item(t, 'Laptop 16" workstation', { categoryId: laptops, kind: 'asset', identifiers: [{ type: 'sku', value: 'LAP-16-WS' }] });
    await item(t, 'Cordless drill 18 V', { categoryId: power, kind: 'asset', identifiers: [{ type: 'sku', value: 'DRL-18V' }] });
  });
  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  it('seeds laptops, a van with components and a tool, with a custody and a booking; once', async () => {
    const ctx = t.platform.context('fixed-assets');
    await fixedAssetsPlugin.demoData!(ctx);
    const call = caller(t);
    const assets = (await call({ method: 'GET', url: `${FA}/assets?limit=100` }, 200)).data as any[];
    expect(assets.map((a) => a.tag).filter((tag: string) => tag.startsWith('LAP-')).sort()).toEqual(['LAP-0001', 'LAP-0002', 'LAP-0003', 'LAP-0004']);
    const van = assets.find((a) => a.name.startsWith('Delivery van'));
    expect(van.childCount).toBe(2);
    expect(assets.filter((a) => a.parentId === van.id).every((c) => c.locationId === van.locationId)).toBe(true);
    expect(assets.find((a) => a.name === 'Cordless drill 18 V')).toMatchObject({ item: { name: 'Cordless drill 18 V' }, location: { name: 'Tool crib' } });
    expect(assets.filter((a) => a.status === 'checked-out')).toHaveLength(1);
    expect(assets.filter((a) => a.status === 'received')).toHaveLength(1);
    expect((await call({ method: 'GET', url: `${FA}/bookings` }, 200)).total).toBe(1);
    expect((await call({ method: 'GET', url: `${FA}/custody/holders` }, 200)).data).toMatchObject([{ holder: { label: 'Sanne de Vries' }, count: 1 }]);
    // The laptops in service, the van and the drill are on the financial and tax books, so a first period run posts for them.
    const vanBooks = await call({ method: 'GET', url: `${FA}/assets/${van.id}/books` }, 200);
    expect(vanBooks.find((b: any) => b.book === 'financial')).toMatchObject({ method: 'straight-line', costBasis: '48750.00', salvageValue: '8000.00' });
    expect(vanBooks.find((b: any) => b.book === 'tax')).toMatchObject({ method: 'macrs', recoveryPeriodYears: 5 });
    const preview = await call({ method: 'POST', url: `${FA}/depreciation/runs/preview`, payload: { book: 'tax', periodEnd: `${new Date().getUTCFullYear() - 1}-12-31` } }, 200);
    expect(preview.assets).toBeGreaterThanOrEqual(2);
    expect(Number(preview.totalAmount)).toBeGreaterThan(0);

    await fixedAssetsPlugin.demoData!(ctx);
    expect((await call({ method: 'GET', url: `${FA}/assets` }, 200)).total).toBe(assets.length);
  });
});
