import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  DeviceAdapterInfo,
  DeviceDetail,
  DeviceIngestionStatus,
  DeviceRawReading,
  DeviceRefusal,
  DeviceWithKey,
} from '../src/api/types';
import { bodyText, byTestId, click, renderApp, settle, typeInto } from './app';
import { ADMIN_SESSION, LOCATION_TREE, NOW, problem } from './fixtures';
import { requests, server, state } from './msw';

const KEY = 'qmd_4b7e2f9a1c3d5e6f7a8b9c0d1e2f3a4b';
const id = (n: number) => `0196b000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** Adapters shaped like the server's answer; the RFID one carries the TypeBox schema of plugins/rfid. */
const ADAPTERS: DeviceAdapterInfo[] = [
  {
    id: 'generic-json',
    label: 'Generic JSON',
    kinds: ['scanner', 'rfid-reader', 'gps-tracker', 'sensor', 'printer'],
    transports: ['http', 'mqtt'],
    description: "Readings in Quartermaster's own JSON shape",
    settingsSchema: null,
  },
  {
    id: 'rfid-reader',
    label: 'RFID reader (Zebra FX, Impinj, generic)',
    kinds: ['rfid-reader'],
    transports: ['http', 'mqtt'],
    description: 'Fixed UHF readers: Zebra FX7500/FX9600 IoT Connector tag data events',
    settingsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dedupeWindowSeconds: { type: 'number', minimum: 0, maximum: 3600, default: 5, description: 'A tag read again in the same zone within this window is a duplicate' },
        rssiThresholdDbm: { type: 'number', minimum: -200, maximum: 50, description: 'Reads weaker than this are dropped' },
      },
    },
  },
  { id: 'osmand', label: 'OsmAnd (Traccar Client)', kinds: ['gps-tracker'], transports: ['http'], description: 'Phones and trackers speaking the OsmAnd protocol', settingsSchema: null },
];

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function makeDevice(n: number, patch: Partial<DeviceDetail> = {}): DeviceDetail {
  return {
    id: id(n),
    code: `dev-${n}`,
    name: `Device ${n}`,
    kind: 'scanner',
    adapter: 'generic-json',
    adapterLabel: 'Generic JSON',
    model: null,
    locationId: null,
    locationName: null,
    status: 'active',
    keyHint: 'qmd_4b7e',
    lastSeenAt: null,
    health: { state: 'never-seen' },
    readingsCount: 0,
    refusedCount: 0,
    errorCount: 0,
    settings: {},
    keyRotatedAt: NOW,
    lastError: null,
    lastErrorAt: null,
    mqttTopic: `quartermaster/devices/dev-${n}/readings`,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

const DEVICES = () => [
  makeDevice(1, { code: 'dock-scanner-1', name: 'Dock 1 scanner', lastSeenAt: minutesAgo(2), health: { state: 'ok' }, readingsCount: 1200, locationId: 'loc-zone', locationName: 'Zone A' }),
  makeDevice(2, {
    code: 'portal-east',
    name: 'East portal',
    kind: 'rfid-reader',
    adapter: 'rfid-reader',
    adapterLabel: 'RFID reader (Zebra FX, Impinj, generic)',
    lastSeenAt: minutesAgo(20),
    health: { state: 'stale', detail: 'last seen 20 min ago' },
    readingsCount: 88,
    refusedCount: 3,
    errorCount: 2,
  }),
  makeDevice(3, { code: 'van-7', name: 'Van 7 tracker', kind: 'gps-tracker', adapter: 'osmand', adapterLabel: 'OsmAnd (Traccar Client)' }),
  makeDevice(4, { code: 'old-scanner', name: 'Old scanner', status: 'disabled', health: { state: 'disabled' }, lastSeenAt: minutesAgo(60 * 24 * 3) }),
];

const READINGS: DeviceRawReading[] = [
  {
    id: '902',
    receivedAt: NOW,
    readAt: NOW,
    kind: 'tag-read',
    transport: 'mqtt',
    reading: { kind: 'tag-read', at: NOW, epc: '3034257BF7194E4000000002', antenna: 2, rssi: -61 },
    status: 'failed',
    error: 'rfid.onTagRead: no zone is mapped to antenna 2 of portal-east',
  },
  {
    id: '901',
    receivedAt: NOW,
    readAt: '2026-11-23T09:59:58.000Z',
    kind: 'tag-read',
    transport: 'http',
    reading: { kind: 'tag-read', at: '2026-11-23T09:59:58.000Z', epc: '3034257BF7194E4000000001', antenna: 1, rssi: -52 },
    status: 'processed',
    error: null,
  },
];

const REFUSALS: DeviceRefusal[] = [
  { reason: 'unknown-key', source: '10.1.2.3', deviceId: null, deviceCode: null, count: 17, firstAt: '2026-11-22T08:00:00.000Z', lastAt: NOW, lastDetail: 'no device has the key qmd_9f…' },
  { reason: 'disabled', source: 'old-scanner', deviceId: id(4), deviceCode: 'old-scanner', count: 4, firstAt: '2026-11-23T09:00:00.000Z', lastAt: NOW, lastDetail: null },
];

const INGESTION: DeviceIngestionStatus = {
  queue: { capacity: 1000, depth: 120, accepted: 5400, processed: 5280, failed: 2, refusedFull: 0, ratePerSecond: 14 },
  mqtt: { url: 'mqtt://127.0.0.1:1883', embedded: false, connected: true, topic: 'quartermaster/devices/+/readings', messages: 3120 },
  retentionDays: 30,
};

/** The device routes as the server answers them, over an in-memory registry. */
function deviceApi(devices: DeviceDetail[] = DEVICES(), readings: DeviceRawReading[] = READINGS) {
  const find = (deviceId: unknown) => devices.find((d) => d.id === deviceId);
  const notFound = (deviceId: unknown) => problem(404, 'not-found', 'Not Found', `device ${String(deviceId)} not found`);
  const page = <T>(rows: T[], q: URLSearchParams) => {
    const limit = Number(q.get('limit') ?? 50);
    const offset = Number(q.get('offset') ?? 0);
    return HttpResponse.json({ data: rows.slice(offset, offset + limit), total: rows.length, limit, offset });
  };
  return [
    http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATION_TREE)),
    http.get('*/api/core/device-adapters', () => HttpResponse.json(ADAPTERS)),
    http.get('*/api/core/device-ingestion', () => HttpResponse.json(INGESTION)),
    http.get('*/api/core/device-refusals', ({ request }) => page(REFUSALS, new URL(request.url).searchParams)),
    http.post('*/api/core/device-readings/prune', () => HttpResponse.json({ deleted: 42, retentionDays: 30 })),
    http.get('*/api/core/devices', ({ request }) => {
      const q = new URL(request.url).searchParams;
      const text = q.get('q')?.toLowerCase();
      const rows = devices.filter(
        (d) =>
          (!text || d.code.toLowerCase().includes(text) || d.name.toLowerCase().includes(text)) &&
          (!q.get('kind') || d.kind === q.get('kind')) &&
          (!q.get('status') || d.status === q.get('status')),
      );
      return page(rows, q);
    }),
    http.post('*/api/core/devices', async ({ request }) => {
      const b = (await request.json()) as { code: string; name: string; kind: DeviceDetail['kind']; adapter?: string; settings?: Record<string, unknown> };
      const adapter = ADAPTERS.find((a) => a.id === (b.adapter ?? 'generic-json'))!;
      const device = makeDevice(devices.length + 1, {
        code: b.code,
        name: b.name,
        kind: b.kind,
        adapter: adapter.id,
        adapterLabel: adapter.label,
        settings: b.settings ?? {},
        mqttTopic: `quartermaster/devices/${b.code}/readings`,
      });
      devices.push(device);
      return HttpResponse.json({ device, key: KEY } satisfies DeviceWithKey, { status: 201 });
    }),
    http.get('*/api/core/devices/:id', ({ params }) => (find(params.id) ? HttpResponse.json(find(params.id)) : notFound(params.id))),
    http.patch('*/api/core/devices/:id', async ({ params, request }) => {
      const d = find(params.id);
      if (!d) return notFound(params.id);
      const b = (await request.json()) as Partial<DeviceDetail>;
      if (b.version !== undefined && b.version !== d.version) {
        return problem(409, 'stale-version', 'Device changed meanwhile', `You edited version ${b.version}, but the device is at version ${d.version}`, { currentVersion: d.version });
      }
      Object.assign(d, b, { version: d.version + 1 });
      return HttpResponse.json(d);
    }),
    ...(['disable', 'enable'] as const).map((verb) =>
      http.post(`*/api/core/devices/:id/${verb}`, ({ params }) => {
        const d = find(params.id);
        if (!d) return notFound(params.id);
        Object.assign(d, verb === 'disable' ? { status: 'disabled', health: { state: 'disabled' } } : { status: 'active', health: { state: 'ok' } }, { version: d.version + 1 });
        return HttpResponse.json(d);
      }),
    ),
    http.post('*/api/core/devices/:id/rotate-key', ({ params }) => {
      const d = find(params.id);
      if (!d) return notFound(params.id);
      Object.assign(d, { keyHint: 'qmd_77aa', version: d.version + 1 });
      return HttpResponse.json({ device: d, key: 'qmd_77aa0000111122223333444455556666' } satisfies DeviceWithKey);
    }),
    http.get('*/api/core/devices/:id/readings', ({ params, request }) => {
      if (!find(params.id)) return notFound(params.id);
      const q = new URL(request.url).searchParams;
      return page(readings.filter((r) => (!q.get('kind') || r.kind === q.get('kind')) && (!q.get('status') || r.status === q.get('status'))), q);
    }),
  ];
}

const calls = (method: string, pathname: string) => requests.filter((r) => r.method === method && r.url.pathname === pathname);
const lastQuery = (pathname: string) => Object.fromEntries(calls('GET', pathname).at(-1)!.url.searchParams);
const tableRows = (testid: string) => [...byTestId(testid)!.querySelectorAll<HTMLElement>('.el-table__body tr.el-table__row')];
const healthTags = () => [...document.querySelectorAll<HTMLElement>('[data-testid="devices-table"] [data-testid="device-health"]')];

/** Open an ElSelect (by its test id) and click the option with the given test id. */
async function pick(selectId: string, optionId: string) {
  byTestId(selectId)!.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  const option = document.querySelector<HTMLElement>(`[data-testid="${optionId}"]`);
  if (!option) throw new Error(`no option ${optionId}`);
  option.click();
  await settle();
}
/** The adapter options currently offered in the device dialog. */
async function adapterOptions(): Promise<string[]> {
  byTestId('device-form-adapter')!.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  return [...document.querySelectorAll<HTMLElement>('[data-testid^="device-form-adapter-"]')].map((o) => o.dataset.testid!.replace('device-form-adapter-', ''));
}
async function confirmBox(label: string) {
  await settle();
  const btn = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button')].find((b) => b.textContent?.includes(label));
  if (!btn) throw new Error(`no confirm box with "${label}"`);
  btn.click();
  await settle();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('devices list', () => {
  it('shows each device with its health, last seen and counters', async () => {
    const devices = DEVICES();
    server.use(...deviceApi(devices));
    await renderApp('/');
    await click('nav-devices');
    await vi.waitFor(() => expect(healthTags()).toHaveLength(4));
    expect(lastQuery('/api/core/devices')).toEqual({ limit: '25', offset: '0' });

    // ok green, stale orange, never seen grey, disabled red.
    expect(healthTags().map((t) => t.textContent?.trim())).toEqual(['ok', 'stale', 'never seen', 'disabled']);
    expect(healthTags().map((t) => t.className.match(/el-tag--(success|warning|info|danger)/)?.[1])).toEqual(['success', 'warning', 'info', 'danger']);
    expect(healthTags()[1]!.title).toBe('last seen 20 min ago');

    const [dock, portal, van, old] = tableRows('devices-table');
    expect(dock!.textContent).toContain('dock-scanner-1');
    expect(dock!.textContent).toContain('Generic JSON');
    expect(dock!.querySelector('a[href="/locations/loc-zone"]')?.textContent).toBe('Zone A');
    expect(dock!.querySelector('a[data-testid="device-link"]')?.getAttribute('href')).toBe(`/devices/${id(1)}`);
    const seen = dock!.querySelector<HTMLElement>('[data-testid="device-last-seen"]')!;
    expect(seen.textContent).toBe('2 min ago');
    expect(seen.title).toBe(new Date(devices[0]!.lastSeenAt!).toLocaleString()); // absolute time on hover
    expect(van!.querySelector('[data-testid="device-last-seen"]')!.textContent).toBe('never');
    expect(old!.querySelector('[data-testid="device-last-seen"]')!.textContent).toBe('3 d ago');
    // readings / refused / errors
    expect(portal!.querySelector('[data-testid="device-counts"]')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('88 / 3 / 2');
    expect(portal!.querySelector('[data-testid="device-counts"] .qm-error')?.textContent).toBe('2');
    expect(portal!.textContent).toContain('RFID reader (Zebra FX, Impinj, generic)');
  });

  it('sends the search, kind and status filters to the server', async () => {
    server.use(...deviceApi());
    await renderApp('/devices');
    await vi.waitFor(() => expect(healthTags()).toHaveLength(4));

    await typeInto('devices-search', 'portal');
    await vi.waitFor(() => expect(lastQuery('/api/core/devices')).toEqual({ q: 'portal', limit: '25', offset: '0' }));
    await vi.waitFor(() => expect(healthTags()).toHaveLength(1));

    await typeInto('devices-search', '');
    await pick('devices-filter-kind', 'devices-filter-kind-scanner');
    await vi.waitFor(() => expect(lastQuery('/api/core/devices')).toEqual({ kind: 'scanner', limit: '25', offset: '0' }));
    await pick('devices-filter-status', 'devices-filter-status-disabled');
    await vi.waitFor(() => expect(lastQuery('/api/core/devices')).toEqual({ kind: 'scanner', status: 'disabled', limit: '25', offset: '0' }));
    await vi.waitFor(() => expect(tableRows('devices-table').map((r) => r.querySelector('code')?.textContent)).toEqual(['old-scanner']));
  });

  it('is not in the nav without core.devices.read', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.items.read'] };
    await renderApp('/');
    expect(byTestId('nav-items')).not.toBeNull();
    expect(byTestId('nav-devices')).toBeNull();
  });

  it('is in the nav with core.devices.read alone, without "Register device"', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.devices.read'] };
    server.use(...deviceApi());
    await renderApp('/devices');
    await vi.waitFor(() => expect(healthTags()).toHaveLength(4));
    expect(byTestId('nav-devices')).not.toBeNull();
    expect(byTestId('device-create')).toBeNull();
  });

  it('refuses the page itself without core.devices.read', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.items.read'] };
    const { router } = await renderApp('/devices');
    expect(router.currentRoute.value.name).toBe('forbidden');
    expect(calls('GET', '/api/core/devices')).toHaveLength(0);
  });
});

describe('registering a device', () => {
  it('shows the key once with how to use it, and forgets it when the dialog closes', async () => {
    server.use(...deviceApi());
    await renderApp('/devices');
    await vi.waitFor(() => expect(healthTags()).toHaveLength(4));
    await click('device-create');
    await vi.waitFor(() => expect(byTestId('device-dialog')).not.toBeNull());

    await typeInto('device-form-code', 'portal-west');
    await typeInto('device-form-name', 'West portal');
    await pick('device-form-kind', 'device-form-kind-rfid-reader');
    await pick('device-form-adapter', 'device-form-adapter-rfid-reader');
    await typeInto('device-form-model', 'Zebra FX9600');
    await typeInto('device-form-settings', '{ "dedupeWindowSeconds": 3 }');
    await click('device-save');

    await vi.waitFor(() => expect(byTestId<HTMLInputElement>('device-key')?.value).toBe(KEY));
    const post = calls('POST', '/api/core/devices')[0]!;
    expect(post.body).toEqual({ code: 'portal-west', name: 'West portal', kind: 'rfid-reader', adapter: 'rfid-reader', model: 'Zebra FX9600', settings: { dedupeWindowSeconds: 3 } });
    expect(post.headers.get('x-csrf-token')).toBe('csrf-123');

    // How the device uses it: HTTP header, MQTT user / password / topic from the answer.
    expect(byTestId('device-key-copy')).not.toBeNull();
    expect(byTestId('device-key-http')!.textContent).toBe(`Authorization: Device ${KEY}`);
    expect(byTestId('device-key-dialog')!.textContent).toContain('POST /api/core/devices/ingest');
    expect(byTestId('device-key-mqtt-user')!.textContent).toBe('portal-west');
    expect(byTestId('device-key-mqtt-topic')!.textContent).toBe('quartermaster/devices/portal-west/readings');
    await vi.waitFor(() => expect(byTestId('devices-table')!.textContent).toContain('portal-west')); // list reloaded

    await click('device-key-done');
    await vi.waitFor(() => expect(byTestId('device-key')).toBeNull());
    expect(document.body.innerHTML).not.toContain(KEY);
  });

  it('offers only the adapters that serve the chosen kind, with their settings as help', async () => {
    server.use(...deviceApi());
    await renderApp('/devices');
    await click('device-create');
    await vi.waitFor(() => expect(byTestId('device-dialog')).not.toBeNull());

    expect(byTestId('device-form-adapter')!.querySelector('.is-disabled')).not.toBeNull(); // no kind yet
    await pick('device-form-kind', 'device-form-kind-scanner');
    expect(await adapterOptions()).toEqual(['generic-json']);
    await pick('device-form-kind', 'device-form-kind-gps-tracker');
    expect(await adapterOptions()).toEqual(['generic-json', 'osmand']);
    await pick('device-form-kind', 'device-form-kind-rfid-reader');
    expect(await adapterOptions()).toEqual(['generic-json', 'rfid-reader']);
    // The generic adapter is picked by default (the server's default too).
    expect(byTestId('device-adapter-info')!.textContent).toContain("Quartermaster's own JSON shape");

    document.querySelector<HTMLElement>('[data-testid="device-form-adapter-rfid-reader"]')!.click();
    await settle();
    expect(byTestId('device-adapter-info')!.textContent).toContain('Zebra FX7500/FX9600');
    expect(byTestId('device-adapter-info')!.textContent).toContain('mqtt');
    const help = byTestId('device-settings-help')!.textContent!;
    expect(help).toContain('dedupeWindowSeconds');
    expect(help).toContain('number (≥ 0, ≤ 3600), default 5');
    expect(help).toContain('Reads weaker than this are dropped');

    // Back to a kind the RFID adapter does not serve: the choice falls back to one that does.
    await pick('device-form-kind', 'device-form-kind-scanner');
    expect(byTestId('device-adapter-info')!.textContent).toContain("Quartermaster's own JSON shape");
  });

  it('does not send settings that are not a JSON object, and says why', async () => {
    server.use(...deviceApi());
    await renderApp('/devices');
    await click('device-create');
    await vi.waitFor(() => expect(byTestId('device-dialog')).not.toBeNull());
    expect(byTestId<HTMLTextAreaElement>('device-form-settings')!.value).toBe('{}');

    await typeInto('device-form-code', 'dock-2');
    await typeInto('device-form-name', 'Dock 2');
    await pick('device-form-kind', 'device-form-kind-scanner');
    await typeInto('device-form-settings', '{ "prefix": ');
    await click('device-save');
    await vi.waitFor(() => expect(byTestId('device-dialog')!.textContent).toContain('Not valid JSON'));
    await typeInto('device-form-settings', '["prefix"]');
    await click('device-save');
    await vi.waitFor(() => expect(byTestId('device-dialog')!.textContent).toContain('Settings must be a JSON object'));
    expect(calls('POST', '/api/core/devices')).toHaveLength(0);
    expect(byTestId('device-key')).toBeNull();
  });

  it('checks the code before sending, and shows a taken code (409) in the dialog', async () => {
    server.use(...deviceApi());
    server.use(
      http.post('*/api/core/devices', () => problem(409, 'device-code-taken', 'Device code taken', 'Another device already has the code "dock-scanner-1"')),
    );
    await renderApp('/devices');
    await click('device-create');
    await vi.waitFor(() => expect(byTestId('device-dialog')).not.toBeNull());
    await typeInto('device-form-code', 'dock scanner/1');
    await typeInto('device-form-name', 'Dock 1');
    await pick('device-form-kind', 'device-form-kind-scanner');
    await click('device-save');
    await vi.waitFor(() => expect(byTestId('device-dialog')!.textContent).toContain('Letters, digits, dot, dash and underscore only'));
    expect(calls('POST', '/api/core/devices')).toHaveLength(0);

    await typeInto('device-form-code', 'dock-scanner-1');
    await click('device-save');
    await vi.waitFor(() => expect(byTestId('device-form-error')?.textContent).toContain('Another device already has the code "dock-scanner-1"'));
    expect(byTestId('device-key')).toBeNull();
  });
});

describe('device detail', () => {
  const DETAIL = () =>
    makeDevice(2, {
      code: 'portal-east',
      name: 'East portal',
      kind: 'rfid-reader',
      adapter: 'rfid-reader',
      adapterLabel: 'RFID reader (Zebra FX, Impinj, generic)',
      model: 'Zebra FX9600',
      lastSeenAt: minutesAgo(20),
      health: { state: 'stale', detail: 'last seen 20 min ago' },
      settings: { dedupeWindowSeconds: 5 },
      lastError: 'rfid.onTagRead: no zone is mapped to antenna 2 of portal-east',
      lastErrorAt: NOW,
      version: 3,
    });

  it('shows the header, fields and last error', async () => {
    server.use(...deviceApi([DETAIL()]));
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(byTestId('device-title')?.textContent).toBe('East portal'));
    expect(byTestId('device-health')!.textContent?.trim()).toBe('stale');
    expect(byTestId('device-health')!.className).toContain('el-tag--warning');
    expect(byTestId('device-status')!.textContent?.trim()).toBe('active');
    expect(byTestId('device-last-error')!.textContent).toContain('no zone is mapped to antenna 2');
    expect(byTestId('device-mqtt-topic')!.textContent).toBe('quartermaster/devices/dev-2/readings');
    expect(JSON.parse(byTestId('device-settings')!.textContent!)).toEqual({ dedupeWindowSeconds: 5 });
    expect(byTestId('device-fields')!.textContent).toContain('Zebra FX9600');
  });

  it('edits with the version it showed, sending only what changed', async () => {
    server.use(...deviceApi([DETAIL()]));
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(byTestId('device-title')).not.toBeNull());
    await click('device-edit');
    await vi.waitFor(() => expect(byTestId<HTMLInputElement>('device-form-name')?.value).toBe('East portal'));
    expect(JSON.parse(byTestId<HTMLTextAreaElement>('device-form-settings')!.value)).toEqual({ dedupeWindowSeconds: 5 });

    await typeInto('device-form-name', 'East dock portal');
    await typeInto('device-form-settings', '{"dedupeWindowSeconds": 2, "rssiThresholdDbm": -70}');
    await click('device-save');
    await vi.waitFor(() => expect(byTestId('device-title')?.textContent).toBe('East dock portal'));
    const patch = calls('PATCH', `/api/core/devices/${id(2)}`)[0]!;
    expect(patch.body).toEqual({ name: 'East dock portal', settings: { dedupeWindowSeconds: 2, rssiThresholdDbm: -70 }, version: 3 });
    expect(JSON.parse(byTestId('device-settings')!.textContent!)).toEqual({ dedupeWindowSeconds: 2, rssiThresholdDbm: -70 });
  });

  it('shows a stale-version conflict (409) in the dialog instead of overwriting', async () => {
    const device = DETAIL();
    server.use(...deviceApi([device]));
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(byTestId('device-title')).not.toBeNull());
    device.version = 4; // someone else saved meanwhile
    await click('device-edit');
    await typeInto('device-form-model', 'Zebra FX7500');
    await click('device-save');

    await vi.waitFor(() => expect(byTestId('device-form-error')?.textContent).toContain('You edited version 3, but the device is at version 4'));
    expect(byTestId('device-form-error')!.textContent).toContain('Someone else changed this device');
    expect(calls('PATCH', `/api/core/devices/${id(2)}`)[0]!.body).toEqual({ model: 'Zebra FX7500', version: 3 });
    expect(byTestId('device-dialog')).not.toBeNull();
    expect(byTestId('device-fields')!.textContent).toContain('Zebra FX9600'); // unchanged
  });

  it('disables after confirming, then enables again', async () => {
    server.use(...deviceApi([DETAIL()]));
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(byTestId('device-title')).not.toBeNull());

    await click('device-disable');
    expect(document.querySelector('.el-message-box')!.textContent).toContain('Disable “East portal” (portal-east)?');
    await confirmBox('Disable');
    await vi.waitFor(() => expect(byTestId('device-status')?.textContent?.trim()).toBe('disabled'));
    expect(calls('POST', `/api/core/devices/${id(2)}/disable`)).toHaveLength(1);
    expect(byTestId('device-health')!.className).toContain('el-tag--danger');
    expect(byTestId('device-disable')).toBeNull();

    await click('device-enable');
    await vi.waitFor(() => expect(byTestId('device-status')?.textContent?.trim()).toBe('active'));
    expect(calls('POST', `/api/core/devices/${id(2)}/enable`)).toHaveLength(1);
  });

  it('issues a new key after confirming and shows it once', async () => {
    server.use(...deviceApi([DETAIL()]));
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(byTestId('device-title')).not.toBeNull());

    await click('device-rotate-key');
    expect(document.querySelector('.el-message-box')!.textContent).toContain('The current key (qmd_4b7e…) stops working at once');
    await confirmBox('Issue new key');
    await vi.waitFor(() => expect(byTestId<HTMLInputElement>('device-key')?.value).toBe('qmd_77aa0000111122223333444455556666'));
    expect(calls('POST', `/api/core/devices/${id(2)}/rotate-key`)).toHaveLength(1);
    expect(byTestId('device-key-mqtt-user')!.textContent).toBe('portal-east');
    expect(byTestId('device-fields')!.textContent).toContain('qmd_77aa…');

    await click('device-key-done');
    await vi.waitFor(() => expect(byTestId('device-key')).toBeNull());
    expect(document.body.innerHTML).not.toContain('qmd_77aa0000111122223333444455556666');
  });

  it('rotates nothing when the confirmation is cancelled', async () => {
    server.use(...deviceApi([DETAIL()]));
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(byTestId('device-title')).not.toBeNull());
    await click('device-rotate-key');
    await confirmBox('Cancel');
    expect(calls('POST', `/api/core/devices/${id(2)}/rotate-key`)).toHaveLength(0);
    expect(byTestId('device-key')).toBeNull();
  });

  it('hides the actions without core.devices.manage', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.devices.read'] };
    server.use(...deviceApi([DETAIL()]));
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(byTestId('device-title')).not.toBeNull());
    for (const action of ['device-edit', 'device-disable', 'device-enable', 'device-rotate-key']) expect(byTestId(action)).toBeNull();
  });
});

describe('device readings', () => {
  it('lists raw readings; a failed one shows its error, and rows expand to their JSON', async () => {
    server.use(...deviceApi());
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(tableRows('readings-table')).toHaveLength(2));
    expect(lastQuery(`/api/core/devices/${id(2)}/readings`)).toEqual({ limit: '25', offset: '0' });

    const [failed, ok] = tableRows('readings-table');
    expect(failed!.querySelector('[data-testid="reading-status"]')!.className).toContain('el-tag--danger');
    expect(failed!.querySelector('[data-testid="reading-row-error"]')!.textContent).toBe('rfid.onTagRead: no zone is mapped to antenna 2 of portal-east');
    expect(ok!.querySelector('[data-testid="reading-status"]')!.className).toContain('el-tag--success');
    expect(ok!.textContent).toContain('3034257BF7194E4000000001 · antenna 1 · -52 dBm');

    failed!.querySelector<HTMLElement>('.el-table__expand-icon')!.click();
    await settle();
    expect(byTestId('reading-error')!.textContent).toBe('rfid.onTagRead: no zone is mapped to antenna 2 of portal-east');
    expect(JSON.parse(byTestId('reading-json')!.textContent!)).toEqual(READINGS[0]!.reading);
  });

  it('filters by kind and status on the server', async () => {
    server.use(...deviceApi());
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(tableRows('readings-table')).toHaveLength(2));
    const path = `/api/core/devices/${id(2)}/readings`;
    await pick('readings-filter-status', 'readings-filter-status-failed');
    await vi.waitFor(() => expect(lastQuery(path)).toEqual({ status: 'failed', limit: '25', offset: '0' }));
    await vi.waitFor(() => expect(tableRows('readings-table')).toHaveLength(1));
    await pick('readings-filter-kind', 'readings-filter-kind-scan');
    await vi.waitFor(() => expect(lastQuery(path)).toEqual({ kind: 'scan', status: 'failed', limit: '25', offset: '0' }));
    await vi.waitFor(() => expect(byTestId('readings-table')!.textContent).toContain('No readings kept for this device'));
  });

  it('refreshes on demand, and every 5 s while live is on', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    server.use(...deviceApi());
    await renderApp(`/devices/${id(2)}`);
    await vi.waitFor(() => expect(tableRows('readings-table')).toHaveLength(2));
    const path = `/api/core/devices/${id(2)}/readings`;
    const loads = () => calls('GET', path).length;
    expect(loads()).toBe(1);

    await click('readings-refresh');
    await vi.waitFor(() => expect(loads()).toBe(2));
    expect(calls('GET', `/api/core/devices/${id(2)}`)).toHaveLength(2); // the header is refreshed too

    vi.advanceTimersByTime(5000);
    await settle();
    expect(loads()).toBe(2); // not live yet

    byTestId('readings-live')!.click();
    await settle();
    vi.advanceTimersByTime(5000);
    await vi.waitFor(() => expect(loads()).toBe(3));
    vi.advanceTimersByTime(5000);
    await vi.waitFor(() => expect(loads()).toBe(4));

    byTestId('readings-live')!.click();
    await settle();
    vi.advanceTimersByTime(15000);
    await settle();
    expect(loads()).toBe(4);
  });
});

describe('device ingestion', () => {
  it('shows the queue, MQTT, retention and the refusals', async () => {
    server.use(...deviceApi());
    await renderApp('/devices');
    await click('devices-ingestion');
    await vi.waitFor(() => expect(byTestId('ingestion-queue-depth')?.textContent).toBe('120 / 1000'));
    expect(byTestId('ingestion-queue-bar')!.querySelector('.el-progress-bar__inner')!.getAttribute('style')).toContain('width: 12%');
    expect(byTestId('ingestion-queue')!.textContent).toContain('14 / s');
    expect(byTestId('ingestion-mqtt-url')!.textContent).toBe('mqtt://127.0.0.1:1883');
    expect(byTestId('ingestion-mqtt-connected')!.textContent?.trim()).toBe('connected');
    expect(byTestId('ingestion-mqtt-topic')!.textContent).toBe('quartermaster/devices/+/readings');
    expect(byTestId('ingestion-retention-days')!.textContent).toBe('30');

    await vi.waitFor(() => expect(tableRows('refusals-table')).toHaveLength(2));
    const [unknown, disabled] = tableRows('refusals-table');
    expect(unknown!.textContent).toContain('unknown-key');
    expect(unknown!.textContent).toContain('10.1.2.3');
    expect(unknown!.textContent).toContain('17');
    expect(unknown!.querySelector('[data-testid="refusal-detail"]')!.textContent).toBe('no device has the key qmd_9f…');
    expect(unknown!.querySelector('[data-testid="refusal-device-link"]')).toBeNull();
    expect(disabled!.querySelector('[data-testid="refusal-device-link"]')!.getAttribute('href')).toBe(`/devices/${id(4)}`);
    expect(disabled!.querySelector('[data-testid="refusal-device-link"]')!.textContent).toBe('old-scanner');
  });

  it('says when MQTT is off', async () => {
    server.use(...deviceApi());
    server.use(http.get('*/api/core/device-ingestion', () => HttpResponse.json({ ...INGESTION, mqtt: null })));
    await renderApp('/devices/ingestion');
    await vi.waitFor(() => expect(byTestId('ingestion-mqtt-off')).not.toBeNull());
  });

  it('prunes old raw readings now after confirming', async () => {
    server.use(...deviceApi());
    await renderApp('/devices/ingestion');
    await vi.waitFor(() => expect(byTestId('ingestion-prune')).not.toBeNull());
    await click('ingestion-prune');
    expect(document.querySelector('.el-message-box')!.textContent).toContain('older than 30 days');
    await confirmBox('Prune now');
    await vi.waitFor(() => expect(bodyText()).toContain('42 raw readings older than 30 days deleted'));
    expect(calls('POST', '/api/core/device-readings/prune')).toHaveLength(1);
  });

  it('offers no pruning without core.devices.manage', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.devices.read'] };
    server.use(...deviceApi());
    await renderApp('/devices/ingestion');
    await vi.waitFor(() => expect(byTestId('ingestion-retention-days')).not.toBeNull());
    expect(byTestId('ingestion-prune')).toBeNull();
  });
});
