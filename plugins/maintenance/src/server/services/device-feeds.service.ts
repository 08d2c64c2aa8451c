/**
 * Device feeds: a measurement point names a device and one of its channels (`hours` on a run-time
 * counter, `ENERGY.Total` on an energy plug); measurement readings of that channel are recorded on
 * the point as they arrive, with the same checks, plan triggers, audit records and events as
 * readings entered by hand. Each reading's source is `device:<code>` and its reference the raw
 * reading's id, so a reading delivered twice is recorded once.
 */
import type { DeviceReadingEnvelope, MeasurementReading, PluginContext, ReadingConsumer, Transaction } from '@quartermaster/sdk';
import { triggerRegistryOf } from './generation.service.js';
import { POINT_COLUMNS, recordReadings, type PointRow } from './readings.service.js';

export function meterFeedConsumer(context: () => PluginContext<any> | undefined): ReadingConsumer {
  return {
    id: 'maintenance.meter-feeds',
    kinds: ['measurement'],
    async consume(tx: Transaction, batch: DeviceReadingEnvelope[]) {
      const ctx = context();
      if (!ctx) return;
      const deviceIds = [...new Set(batch.map((e) => e.device.id))];
      const channels = [...new Set(batch.map((e) => (e.reading as MeasurementReading).channel))];
      // The points these readings feed, locked in id order (as every other path locks points).
      const points = await tx.execute<PointRow>(
        `SELECT ${POINT_COLUMNS} FROM maintenance_measurement_point p
          WHERE p.device_id = ANY($1::uuid[]) AND p.device_channel = ANY($2::text[]) ORDER BY p.id FOR UPDATE`,
        [deviceIds, channels],
      );
      if (!points.length) return;
      const byFeed = new Map(points.map((p) => [`${p.device_id}|${p.device_channel}`, p]));
      const inputs = new Map<string, { point: PointRow; readings: { value: string; readAt: string; source: string; sourceRef: string }[] }>();
      for (const e of batch) {
        const r = e.reading as MeasurementReading;
        const point = byFeed.get(`${e.device.id}|${r.channel}`);
        if (!point) continue;
        const entry = inputs.get(point.id) ?? { point, readings: [] };
        entry.readings.push({ value: r.value, readAt: r.at, source: `device:${e.device.code}`, sourceRef: e.readingId });
        inputs.set(point.id, entry);
      }
      const registry = triggerRegistryOf(ctx);
      for (const { point, readings } of inputs.values()) {
        readings.sort((a, b) => (a.readAt < b.readAt ? -1 : a.readAt > b.readAt ? 1 : 0));
        // Bad readings (backwards, impossible jumps, inactive point) are stored as rejected or flagged, as for people.
        await recordReadings(tx, registry, point, readings, { storeRejected: true, log: ctx.log });
      }
    },
  };
}
