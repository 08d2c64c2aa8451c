/** Where tags went (movements) and what the readers are reading now (recent reads, for the live view). */
import { Instant, Page, PageQuery, Type, Uuid, errorResponses, pageOf, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { isoInstant, readerOf, sqlParams } from '@quartermaster/core';
import { EpcHex, MovementSchema, RecentReadSchema, permissions } from '../../shared/index.js';
import { readerConfigOf, zoneLocation } from '../services/reader-state.js';
import { MOVEMENT_FROM, MOVEMENT_SELECT, checkDeviceFilter, checkLocationFilter, movementDto, subtreeCte } from '../services/views.js';

export function movementRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.get(
    '/movements',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Tag movements',
        description: 'Newest first. `locationId`: movements into or out of the location or anything below it; `from`/`to`: the instant of the read that moved the tag.',
        querystring: Type.Object(
          {
            epc: Type.Optional(EpcHex),
            locationId: Type.Optional(Uuid),
            deviceId: Type.Optional(Uuid),
            from: Type.Optional(Instant),
            to: Type.Optional(Instant),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(MovementSchema), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
      await checkLocationFilter(db, q.locationId);
      await checkDeviceFilter(db, q.deviceId);
      const { values, p } = sqlParams();
      const where: string[] = [];
      let cte = '';
      if (q.epc) where.push(`m.epc = ${p(q.epc.toUpperCase())}`);
      if (q.locationId) {
        cte = `WITH RECURSIVE ${subtreeCte(p(q.locationId))} `;
        where.push('(m.to_location_id IN (SELECT id FROM sub) OR m.from_location_id IN (SELECT id FROM sub))');
      }
      if (q.deviceId) where.push(`m.device_id = ${p(q.deviceId)}`);
      if (q.from) where.push(`m.at >= ${p(q.from)}::timestamptz`);
      if (q.to) where.push(`m.at <= ${p(q.to)}::timestamptz`);
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const rows = await db.execute<Record<string, any>>(
        `${cte}SELECT ${MOVEMENT_SELECT}, count(*) OVER () AS total FROM ${MOVEMENT_FROM} ${filter} ORDER BY m.at DESC, m.id DESC LIMIT ${limit} OFFSET ${offset}`,
        values,
      );
      let total = rows.length ? Number(rows[0].total) : 0;
      if (!rows.length && offset > 0) total = Number((await db.execute<{ n: string }>(`${cte}SELECT count(*) AS n FROM ${MOVEMENT_FROM} ${filter}`, values))[0].n);
      return { data: rows.map(movementDto), total, limit, offset };
    },
  );

  app.get(
    '/reads/recent',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'The latest tag reads (live view)',
        description:
          "Tag reads the core stored and processed (not the failed ones), newest first, from the core's raw readings — every read the reader sent, including those the de-duplication window filtered out of movements. Each with the zone its antenna watches and what the tag's last accepted read resolved.",
        querystring: Type.Object({ deviceId: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(RecentReadSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const { deviceId } = req.query;
      const limit = req.query.limit ?? 50;
      await checkDeviceFilter(db, deviceId);
      const rows = await db.execute<{
        id: string;
        device_id: string;
        code: string;
        settings: Record<string, unknown>;
        location_id: string | null;
        read_at: Date;
        received_at: Date;
        reading: { epc?: string; antenna?: number | null; rssi?: number | null };
        gs1_key_type: string | null;
        gs1_key: string | null;
        target_type: string | null;
        target_id: string | null;
      }>(
        `SELECT r.id::text AS id, r.device_id, d.code, d.settings, d.location_id, r.read_at, r.received_at, r.reading,
                t.gs1_key_type, t.gs1_key, t.target_type, t.target_id
           FROM core_device_reading r
           JOIN core_device d ON d.id = r.device_id
           LEFT JOIN rfid_tag t ON t.epc = r.reading->>'epc'
          WHERE r.kind = 'tag-read' AND r.status = 'processed' ${deviceId ? 'AND r.device_id = $1' : ''}
          ORDER BY r.id DESC LIMIT ${limit}`,
        deviceId ? [deviceId] : [],
      );
      const configs = new Map<string, ReturnType<typeof readerConfigOf>>();
      return {
        data: rows.map((r) => {
          let config = configs.get(r.device_id);
          if (!config) configs.set(r.device_id, (config = readerConfigOf(r.settings)));
          const antenna = typeof r.reading.antenna === 'number' ? r.reading.antenna : null;
          return {
            readingId: r.id,
            device: { id: r.device_id, code: r.code },
            readAt: isoInstant(r.read_at)!,
            receivedAt: isoInstant(r.received_at)!,
            epc: String(r.reading.epc ?? ''),
            antenna,
            rssi: typeof r.reading.rssi === 'number' ? r.reading.rssi : null,
            locationId: zoneLocation(config, { locationId: r.location_id }, antenna),
            gs1KeyType: r.gs1_key_type,
            gs1Key: r.gs1_key,
            target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
          };
        }),
      };
    },
  );
}
