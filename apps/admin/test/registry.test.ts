import { defineAdminPlugin, zones, type AdminPluginDefinition } from '@quartermaster/sdk/admin';
import { describe, expect, it, vi } from 'vitest';
import { coreNav } from '../src/plugins/coreNav';
import { buildContributions, enabledPluginIds, loadAdminPlugins, resolveScan } from '../src/plugins/registry';
import type { PlatformInfo } from '../src/api/types';

const page = () => Promise.resolve({});

const inventory = defineAdminPlugin({
  id: 'inventory',
  routes: [
    { path: '/stock', name: 'stock', title: 'Stock', component: page, permission: 'inventory.stock.read' },
    { path: '/moves/new', name: 'move-new', title: 'New move', component: page, permission: 'inventory.stock.write' },
  ],
  nav: [
    { label: 'Stock', to: 'stock', permission: 'inventory.stock.read', order: 2 },
    { label: 'Record a move', to: 'move-new', permission: 'inventory.stock.write', order: 1 },
  ],
  widgets: [
    { zone: zones.itemDetailSide, component: page, permission: 'inventory.stock.read', title: 'Stock on hand', order: 5 },
    { zone: zones.dashboard, component: page, permission: 'inventory.stock.write', title: 'Moves today' },
  ],
});
const assets = defineAdminPlugin({
  id: 'fixed-assets',
  routes: [{ path: '/', name: 'assets', title: 'Assets', component: page, permission: 'fixed-assets.asset.read' }],
  nav: [{ label: 'Assets', to: '/fixed-assets', permission: 'fixed-assets.asset.read', section: 'Assets' }],
  widgets: [{ zone: zones.itemDetailSide, component: page, permission: 'fixed-assets.asset.read', title: 'Asset', order: 1 }],
});

const bothEnabled: PlatformInfo = {
  coreVersion: '1.0.0',
  plugins: [
    { id: 'inventory', version: '1.0.0', displayName: 'Inventory' },
    { id: 'fixed-assets', version: '1.0.0', displayName: 'Fixed assets' },
  ],
};
const onlyInventory: PlatformInfo = { coreVersion: '1.0.0', plugins: [bothEnabled.plugins[0]!] };

describe('buildContributions', () => {
  it('mounts plugin routes under /<plugin-id> with qualified names', () => {
    const c = buildContributions({ platform: bothEnabled, definitions: { inventory, 'fixed-assets': assets }, permissions: ['*'] });
    expect(c.routes.map((r) => [r.path, r.name, r.permission])).toEqual([
      ['/inventory/stock', 'inventory.stock', 'inventory.stock.read'],
      ['/inventory/moves/new', 'inventory.move-new', 'inventory.stock.write'],
      ['/fixed-assets', 'fixed-assets.assets', 'fixed-assets.asset.read'],
    ]);
  });

  it("filters nav, routes and widgets by the user's permissions", () => {
    const c = buildContributions({
      platform: bothEnabled,
      definitions: { inventory, 'fixed-assets': assets },
      permissions: ['core.items.read', 'inventory.stock.read'],
      coreNav,
    });
    expect(c.nav.map((n) => n.label)).toEqual(['Dashboard', 'Items', 'Categories', 'Stock']);
    expect(c.nav.find((n) => n.label === 'Stock')?.to).toBe('/inventory/stock'); // route name resolved to its path
    expect(c.routes.map((r) => r.name)).toEqual(['inventory.stock']);
    expect(c.widgets[zones.itemDetailSide.id]?.map((w) => w.title)).toEqual(['Stock on hand']);
    expect(c.widgets[zones.dashboard.id]).toBeUndefined();
    expect(c.sections.map((s) => s.title)).toEqual([null, 'Inventory']);
  });

  it('`*` grants everything; sections group by plugin and sort by order', () => {
    const c = buildContributions({ platform: bothEnabled, definitions: { inventory, 'fixed-assets': assets }, permissions: ['*'], coreNav });
    expect(c.sections.map((s) => s.title)).toEqual([null, 'Administration', 'Inventory', 'Assets']);
    expect(c.sections.find((s) => s.title === 'Inventory')!.items.map((i) => i.label)).toEqual(['Record a move', 'Stock']);
    expect(c.widgets[zones.itemDetailSide.id]?.map((w) => w.title)).toEqual(['Asset', 'Stock on hand']);
  });

  it("a disabled plugin's routes, nav and widgets are absent even if its module is loaded", () => {
    const c = buildContributions({ platform: onlyInventory, definitions: { inventory, 'fixed-assets': assets }, permissions: ['*'] });
    expect(c.routes.some((r) => r.pluginId === 'fixed-assets')).toBe(false);
    expect(c.nav.some((n) => n.pluginId === 'fixed-assets')).toBe(false);
    expect(c.widgets[zones.itemDetailSide.id]?.map((w) => w.pluginId)).toEqual(['inventory']);
  });

  it('reports a nav entry pointing at an unknown route instead of rendering a dead link', () => {
    const broken: AdminPluginDefinition = { id: 'inventory', nav: [{ label: 'Oops', to: 'nope', permission: 'x' }] };
    const c = buildContributions({ platform: onlyInventory, definitions: { inventory: broken }, permissions: ['*'] });
    expect(c.nav).toEqual([]);
    expect(c.warnings[0]).toMatch(/unknown route "nope"/);
  });
});

