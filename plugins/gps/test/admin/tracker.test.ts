import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ADMIN_SESSION,
  ASSET,
  ASSET_ID,
  VAN_ID,
  YARD_ID,
  all,
  cells,
  choose,
  click,
  fieldError,
  gpsApi,
  makeEvent,
  makeFence,
  makeTracker,
  mapMarkers,
  position,
  q,
  renderGps,
  requests,
  server,
  settle,
  state,
  text,
} from './harness';

const SLOW = { timeout: 30_000 };
const FROM = '2026-11-22T10:00:00.000Z';
const TO = '2026-11-22T11:00:00.000Z';
const minute = (m: number) => new Date(Date.parse(FROM) + m * 60_000).toISOString();

/** The van's drive: north 0.01° a minute for 5 minutes, one invalid fix (0,0) among them. */
function drive(patch: { linked?: boolean } = {}) {
  return gpsApi({
    trackers: [
      makeTracker(VAN_ID, 'van-7', 'Van 7', {
        lastPosition: position(50.05, 8, minute(5)),
        ...(patch.linked ? { assetId: ASSET_ID, asset: ASSET } : {}),
      }),
    ],
    fences: [makeFence(YARD_ID, 'Yard North')],
    positions: {
      [VAN_ID]: [
        position(50, 8, minute(0), { speedKnots: 0 }),
        position(50.01, 8, minute(1), { speedKnots: 36 }),
        position(0, 0, minute(2), { valid: false }),
        position(50.03, 8, minute(3), { speedKnots: 36 }),
        position(50.04, 8, minute(4), { speedKnots: 36 }),
        position(50.05, 8, minute(5), { speedKnots: 0, battery: 80 }),
      ],
    },
    trips: {
      [VAN_ID]: [
        {
          startAt: minute(3),
          endAt: minute(5),
          start: { at: minute(3), latitude: 50.03, longitude: 8 },
          end: { at: minute(5), latitude: 50.05, longitude: 8 },
          durationSeconds: 120,
          distanceM: 2223.9,
          maxSpeedKnots: 36,
          averageSpeedKnots: 36,
          positionCount: 3,
          complete: false,
        },
      ],
    },
    events: [makeEvent(1, { at: minute(4), type: 'exited', afterHours: true })],
  });
}

const rangeOf = (path: string) => {
  const r = requests.filter((x) => x.url.pathname === path).at(-1)!;
  return { from: r.url.searchParams.get('from'), to: r.url.searchParams.get('to') };
};
const cursor = () => mapMarkers().find((m) => m.kind === 'cursor');

describe('tracker playback', () => {
  afterEach(() => vi.useRealTimers());

  it('asks for the positions, trips and events of the range in the URL and draws the valid fixes as the track', SLOW, async () => {
    drive();
    await renderGps(`/gps/trackers/${VAN_ID}?from=${FROM}&to=${TO}`);
    await vi.waitFor(() => expect(q('map-track')).not.toBeNull());
    expect(text('tracker-title')).toBe('Van 7 (van-7)');
    expect(rangeOf(`/api/gps/trackers/${VAN_ID}/positions`)).toEqual({ from: FROM, to: TO });
    expect(rangeOf(`/api/gps/trackers/${VAN_ID}/trips`)).toEqual({ from: FROM, to: TO });
    expect(rangeOf('/api/gps/events')).toEqual({ from: FROM, to: TO });
    expect(requests.find((r) => r.url.pathname === '/api/gps/events')!.url.searchParams.get('trackerId')).toBe(VAN_ID);

    // The invalid fix is not drawn or played.
    expect(q('map-track')!.dataset.points).toBe('5');
    expect(text('track-count')).toBe('1 of 5');
    expect(cursor()).toMatchObject({ lat: 50, lon: 8 });
    expect(text('track-cursor-position')).toBe('50, 8');

    expect(cells('trip-duration')).toEqual(['2 min']);
    expect(cells('trip-distance')).toEqual(['2.22 km']);
    expect(q('trip-incomplete')).not.toBeNull();
    expect(cells('track-event-type')).toEqual(['Exited']);
    expect(cells('track-event-fence')).toEqual(['Yard North']);
    expect(q('track-event-after-hours')).not.toBeNull();

    // "Go to start" puts the cursor on the trip's first fix.
    await click('trip-play');
    expect(cursor()).toMatchObject({ lat: 50.03, lon: 8 });
    expect(text('track-count')).toBe('3 of 5');
  });

  it('plays the track: the marker moves along it to the end', SLOW, async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    drive();
    await renderGps(`/gps/trackers/${VAN_ID}?from=${FROM}&to=${TO}`);
    await vi.waitFor(() => expect(text('track-count')).toBe('1 of 5'));
    await click('track-play');
    expect(text('track-play')).toBe('Pause');
    vi.advanceTimersByTime(250);
    await settle(2);
    expect(cursor()).toMatchObject({ lat: 50.01 });
    vi.advanceTimersByTime(10_000);
    await settle(2);
    expect(cursor()).toMatchObject({ lat: 50.05 });
    expect(text('track-count')).toBe('5 of 5');
    expect(text('track-play')).toBe('Play');
  });

  it('defaults to the last 24 hours, and a preset asks for its span up to now, keeping it in the URL', SLOW, async () => {
    drive();
    const { router } = await renderGps(`/gps/trackers/${VAN_ID}`);
    await vi.waitFor(() => expect(requests.some((r) => r.url.pathname.endsWith('/positions'))).toBe(true));
    const first = rangeOf(`/api/gps/trackers/${VAN_ID}/positions`);
    expect(Date.parse(first.to!) - Date.parse(first.from!)).toBe(24 * 3_600_000);

    const before = Date.now();
    await click('track-preset-1h');
    await vi.waitFor(() => expect(router.currentRoute.value.query.from).toBeTruthy());
    const { from, to } = router.currentRoute.value.query as { from: string; to: string };
    expect(Date.parse(to) - Date.parse(from)).toBe(3_600_000);
    expect(Date.parse(to)).toBeGreaterThanOrEqual(before - 1000);
    await vi.waitFor(() => expect(rangeOf(`/api/gps/trackers/${VAN_ID}/positions`)).toEqual({ from, to }));
    expect(rangeOf(`/api/gps/trackers/${VAN_ID}/trips`)).toEqual({ from, to });
  });

  it('warns when the range held more positions than were sent, and shows why trips could not be cut', SLOW, async () => {
    drive().truncated = true;
    server.use(
      http.get('*/api/gps/trackers/:id/trips', () =>
        HttpResponse.json(
          { type: 'https://quartermaster.dev/problems/validation', title: 'Invalid request', status: 400, detail: 'to: the range may span at most 31 days', errors: [{ field: 'to', message: 'the range may span at most 31 days' }] },
          { status: 400 },
        ),
      ),
    );
    await renderGps(`/gps/trackers/${VAN_ID}?from=2026-01-01T00:00:00.000Z&to=2026-03-01T00:00:00.000Z`);
    await vi.waitFor(() => expect(q('track-truncated')).not.toBeNull());
    await vi.waitFor(() => expect(text('trips-error')).toBe('to: the range may span at most 31 days'));
    // The positions that did come are still drawn.
    expect(q('map-track')!.dataset.points).toBe('5');
  });
});

