import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  AISLE_ID,
  APRON_ID,
  INSIDE_ID,
  READER2_ID,
  READER_ID,
  all,
  cells,
  choose,
  click,
  clickIn,
  errorAt,
  lastRequest,
  makeReader,
  paged,
  pickLocation,
  problem,
  q,
  renderRfid,
  requests,
  server,
  summaryOf,
  text,
  toasts,
  typeIn,
} from './harness';

const SLOW = { timeout: 30_000 };

function serveReaders(reader = makeReader()) {
  let current = reader;
  const patches: unknown[] = [];
  server.use(
    http.get('*/api/core/devices', ({ request }) =>
      paged([summaryOf(current), summaryOf(makeReader({ id: READER2_ID, code: 'aisle-3', name: 'Aisle 3 shelf reader', health: { state: 'silent', detail: 'nothing for 2 h' }, lastSeenAt: null, readingsCount: 0 }))], request.url),
    ),
    http.get(`*/api/core/devices/${READER_ID}`, () => HttpResponse.json(current)),
    http.patch(`*/api/core/devices/${READER_ID}`, async ({ request }) => {
      const body = (await request.json()) as { settings: Record<string, unknown>; version: number };
      patches.push(body);
      current = { ...current, settings: body.settings, version: current.version + 1 };
      return HttpResponse.json(current);
    }),
  );
  return { patches };
}

