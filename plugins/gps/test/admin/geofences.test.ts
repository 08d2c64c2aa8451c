import { http, HttpResponse } from 'msw';
import type { VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import GpsMap from '../../src/admin/components/GpsMap.vue';
import type { Geofence } from '../../src/admin/types';
import {
  ADMIN_SESSION,
  DEPOT_ID,
  LOC_ID,
  NOW,
  YARD_ID,
  all,
  cells,
  choose,
  click,
  confirmBox,
  fieldError,
  gpsApi,
  makeFence,
  mapFences,
  mapMarkers,
  problem,
  q,
  renderGps,
  requests,
  server,
  settle,
  state,
  text,
  toasts,
  typeInside,
  typeInto,
  validation,
} from './harness';

const SLOW = { timeout: 30_000 };
const NEW_FENCE_ID = '0196c000-0000-7000-8000-00000000f0ff';

/** A click on the map at this place, as `GpsMap` reports it (Leaflet has no layout in happy-dom to click on). */
async function clickMap(wrapper: VueWrapper, latitude: number, longitude: number) {
  wrapper.findComponent(GpsMap).vm.$emit('pick', { latitude, longitude });
  await settle(2);
}

/** The server: stores what is posted or patched (as `fenceDto` answers it) and records nothing else. */
function fenceServer(fences: Geofence[] = []) {
  const s = gpsApi({ fences });
  server.use(
    http.post('*/api/gps/geofences', async ({ request }) => {
      const b = (await request.json()) as Record<string, unknown>;
      const created = makeFence(NEW_FENCE_ID, b.name as string, {
        kind: b.kind as Geofence['kind'],
        geometry: b.geometry as Geofence['geometry'],
        dwellSeconds: (b.dwellSeconds as number | null) ?? null,
        locationId: (b.locationId as string | null) ?? null,
        locationName: b.locationId ? 'Berlin yard' : null,
        afterHours: (b.afterHours as Geofence['afterHours']) ?? null,
        active: (b.active as boolean) ?? true,
      });
      s.fences.push(created);
      return HttpResponse.json(created, { status: 201 });
    }),
    http.patch('*/api/gps/geofences/:id', async ({ params, request }) => {
      const b = (await request.json()) as Partial<Geofence>;
      const i = s.fences.findIndex((f) => f.id === params.id);
      const { version: _v, ...rest } = b;
      s.fences[i] = { ...s.fences[i]!, ...rest, version: s.fences[i]!.version + 1, updatedAt: NOW };
      return HttpResponse.json(s.fences[i]);
    }),
    http.delete('*/api/gps/geofences/:id', ({ params }) => {
      s.fences = s.fences.filter((f) => f.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return s;
}

const YARD = makeFence(YARD_ID, 'Yard North', { locationId: LOC_ID, locationName: 'Berlin yard', dwellSeconds: 600 });
/** A stored polygon: the server closes rings (first corner repeated last). */
const DEPOT = makeFence(DEPOT_ID, 'Depot', {
  kind: 'polygon',
  version: 3,
  geometry: {
    rings: [
      [
        [13.3, 52.4],
        [13.31, 52.4],
        [13.31, 52.41],
        [13.3, 52.4],
      ],
    ],
  },
  afterHours: { timeZone: 'Europe/Berlin', days: { mon: [['07:00', '18:00']], sat: [['08:00', '12:00'], ['13:00', '15:00']] }, holidays: ['2026-12-25'] },
});

const posted = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/gps/geofences').map((r) => r.body);
const patched = () => requests.filter((r) => r.method === 'PATCH').map((r) => [r.url.pathname, r.body]);
const draft = () => mapFences().find((f) => f.style === 'draft');

describe('geofence editor', () => {
  it('lists the fences, draws them, and tells site fences apart', SLOW, async () => {
    fenceServer([YARD, DEPOT, makeFence('0196c000-0000-7000-8000-00000000f003', 'Old gate', { active: false })]);
    await renderGps('/gps/geofences');
    await vi.waitFor(() => expect(cells('gf-row-name')).toEqual(['Yard North', 'Depot', 'Old gate']));
    expect(cells('gf-row-site')).toEqual(['Berlin yard', '—', '—']);
    expect(cells('gf-row-dwell')).toEqual(['600 s', '—', '—']);
    expect(all('gf-row-inactive')).toHaveLength(1);
    expect(mapFences().map((f) => [f.name, f.style])).toEqual([
      ['Yard North', 'site'],
      ['Depot', 'fence'],
      ['Old gate', 'inactive'],
    ]);
  });

  it('creates a circle: the centre clicked on the map, a radius, dwell time, a site and working hours', SLOW, async () => {
    fenceServer([YARD]);
    const { wrapper, router } = await renderGps('/gps/geofences');
    await vi.waitFor(() => expect(q('gf-new-circle')).not.toBeNull());
    await click('gf-new-circle');
    expect(text('gf-hint')).toBe('Click the map to place the centre, then set the radius.');
    // The map turned to picking without losing the classes Leaflet gave its container.
    expect(q('map')!.classList.contains('qm-gps-map--picking')).toBe(true);
    expect(q('map-canvas')!.classList.contains('leaflet-container')).toBe(true);

    await clickMap(wrapper, 52.5162746, 13.3777041);
    expect((q('gf-center-lat') as HTMLInputElement).value).toBe('52.516275');
    expect((q('gf-center-lon') as HTMLInputElement).value).toBe('13.377704');
    expect(mapMarkers()).toEqual([expect.objectContaining({ kind: 'center', lat: 52.516275, lon: 13.377704 })]);

    await typeInto('gf-name', 'Brandenburg Gate');
    await typeInto('gf-radius', '150');
    expect(draft()).toMatchObject({ name: 'Brandenburg Gate', shape: 'circle', geometry: { kind: 'circle', center: { latitude: 52.516275, longitude: 13.377704 }, radiusM: 150 } });
    await typeInto('gf-dwell', '600');
    await choose('gf-location', 'Berlin yard (BER)');
    q('gf-hours-enabled')!.querySelector('input')!.click();
    await settle();
    await typeInside('gf-timezone', 'Europe/Berlin');
    await typeInto('gf-hours-mon', '07:00-18:00');
    await typeInto('gf-hours-tue', '7:00-12:00, 13:00–17:00');
    await typeInto('gf-holidays', '2026-12-25, 2026-12-26');
    await click('gf-save');

    await vi.waitFor(() => expect(posted()).toHaveLength(1));
    expect(posted()[0]).toEqual({
      name: 'Brandenburg Gate',
      kind: 'circle',
      geometry: { center: { latitude: 52.516275, longitude: 13.377704 }, radiusM: 150 },
      dwellSeconds: 600,
      locationId: LOC_ID,
      afterHours: {
        timeZone: 'Europe/Berlin',
        days: {
          mon: [['07:00', '18:00']],
          tue: [
            ['07:00', '12:00'],
            ['13:00', '17:00'],
          ],
        },
        holidays: ['2026-12-25', '2026-12-26'],
      },
      active: true,
    });
    await vi.waitFor(() => expect(toasts()).toContain('Geofence Brandenburg Gate saved'));
    // The saved fence stays open for editing, addressable by its id.
    expect(router.currentRoute.value.query.id).toBe(NEW_FENCE_ID);
    expect(text('gf-save')).toBe('Save');
  });

  it('creates a polygon from corners clicked on the map, closed before saving', SLOW, async () => {
    fenceServer();
    const { wrapper } = await renderGps('/gps/geofences');
    await vi.waitFor(() => expect(q('gf-new-polygon')).not.toBeNull());
    await click('gf-new-polygon');
    await typeInto('gf-name', 'Car park');
    await clickMap(wrapper, 52.5, 13.4);
    await clickMap(wrapper, 52.5, 13.41);
    expect((q('gf-close-polygon') as HTMLButtonElement).disabled).toBe(true);
    await clickMap(wrapper, 52.51, 13.41);
    // Still open: drawn as a line through the corners.
    expect(draft()).toMatchObject({ shape: 'line' });
    expect(mapMarkers().map((m) => m.kind)).toEqual(['vertex', 'vertex', 'vertex']);
    await click('gf-close-polygon');
    expect(draft()).toMatchObject({ shape: 'polygon' });
    expect(q('gf-hint')).toBeNull();
    // A closed polygon takes no more corners from the map.
    await clickMap(wrapper, 52.6, 13.6);
    expect(all('gf-vertex')).toHaveLength(3);

    await click('gf-save');
    await vi.waitFor(() => expect(posted()).toHaveLength(1));
    expect(posted()[0]).toEqual({
      name: 'Car park',
      kind: 'polygon',
      geometry: {
        rings: [
          [
            [13.4, 52.5],
            [13.41, 52.5],
            [13.41, 52.51],
          ],
        ],
      },
      dwellSeconds: null,
      locationId: null,
      afterHours: null,
      active: true,
    });
  });

  it('edits a stored polygon opened from the URL and sends the whole fence with the version edited', SLOW, async () => {
    fenceServer([YARD, DEPOT]);
    await renderGps(`/gps/geofences?id=${DEPOT_ID}`);
    await vi.waitFor(() => expect(text('gf-form-title')).toBe('Depot'));
    // The closing corner is not shown as a fourth one; the stored working hours are filled in.
    expect(all('gf-vertex')).toHaveLength(3);
    expect((q('gf-hours-mon') as HTMLInputElement).value).toBe('07:00-18:00');
    expect((q('gf-hours-sat') as HTMLInputElement).value).toBe('08:00-12:00, 13:00-15:00');
    expect((q('gf-hours-sun') as HTMLInputElement).value).toBe('');
    // The fence being edited is drawn as the draft, not twice.
    expect(mapFences().map((f) => [f.name, f.style])).toEqual([
      ['Yard North', 'site'],
      ['Depot', 'draft'],
    ]);

    const rows = all('gf-vertex');
    const lat = rows[2]!.querySelector<HTMLInputElement>('[data-testid="gf-vertex-lat"]')!;
    lat.value = '52.42';
    lat.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(2);
    q('gf-active')!.click();
    await settle();
    await typeInto('gf-hours-sat', '');
    await click('gf-save');

    await vi.waitFor(() => expect(patched()).toHaveLength(1));
    expect(patched()[0]).toEqual([
      `/api/gps/geofences/${DEPOT_ID}`,
      {
        name: 'Depot',
        kind: 'polygon',
        geometry: {
          rings: [
            [
              [13.3, 52.4],
              [13.31, 52.4],
              [13.31, 52.42],
            ],
          ],
        },
        dwellSeconds: null,
        locationId: null,
        afterHours: { timeZone: 'Europe/Berlin', days: { mon: [['07:00', '18:00']] }, holidays: ['2026-12-25'] },
        active: false,
        version: 3,
      },
    ]);
  });

  it('edits a circle: a new centre from the map and a new radius', SLOW, async () => {
    fenceServer([YARD]);
    const { wrapper } = await renderGps(`/gps/geofences?id=${YARD_ID}`);
    await vi.waitFor(() => expect(text('gf-form-title')).toBe('Yard North'));
    expect((q('gf-radius') as HTMLInputElement).value).toBe('300');
    await clickMap(wrapper, 52.53, 13.41);
    await typeInto('gf-radius', '450');
    await typeInto('gf-dwell', '');
    await click('gf-save');
    await vi.waitFor(() => expect(patched()).toHaveLength(1));
    expect(patched()[0]![1]).toMatchObject({
      kind: 'circle',
      geometry: { center: { latitude: 52.53, longitude: 13.41 }, radiusM: 450 },
      dwellSeconds: null,
      locationId: LOC_ID,
      afterHours: null,
      version: 1,
    });
  });

  it('shows the server\'s problems under their fields: a corner, a day of working hours, the dwell time', SLOW, async () => {
    fenceServer();
    server.use(
      http.post('*/api/gps/geofences', () =>
        validation([
          { field: 'geometry.rings.0.2', message: 'edges 1–2 and 3–0 cross: the polygon intersects itself' },
          { field: 'afterHours.days.mon.0', message: '"25:00" is not a time of day' },
          { field: 'dwellSeconds', message: 'must be <= 2678400' },
        ]),
      ),
    );
    const { wrapper } = await renderGps('/gps/geofences');
    await vi.waitFor(() => expect(q('gf-new-polygon')).not.toBeNull());
    await click('gf-new-polygon');
    await typeInto('gf-name', 'Bow tie');
    for (const [lat, lon] of [
      [52.5, 13.4],
      [52.51, 13.41],
      [52.5, 13.41],
      [52.51, 13.4],
    ] as const)
      await clickMap(wrapper, lat, lon);
    await click('gf-close-polygon');
    await typeInto('gf-dwell', '9999999');
    q('gf-hours-enabled')!.querySelector('input')!.click();
    await settle();
    await typeInto('gf-hours-mon', '07:00-25:00');
    await click('gf-save');

    await vi.waitFor(() => expect(text('gf-form-error')).toContain('geometry.rings.0.2: edges 1–2 and 3–0 cross'));
    const corners = all('gf-vertex');
    await vi.waitFor(() => expect(fieldError('gf-vertex-lat', corners[2])).toBe('edges 1–2 and 3–0 cross: the polygon intersects itself'));
    expect(fieldError('gf-vertex-lat', corners[1])).toBeUndefined();
    expect(fieldError('gf-hours-mon')).toBe('"25:00" is not a time of day');
    expect(fieldError('gf-hours-tue')).toBeUndefined();
    expect(fieldError('gf-dwell')).toBe('must be <= 2678400');
    expect(fieldError('gf-name')).toBeUndefined();
  });

  it('shows a radius the server refuses under the radius, and a taken name under the name', SLOW, async () => {
    fenceServer([YARD]);
    let answer = 0;
    server.use(
      http.post('*/api/gps/geofences', () =>
        ++answer === 1
          ? validation([{ field: 'geometry.radiusM', message: 'must be at most 1,000 km' }])
          : problem(409, 'gps/geofence-name-taken', 'Geofence name taken', 'Another geofence is already called "Yard North"'),
      ),
    );
    await renderGps('/gps/geofences');
    await vi.waitFor(() => expect(q('gf-new-circle')).not.toBeNull());
    await click('gf-new-circle');
    await typeInto('gf-name', 'Yard North');
    await typeInto('gf-center-lat', '52.5');
    await typeInto('gf-center-lon', '13.4');
    await typeInto('gf-radius', '2000000');
    await click('gf-save');
    await vi.waitFor(() => expect(fieldError('gf-radius')).toBe('must be at most 1,000 km'));

    await typeInto('gf-radius', '100');
    await click('gf-save');
    await vi.waitFor(() => expect(fieldError('gf-name')).toBe('Another geofence is already called "Yard North"'));
    expect(fieldError('gf-radius')).toBeUndefined();
  });

  it('checks before sending: a name, a centre, at least 3 corners, working hours written as ranges', SLOW, async () => {
    fenceServer();
    const { wrapper } = await renderGps('/gps/geofences');
    await vi.waitFor(() => expect(q('gf-new-circle')).not.toBeNull());
    await click('gf-new-circle');
    await click('gf-save');
    // Element Plus shows a form item's message 100 ms after its error is set.
    await vi.waitFor(() => expect(fieldError('gf-name')).toBe('Give the geofence a name'));
    expect(fieldError('gf-center-lat')).toBe('Click the centre on the map, or type its latitude and longitude');

    q('gf-kind-polygon')!.querySelector('input')!.click();
    await settle();
    await typeInto('gf-name', 'Two corners');
    await clickMap(wrapper, 52.5, 13.4);
    await clickMap(wrapper, 52.5, 13.41);
    q('gf-hours-enabled')!.querySelector('input')!.click();
    await settle();
    await typeInto('gf-hours-wed', 'mornings');
    await click('gf-save');
    await vi.waitFor(() => expect(fieldError('gf-vertices')).toBe('Click at least 3 corners on the map'));
    expect(fieldError('gf-hours-wed')).toBe('Write ranges as 07:00-18:00, separated by commas');
    expect(text('gf-form-error')).toBe('Check the highlighted fields');
    expect(posted()).toHaveLength(0);
  });

  it('deletes a fence once confirmed', SLOW, async () => {
    const s = fenceServer([YARD, DEPOT]);
    const { router } = await renderGps(`/gps/geofences?id=${YARD_ID}`);
    await vi.waitFor(() => expect(q('gf-delete')).not.toBeNull());
    await click('gf-delete');
    await confirmBox();
    await vi.waitFor(() => expect(cells('gf-row-name')).toEqual(['Depot']));
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url.pathname)).toEqual([`/api/gps/geofences/${YARD_ID}`]);
    expect(s.fences.map((f) => f.name)).toEqual(['Depot']);
    expect(router.currentRoute.value.query.id).toBeUndefined();
    expect(toasts()).toContain('Geofence Yard North deleted');
  });

  it('shows fences read-only to someone who may only read', SLOW, async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['gps.read'] };
    fenceServer([YARD]);
    const { wrapper } = await renderGps(`/gps/geofences?id=${YARD_ID}`);
    await vi.waitFor(() => expect(text('gf-form-title')).toBe('Yard North'));
    await settle();
    expect(q('gf-new-circle')).toBeNull();
    expect(q('gf-save')).toBeNull();
    expect(q('gf-delete')).toBeNull();
    expect((q('gf-name') as HTMLInputElement).disabled).toBe(true);
    await clickMap(wrapper, 10, 10);
    expect((q('gf-center-lat') as HTMLInputElement).value).toBe('52.52');
  });
});
