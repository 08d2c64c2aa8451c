import { describe, expect, it, vi } from 'vitest';
import { ASSET_ID, CRANE_ID, DEPOT_ID, VAN_ID, YARD_ID, all, cells, choose, click, gpsApi, makeEvent, makeFence, makeTracker, q, renderGps, requests } from './harness';

const SLOW = { timeout: 30_000 };

function history() {
  return gpsApi({
    trackers: [makeTracker(VAN_ID, 'van-7', 'Van 7'), makeTracker(CRANE_ID, 'crane-1', 'Crane tracker')],
    fences: [makeFence(YARD_ID, 'Yard North'), makeFence(DEPOT_ID, 'Depot')],
    events: [
      makeEvent(4, { type: 'exited', at: '2026-11-23T19:30:00.000Z', deviceId: CRANE_ID, deviceCode: 'crane-1', assetId: ASSET_ID, afterHours: true }),
      makeEvent(3, { type: 'dwelled', at: '2026-11-23T09:10:00.000Z' }),
      makeEvent(2, { type: 'entered', at: '2026-11-23T09:00:00.000Z', fenceId: DEPOT_ID, fenceName: 'Depot', latitude: 52.4, longitude: 13.3 }),
      makeEvent(1, { type: 'entered', at: '2026-11-23T08:00:00.000Z' }),
    ],
  });
}

const eventCalls = () => requests.filter((r) => r.url.pathname === '/api/gps/events').map((r) => Object.fromEntries([...r.url.searchParams].filter(([k]) => k !== 'limit' && k !== 'offset')));

describe('geofence events', () => {
  it('lists the events newest first, with links to the tracker, the fence and the asset', SLOW, async () => {
    history();
    await renderGps('/gps/events');
    await vi.waitFor(() => expect(cells('event-row-type')).toEqual(['Exited', 'Dwelled', 'Entered', 'Entered']));
    expect(cells('event-row-tracker')).toEqual(['crane-1', 'van-7', 'van-7', 'van-7']);
    expect(cells('event-row-fence')).toEqual(['Yard North', 'Yard North', 'Depot', 'Yard North']);
    expect(cells('event-row-position')[2]).toBe('52.4, 13.3');
    expect(all('event-row-after-hours')).toHaveLength(1);
    expect(all('event-row-tracker')[0]!.getAttribute('href')).toBe(`/gps/trackers/${CRANE_ID}`);
    expect(all('event-row-fence')[2]!.getAttribute('href')).toBe(`/gps/geofences?id=${DEPOT_ID}`);
    expect(all('event-row-asset').map((a) => a.getAttribute('href'))).toEqual([`/fixed-assets/assets/${ASSET_ID}`]);
    expect(eventCalls()).toEqual([{}]);
  });

  it('filters by tracker, geofence and type, keeping the filters in the URL', SLOW, async () => {
    history();
    const { router } = await renderGps('/gps/events');
    await vi.waitFor(() => expect(cells('event-row-type')).toHaveLength(4));

    await choose('events-filter-tracker', 'Van 7 (van-7)');
    await vi.waitFor(() => expect(cells('event-row-type')).toEqual(['Dwelled', 'Entered', 'Entered']));
    await choose('events-filter-type', 'Entered');
    await vi.waitFor(() => expect(cells('event-row-fence')).toEqual(['Depot', 'Yard North']));
    await choose('events-filter-fence', 'Depot');
    await vi.waitFor(() => expect(cells('event-row-fence')).toEqual(['Depot']));
    expect(eventCalls().at(-1)).toEqual({ trackerId: VAN_ID, type: 'entered', fenceId: DEPOT_ID });
    expect(router.currentRoute.value.query).toEqual({ trackerId: VAN_ID, fenceId: DEPOT_ID, type: 'entered' });

    await click('events-clear');
    await vi.waitFor(() => expect(cells('event-row-type')).toHaveLength(4));
    expect(eventCalls().at(-1)).toEqual({});
    expect(router.currentRoute.value.query).toEqual({});
  });

  it('opens with the filters of the URL, the time range too', SLOW, async () => {
    history();
    await renderGps(`/gps/events?trackerId=${CRANE_ID}&type=exited&from=2026-11-23T18:00:00.000Z&to=2026-11-23T20:00:00.000Z`);
    await vi.waitFor(() => expect(cells('event-row-type')).toEqual(['Exited']));
    expect(eventCalls()).toEqual([{ trackerId: CRANE_ID, type: 'exited', from: '2026-11-23T18:00:00.000Z', to: '2026-11-23T20:00:00.000Z' }]);
    expect(q('events-filter-from')!.querySelector('input')!.value).toMatch(/^2026-11-23 \d\d:00$/);
  });
});