describe('readers', () => {
  it('lists the rfid-reader devices with their health, linking to the setup and the core device page; RFID is a nav section', SLOW, async () => {
    serveReaders();
    await renderRfid('/rfid/readers');
    await vi.waitFor(() => expect(cells('reader-row-link')).toEqual(['dock-1', 'aisle-3']));
    expect(lastRequest(requests, '/api/core/devices').url.searchParams.get('kind')).toBe('rfid-reader');
    expect(cells('reader-row-health')).toEqual(['ok', 'silent']);
    expect(all('reader-row-health')[1]!.getAttribute('title')).toBe('nothing for 2 h');
    expect(cells('reader-row-seen')[1]).toBe('never');
    expect(cells('reader-row-reads')).toEqual(['1250', '0']);
    expect(all('reader-row-setup')[0]!.getAttribute('href')).toBe(`/rfid/readers/${READER_ID}`);
    expect(all('reader-row-device')[0]!.getAttribute('href')).toBe(`/devices/${READER_ID}`);
    for (const entry of ['live-reads', 'tags', 'movements', 'stock-counts', 'epc-tool', 'readers']) expect(q(`nav-rfid-${entry}`), entry).not.toBeNull();
  });

  it('shows the settings as a form and saves the settings JSON it builds, with the version', SLOW, async () => {
    const { patches } = serveReaders(makeReader({ settings: { ...makeReader().settings, vendorOption: 'keep me' } }));
    await renderRfid(`/rfid/readers/${READER_ID}`);
    await vi.waitFor(() => expect(all('antenna-row')).toHaveLength(2));
    expect(text('reader-title')).toBe('dock-1 · Dock 1 portal');
    expect(q('reader-device-link')!.getAttribute('href')).toBe(`/devices/${READER_ID}`);
    expect(all('antenna-port').map((i) => (i as HTMLInputElement).value)).toEqual(['1', '2']);
    expect(cells('antenna-zone')).toEqual(['Dock 1 apron', 'Dock 1 inside']);
    expect(q('portal-ok')).not.toBeNull();

    // A third antenna watching the aisle, not part of the portal.
    await click('antenna-add');
    const third = all('antenna-row')[2]!;
    expect((q('antenna-port', third) as HTMLInputElement).value).toBe('3');
    await pickLocation(q('antenna-zone', third), 'Aisle 3');
    // The outer antenna becomes a plain zone antenna: the portal is one-sided now, and the form says so.
    await choose(q('antenna-side', all('antenna-row')[0]!), { testid: 'antenna-side-none' });
    expect(q('portal-one-sided')).not.toBeNull();
    await choose(q('antenna-side', all('antenna-row')[0]!), { testid: 'antenna-side-outer' });
    await typeIn('reader-dedupe', '3');
    await typeIn('reader-rssi', '-65.5');
    await typeIn('reader-portal-window', '');
    await click('reader-save');

    await vi.waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({
      settings: {
        vendorOption: 'keep me',
        antennas: [
          { antenna: 1, locationId: APRON_ID, portalSide: 'outer' },
          { antenna: 2, locationId: INSIDE_ID, portalSide: 'inner' },
          { antenna: 3, locationId: AISLE_ID },
        ],
        dedupeWindowSeconds: 3,
        rssiThresholdDbm: -65.5,
      },
      version: 4,
    });
    await vi.waitFor(() => expect(toasts()).toContain('Settings of dock-1 saved'));
    expect(JSON.parse(text('reader-settings-json')!)).toMatchObject({ dedupeWindowSeconds: 3, rssiThresholdDbm: -65.5 });

    // Removing an antenna and saving again sends the next version.
    await clickIn(all('antenna-row')[2]!, 'antenna-remove');
    await click('reader-save');
    await vi.waitFor(() => expect(patches).toHaveLength(2));
    expect(patches[1]).toMatchObject({ version: 5, settings: { antennas: [{ antenna: 1 }, { antenna: 2 }] } });
  });

  it('refuses what it cannot save next to the fields: a row without a zone, a port used twice, a window out of range', SLOW, async () => {
    const { patches } = serveReaders();
    await renderRfid(`/rfid/readers/${READER_ID}`);
    await vi.waitFor(() => expect(all('antenna-row')).toHaveLength(2));
    await click('antenna-add');
    const third = all('antenna-row')[2]!;
    await typeIn('antenna-port', '2', third);
    await typeIn('reader-dedupe', '7200');
    await typeIn('reader-rssi', 'loud');
    await click('reader-save');
    await vi.waitFor(() => expect(errorAt(q('antenna-port', third))).toBe('Antenna 2 is already on row 2'));
    expect(errorAt(q('antenna-zone', third))).toBe('Pick the zone this antenna watches');
    expect(errorAt(q('reader-dedupe'))).toBe('Seconds from 0 to 3600');
    expect(errorAt(q('reader-rssi'))).toBe('dBm from -200 to 50');
    expect(text('reader-save-error')).toContain('Check the highlighted fields');
    expect(patches).toEqual([]);
  });

  it("puts the server's refusals on the fields they name, and offers a reload when the reader changed meanwhile", SLOW, async () => {
    serveReaders();
    let answer: 'invalid' | 'stale' = 'invalid';
    server.use(
      http.patch(`*/api/core/devices/${READER_ID}`, () =>
        answer === 'invalid'
          ? problem(400, 'validation', 'Validation failed', 'settings.antennas.1.locationId: Expected string to match format uuid', {
              errors: [{ field: 'settings.antennas.1.locationId', message: "Expected string to match 'uuid' format" }],
            })
          : problem(409, 'stale-version', 'Device changed meanwhile', 'You edited version 4, but the device is at version 5', { currentVersion: 5 }),
      ),
    );
    await renderRfid(`/rfid/readers/${READER_ID}`);
    await vi.waitFor(() => expect(all('antenna-row')).toHaveLength(2));
    await click('reader-save');
    await vi.waitFor(() => expect(errorAt(q('antenna-zone', all('antenna-row')[1]!))).toBe("Expected string to match 'uuid' format"));

    answer = 'stale';
    await click('reader-save');
    await vi.waitFor(() => expect(text('reader-save-error')).toContain('You edited version 4, but the device is at version 5'));
    const gets = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === `/api/core/devices/${READER_ID}`).length;
    const before = gets();
    await click('reader-reload');
    await vi.waitFor(() => expect(gets()).toBe(before + 1));
  });

  it('is read-only for someone who may see devices but not change them', SLOW, async () => {
    serveReaders();
    await renderRfid(`/rfid/readers/${READER_ID}`, { permissions: ['core.devices.read', 'rfid.read'] });
    await vi.waitFor(() => expect(all('antenna-row')).toHaveLength(2));
    expect(q('reader-save')).toBeNull();
    expect(q('antenna-add')).toBeNull();
    expect(text('reader-read-only')).toBe('Changing a reader needs the permission to manage devices.');
    expect((q('antenna-port') as HTMLInputElement).disabled).toBe(true);
  });
});