describe('linking a tracker to an asset', () => {
  it('links to an asset picked by its tag and unlinks again', SLOW, async () => {
    const s = drive();
    server.use(
      http.put(`*/api/gps/trackers/${VAN_ID}/asset`, async ({ request }) => {
        const { assetId } = (await request.json()) as { assetId: string | null };
        s.trackers[0] = { ...s.trackers[0]!, assetId, asset: assetId ? ASSET : null };
        return HttpResponse.json(s.trackers[0]);
      }),
    );
    await renderGps(`/gps/trackers/${VAN_ID}?from=${FROM}&to=${TO}`);
    await vi.waitFor(() => expect(text('tracker-asset')).toBe('Not linked'));
    expect(q('tracker-unlink')).toBeNull();

    await choose('tracker-asset-picker', 'AST-2026-00042 · Mobile crane');
    expect(requests.some((r) => r.url.pathname === '/api/fixed-assets/assets')).toBe(true);
    await click('tracker-link');
    await vi.waitFor(() => expect(text('tracker-asset')).toBe('AST-2026-00042 · Mobile crane'));
    expect(q('tracker-asset')!.getAttribute('href')).toBe(`/fixed-assets/assets/${ASSET_ID}`);

    await click('tracker-unlink');
    await vi.waitFor(() => expect(text('tracker-asset')).toBe('Not linked'));
    expect(requests.filter((r) => r.method === 'PUT').map((r) => [r.url.pathname, r.body])).toEqual([
      [`/api/gps/trackers/${VAN_ID}/asset`, { assetId: ASSET_ID }],
      [`/api/gps/trackers/${VAN_ID}/asset`, { assetId: null }],
    ]);
  });

  it('shows the server\'s refusal under the picker', SLOW, async () => {
    drive();
    server.use(
      http.put(`*/api/gps/trackers/${VAN_ID}/asset`, () =>
        HttpResponse.json({ type: 'https://quartermaster.dev/problems/validation', title: 'Validation failed', status: 400, detail: 'assetId: no such asset', errors: [{ field: 'assetId', message: 'no such asset' }] }, { status: 400 }),
      ),
    );
    await renderGps(`/gps/trackers/${VAN_ID}?from=${FROM}&to=${TO}`);
    await vi.waitFor(() => expect(q('tracker-asset-picker')).not.toBeNull());
    await choose('tracker-asset-picker', 'AST-2026-00042 · Mobile crane');
    await click('tracker-link');
    await vi.waitFor(() => expect(fieldError('tracker-asset-picker')).toBe('no such asset'));
    expect(text('tracker-asset')).toBe('Not linked');
  });

  it('without fixed-assets: says linking needs it, and a linked tracker can still be unlinked', SLOW, async () => {
    const s = drive();
    s.trackers[0] = { ...s.trackers[0]!, assetId: ASSET_ID, asset: null };
    server.use(http.put(`*/api/gps/trackers/${VAN_ID}/asset`, () => HttpResponse.json({ ...s.trackers[0]!, assetId: null })));
    await renderGps(`/gps/trackers/${VAN_ID}?from=${FROM}&to=${TO}`, { fixedAssets: false });
    await vi.waitFor(() => expect(q('tracker-link-unavailable')).not.toBeNull());
    expect(q('tracker-asset-picker')).toBeNull();
    expect(text('tracker-asset')).toBe(`Linked to asset ${ASSET_ID}`);
    await click('tracker-unlink');
    await vi.waitFor(() => expect(text('tracker-asset')).toBe('Not linked'));
    expect(requests.some((r) => r.url.pathname.startsWith('/api/fixed-assets'))).toBe(false);
  });

  it('offers no linking to someone who may only read', SLOW, async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['gps.read'] };
    drive({ linked: true });
    await renderGps(`/gps/trackers/${VAN_ID}?from=${FROM}&to=${TO}`);
    await vi.waitFor(() => expect(text('tracker-asset')).toBe('AST-2026-00042 · Mobile crane'));
    await settle();
    expect(q('tracker-link-section')).toBeNull();
    expect(all('tracker-unlink')).toHaveLength(0);
  });
});
