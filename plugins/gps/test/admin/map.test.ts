import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ASSET,
  ASSET_ID,
  CRANE_ID,
  DEPOT_ID,
  LOC_ID,
  NEW_ID,
  VAN_ID,
  YARD_ID,
  all,
  cells,
  click,
  gpsApi,
  makeFence,
  makeTracker,
  mapFences,
  mapMarkers,
  position,
  q,
  renderGps,
  requests,
  settle,
  text,
} from './harness';

const SLOW = { timeout: 30_000 };

/** A minute ago, so the markers are not greyed as stale. */
const recent = () => new Date(Date.now() - 60_000).toISOString();

function fleet() {
  return gpsApi({
    trackers: [
      makeTracker(VAN_ID, 'van-7', 'Van 7', { lastPosition: position(52.52, 13.405, recent(), { speedKnots: 10, battery: 64 }), insideFences: [{ id: YARD_ID, name: 'Yard North', enteredAt: recent() }] }),
      makeTracker(CRANE_ID, 'crane-1', 'Crane tracker', {
        assetId: ASSET_ID,
        asset: ASSET,
        lastPosition: position(52.4, 13.3, '2026-01-01T08:00:00.000Z', { battery: 12 }),
      }),
      makeTracker(NEW_ID, 'new-1', 'Unboxed tracker'),
    ],
    fences: [
      makeFence(YARD_ID, 'Yard North', { locationId: LOC_ID, locationName: 'Berlin yard' }),
      makeFence(DEPOT_ID, 'Depot', { kind: 'polygon', geometry: { rings: [[[13.3, 52.4], [13.31, 52.4], [13.31, 52.41], [13.3, 52.4]]] } }),
    ],
  });
}