describe('scan resolvers', () => {
  const match = (href: string) => ({ identifier: { id: 'i', type: 'gtin', value: 'v' }, target: { type: 't', id: 'x', label: href, href } });
  const barcode = defineAdminPlugin({
    id: 'inventory',
    scanResolvers: [
      { permission: 'barcode.read', order: 20, resolve: async (value) => ({ value, matches: [match('/late')] }) },
      { permission: 'inventory.stock.read', order: 10, resolve: async (value) => ({ value, matches: [match('/early')] }) },
      { permission: 'nobody.has.this', order: 1, resolve: async (value) => ({ value, matches: [match('/secret')] }) },
    ],
  });

  it('keeps the permitted resolvers, sorted by order', async () => {
    const c = buildContributions({ platform: onlyInventory, definitions: { inventory: barcode }, permissions: ['barcode.read', 'inventory.stock.read'] });
    expect(c.scanResolvers.map((r) => [r.key, r.order])).toEqual([
      ['inventory:1', 10],
      ['inventory:0', 20],
    ]);
    expect((await c.scanResolvers[0]!.resolve('x', { api: {} as never }))?.matches[0]?.target.href).toBe('/early');
    const none = buildContributions({ platform: { coreVersion: '1.0.0', plugins: [] }, definitions: { inventory: barcode }, permissions: ['*'] });
    expect(none.scanResolvers).toEqual([]);
  });

  it('asks resolvers in order: the first with a match wins, null, empty and failing ones pass on, the core answers last', async () => {
    const core = vi.fn(async (value: string) => ({ value, matches: [match('/core')] }));
    const ctx = { api: { get: vi.fn(), post: vi.fn() } };
    const seen: string[] = [];
    const failed: string[] = [];
    const resolvers = [
      { key: 'a', resolve: async (v: string) => (seen.push(`a:${v}`), null) },
      { key: 'b', resolve: async () => Promise.reject(new Error('down')) },
      { key: 'c', resolve: async (v: string) => ({ value: v, matches: [] }) },
      { key: 'd', resolve: async (v: string, c: unknown) => (seen.push(`d:${c === ctx}`), { value: v, matches: [match('/d')] }) },
      { key: 'e', resolve: async (v: string) => ({ value: v, matches: [match('/e')] }) },
    ];
    const hit = await resolveScan('10AB\u001d21X', resolvers, ctx, core, (key) => failed.push(key));
    expect(hit.matches.map((m) => m.target.href)).toEqual(['/d']);
    expect(seen).toEqual(['a:10AB\u001d21X', 'd:true']);
    expect(failed).toEqual(['b']);
    expect(core).not.toHaveBeenCalled();

    const fallback = await resolveScan('SKU-1', resolvers.slice(0, 3), ctx, core);
    expect(fallback.matches.map((m) => m.target.href)).toEqual(['/core']);
    expect(core).toHaveBeenCalledWith('SKU-1');
  });
});

describe('loadAdminPlugins', () => {
  it('imports only the modules of enabled plugins', async () => {
    const loadInventory = vi.fn(async () => ({ default: inventory }));
    const loadAssets = vi.fn(async () => ({ default: assets }));
    const { definitions, errors } = await loadAdminPlugins(onlyInventory, { inventory: loadInventory, 'fixed-assets': loadAssets });
    expect(loadInventory).toHaveBeenCalledTimes(1);
    expect(loadAssets).not.toHaveBeenCalled();
    expect(Object.keys(definitions)).toEqual(['inventory']);
    expect(errors).toEqual([]);
  });

  it('skips server plugins without a console module and reports modules that fail to load', async () => {
    const platform: PlatformInfo = {
      coreVersion: '1.0.0',
      plugins: [...bothEnabled.plugins, { id: 'rfid', version: '1.0.0', displayName: 'RFID' }],
    };
    expect(enabledPluginIds(platform, ['fixed-assets', 'inventory'])).toEqual(['inventory', 'fixed-assets']);
    const { definitions, errors } = await loadAdminPlugins(platform, {
      inventory: async () => ({ default: inventory }),
      'fixed-assets': async () => {
        throw new Error('chunk missing');
      },
    });
    expect(Object.keys(definitions)).toEqual(['inventory']);
    expect(errors.map((e) => e.id)).toEqual(['fixed-assets']);
  });
});
