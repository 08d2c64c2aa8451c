import { definePlugin, deviceAdapters, deviceIngestion, readingConsumers, type PluginContext } from '@quartermaster/sdk';
import { gpsEvents, gpsService, permissions } from '../shared/index.js';
import { GpsOptionsSchema, type GpsOptions } from './options.js';
import { gpsMigration } from './migrations/0001_gps.js';
import { osmAndAdapter } from './adapters/osmand.adapter.js';
import { nmeaAdapter } from './adapters/nmea.adapter.js';
import { createGpsRuntime, type GpsRuntime } from './services/runtime.js';
import { seedGpsDemo } from './demo-data.js';
import { startNmeaTcp } from './services/nmea-tcp.js';
import { nmeaRoutes } from './routes/nmea.routes.js';
import { osmAndRoutes } from './routes/osmand.routes.js';
import { trackerRoutes } from './routes/trackers.routes.js';
import { geofenceRoutes } from './routes/geofences.routes.js';
import { eventRoutes } from './routes/events.routes.js';

export { GpsOptionsSchema, type GpsOptions };
export { osmAndAdapter, nmeaAdapter };

/** Each running platform's runtime, by its phase-2 context (tests boot several platforms in one process). */
const runtimes = new WeakMap<PluginContext<any>, GpsRuntime>();

function runtimeOf(ctx: PluginContext<any>): GpsRuntime {
  ctx.services.get(gpsService); // builds the runtime on first use
  const rt = runtimes.get(ctx);
  if (!rt) throw new Error('gps: the runtime was not created');
  return rt;
}

const HOUR_MS = 3_600_000;

export const gpsPlugin = definePlugin({
  id: 'gps',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'GPS tracking',
  description: 'GPS trackers (OsmAnd/Traccar Client, NMEA over TCP, JSON over HTTP and MQTT): positions and trips, geofences with enter/exit/dwell events, assets moved to the site their tracker entered.',
  options: GpsOptionsSchema,
  // With fixed-assets, trackers link to assets: entering a site fence moves the asset there.
  optionalDependsOn: { 'fixed-assets': '^0.1.0' },
  permissions: [
    { id: permissions.read, description: 'See trackers, positions, trips, geofences and geofence events' },
    { id: permissions.manage, description: 'Edit geofences, link trackers to assets, prune positions' },
  ],
  events: { emits: gpsEvents },
  migrations: [gpsMigration],
  register(ctx) {
    // The runtime is made in phase 2 (it needs the database); the consumer registered now uses it.
    let rt: GpsRuntime | undefined;
    ctx.provide(gpsService, (c) => {
      rt = createGpsRuntime(c);
      runtimes.set(c, rt);
      return rt.service;
    });
    ctx.extend(deviceAdapters, osmAndAdapter);
    ctx.extend(deviceAdapters, nmeaAdapter);
    ctx.extend(readingConsumers, {
      id: 'gps.positions',
      kinds: ['position'],
      async consume(tx, batch) {
        if (!rt) throw new Error('gps: positions arrived before the plugin was ready');
        await rt.consumer.consume(tx, batch);
      },
    });
  },
  async routes(app, ctx) {
    const rt = runtimeOf(ctx);
    nmeaRoutes(app, ctx);
    osmAndRoutes(app, ctx);
    trackerRoutes(app, ctx);
    geofenceRoutes(app, ctx, rt);
    eventRoutes(app, ctx, rt);
  },
  // Fences made by the demo are seen by the positions that follow at once.
  demoData: (ctx) => seedGpsDemo(ctx, () => runtimeOf(ctx).fences.invalidate()),
  async onReady(ctx) {
    const rt = runtimeOf(ctx);
    if (rt.options.nmeaTcp.enabled) rt.tcp = await startNmeaTcp(rt.options.nmeaTcp, ctx.services.get(deviceIngestion), ctx.log);
    rt.pruneTimer = setInterval(() => {
      rt.prune().catch((err) => ctx.log.error({ err }, 'pruning GPS positions failed'));
    }, HOUR_MS);
    rt.pruneTimer.unref();
  },
  async onClose(ctx) {
    const rt = runtimes.get(ctx);
    if (!rt) return;
    clearInterval(rt.pruneTimer);
    await rt.tcp?.close();
    rt.tcp = null;
  },
});

export default gpsPlugin;