describe('live map', () => {
  afterEach(() => vi.useRealTimers());

  it('puts every tracker with a position on the map, labelled with its name and its asset tag, with the facts in its popup', SLOW, async () => {
    fleet();
    await renderGps('/gps/map');
    await vi.waitFor(() => expect(mapMarkers()).toHaveLength(2));
    const [van, crane] = mapMarkers();
    expect(van).toMatchObject({ id: VAN_ID, kind: 'tracker', lat: 52.52, lon: 13.405, muted: false });
    expect(van!.text).toContain('Van 7 — Van 7 (van-7)');
    expect(van!.text).toContain('Position 52.52, 13.405');
    expect(van!.text).toContain('Speed 10 kn (18.5 km/h)');
    expect(van!.text).toContain('Battery 64 %');
    expect(van!.text).toContain('Inside Yard North');
    expect(van!.text).not.toContain('Asset ');
    // Linked to an asset: labelled with its tag, a link to it; a fix from January is stale (grey).
    expect(crane).toMatchObject({ id: CRANE_ID, lat: 52.4, lon: 13.3, muted: true });
    expect(crane!.text).toMatch(/^Crane tracker · AST-2026-00042 — /);
    expect(crane!.text).toContain('Inside no geofence');
    expect(crane!.text).toContain('Asset AST-2026-00042 · Mobile crane');

    // The list under the map names all three, the one without a position too.
    expect(cells('tracker-row-name')).toEqual(['Van 7', 'Crane tracker', 'Unboxed tracker']);
    expect(cells('tracker-row-position')).toEqual(['52.52, 13.405', '52.4, 13.3', 'No position yet']);
    expect(cells('tracker-row-asset')).toEqual(['AST-2026-00042 · Mobile crane']);
    expect(cells('tracker-row-fence')).toEqual(['Yard North']);
    expect(text('map-no-position')).toBe('1 without a position yet');

    // Site fences and plain fences are drawn apart (only active ones are asked for).
    expect(mapFences().map((f) => [f.name, f.style, f.shape])).toEqual([
      ['Yard North', 'site', 'circle'],
      ['Depot', 'fence', 'polygon'],
    ]);
    expect(mapFences()[1]!.geometry.rings[0]).toHaveLength(3); // the closing vertex is not drawn twice
    expect(requests.find((r) => r.url.pathname === '/api/gps/geofences')!.url.searchParams.get('active')).toBe('true');
  });

  it('works offline when no tile server is set: no tile layer, nothing asked of any other host', SLOW, async () => {
    fleet();
    await renderGps('/gps/map');
    await vi.waitFor(() => expect(mapMarkers()).toHaveLength(2));
    await vi.waitFor(() => expect(q('map-offline')).not.toBeNull());
    expect(q('map')!.dataset.tiles).toBe('none');
    const canvas = q('map-canvas')!;
    // Leaflet made the map (its panes and the vector markers are there) but no tile layer.
    expect(canvas.classList.contains('leaflet-container')).toBe(true);
    expect(canvas.querySelectorAll('.leaflet-interactive').length).toBeGreaterThan(0);
    expect(canvas.querySelector('.leaflet-tile-pane')!.children).toHaveLength(0);
    expect(canvas.querySelectorAll('img')).toHaveLength(0);
    expect(requests.every((r) => r.url.host === 'localhost:5173')).toBe(true);
  });

  it('draws the configured tile server under the markers', SLOW, async () => {
    fleet().tileUrl = 'https://tiles.example.test/{z}/{x}/{y}.png';
    await renderGps('/gps/map');
    await vi.waitFor(() => expect(q('map')!.dataset.tiles).toBe('on'));
    expect(q('map-offline')).toBeNull();
    const tiles = q('map-canvas')!.querySelector('.leaflet-tile-pane')!;
    expect(tiles.querySelectorAll('.leaflet-layer')).toHaveLength(1);
    const srcs = [...tiles.querySelectorAll('img')].map((i) => i.getAttribute('src'));
    expect(srcs.length).toBeGreaterThan(0);
    expect(srcs.every((s) => s!.startsWith('https://tiles.example.test/'))).toBe(true);
    expect(q('map-tiles-failed')).toBeNull();

    // A tile that does not load (the console's CSP allows images from its own origin only): said why.
    tiles.querySelector('img')!.dispatchEvent(new Event('error'));
    await settle();
    expect(text('map-tiles-failed')).toBe(
      "Map tiles could not be loaded from tiles.example.test: the console's content security policy lets it load images from this server only, so serve the tiles through a path on this server.",
    );
  });

  it('opens a tracker\'s popup from the list, whose link leads to its track', SLOW, async () => {
    fleet();
    const { router } = await renderGps('/gps/map');
    await vi.waitFor(() => expect(all('tracker-row-locate')).toHaveLength(2));
    all('tracker-row-locate')[0]!.click();
    await settle();
    const popup = await vi.waitFor(() => {
      const p = q('map-canvas')!.querySelector('.leaflet-popup-content');
      expect(p).not.toBeNull();
      return p!;
    });
    expect(popup.textContent).toContain('Van 7 (van-7)');
    expect(popup.textContent).toContain('Battery 64 %');
    const link = [...popup.querySelectorAll('a')].find((a) => a.textContent === 'Track and trips')!;
    expect(link.getAttribute('href')).toBe(`/gps/trackers/${VAN_ID}`);
    link.click();
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/gps/trackers/${VAN_ID}`));
  });

  it('asks again every 10 seconds while auto refresh is on, and stops when it is turned off', SLOW, async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const s = fleet();
    await renderGps('/gps/map');
    await vi.waitFor(() => expect(mapMarkers()).toHaveLength(2));
    const trackerCalls = () => requests.filter((r) => r.url.pathname === '/api/gps/trackers').length;
    expect(trackerCalls()).toBe(1);

    // The van moved meanwhile.
    s.trackers[0] = { ...s.trackers[0]!, lastPosition: position(52.53, 13.41, recent()) };
    vi.advanceTimersByTime(10_000);
    await settle();
    await vi.waitFor(() => expect(mapMarkers()[0]).toMatchObject({ lat: 52.53, lon: 13.41 }));
    expect(trackerCalls()).toBe(2);

    q('map-auto-refresh')!.click();
    await settle();
    vi.advanceTimersByTime(30_000);
    await settle();
    expect(trackerCalls()).toBe(2);

    await click('map-refresh');
    expect(trackerCalls()).toBe(3);
  });
});
