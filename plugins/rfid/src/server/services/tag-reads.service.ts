/**
 * The `rfid.tags` reading consumer: tag reads from the core's ingestion queue, a batch per device
 * in the core's transaction. Per reader, the in-memory filter drops duplicates and weak reads;
 * each accepted read puts its tag in the zone of its antenna (or the reader's location). The tags
 * of a batch are upserted in one statement and their movements inserted in another, so the cost
 * per batch does not grow by a statement per read; only movements (a tag changing place, which is
 * rare next to reads) carry an audit record, an event and, for an asset, its relocation. With
 * fixed assets enabled, the batch's reads are also scans in the open verification campaigns that
 * cover their zones, one call per zone.
 */
import type { DeviceInfo, DeviceReadingEnvelope, PluginContext, ReadingConsumer, TagReading, Transaction } from '@quartermaster/sdk';
import { fixedAssetsService, type FixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import type { TagRead } from '../../domain/index.js';
import { TagMoved, type Direction } from '../../shared/index.js';
import { ReaderStates, zoneLocation } from './reader-state.js';
import { ASSET_TARGET, EpcInfoCache, resolveTargets, type Target } from './resolve.js';

export const TAG_CONSUMER_ID = 'rfid.tags';

interface AcceptedRead {
  read: TagRead;
  antenna: number | null;
  location: string | null;
  direction: Direction | null;
}

interface TagState {
  firstSeen: number;
  lastSeen: number | null;
  location: string | null;
  deviceId: string | null;
  antenna: number | null;
  rssi: number | null;
  reads: number;
}

interface Movement {
  epc: string;
  target: Target | null;
  from: string | null;
  to: string;
  antenna: number | null;
  direction: Direction | null;
  at: string;
}

export interface RfidRuntime {
  readonly states: ReaderStates;
  readonly infos: EpcInfoCache;
  consume(tx: Transaction, batch: DeviceReadingEnvelope[]): Promise<void>;
}

export function createRfidRuntime(ctx: PluginContext<any>): RfidRuntime {
  const states = new ReaderStates();
  const infos = new EpcInfoCache();
  const info = (epc: string) => infos.get(epc);

  async function consumeDevice(tx: Transaction, device: DeviceInfo, group: DeviceReadingEnvelope[]) {
    const state = states.for(device);
    const accepted: AcceptedRead[] = [];
    for (const e of group) {
      const r = e.reading as TagReading;
      const read: TagRead = { epc: r.epc.toUpperCase(), antenna: r.antenna ?? 0, rssi: r.rssi ?? null, readAt: r.at };
      if (state.offer(read) !== 'accepted') continue;
      // The direction as of this read: every earlier read of the pass has been offered by now.
      accepted.push({ read, antenna: r.antenna ?? null, location: zoneLocation(state.config, device, r.antenna ?? null), direction: state.directionAt(read) });
    }
    if (!accepted.length) return;

    await checkLocations(tx, device, state.config.antennaLocations, accepted);

    const epcs = [...new Set(accepted.map((a) => a.read.epc))].sort();
    // Locked in EPC order, so two transactions touching the same tags cannot deadlock on them.
    const existing = await tx.execute<{ epc: string; first_seen_at: Date; last_seen_at: Date; last_location_id: string | null; last_device_id: string | null; last_antenna: number | null; last_rssi: number | null }>(
      `SELECT epc, first_seen_at, last_seen_at, last_location_id, last_device_id, last_antenna, last_rssi FROM rfid_tag WHERE epc = ANY($1::text[]) ORDER BY epc FOR UPDATE`,
      [epcs],
    );
    const tags = new Map<string, TagState>();
    for (const r of existing) {
      tags.set(r.epc, {
        firstSeen: new Date(r.first_seen_at).getTime(),
        lastSeen: new Date(r.last_seen_at).getTime(),
        location: r.last_location_id,
        deviceId: r.last_device_id,
        antenna: r.last_antenna,
        rssi: r.last_rssi === null ? null : Number(r.last_rssi),
        reads: 0,
      });
    }
    const targets = await resolveTargets(tx, epcs, info);

    const movements: Movement[] = [];
    for (const a of accepted) {
      const epc = a.read.epc;
      const t = Date.parse(a.read.readAt);
      let s = tags.get(epc);
      if (!s) tags.set(epc, (s = { firstSeen: t, lastSeen: null, location: null, deviceId: null, antenna: null, rssi: null, reads: 0 }));
      s.reads++;
      s.firstSeen = Math.min(s.firstSeen, t);
      // A read older than the tag's last sighting (a late reader, a replay) is counted but moves nothing back.
      if (s.lastSeen !== null && t < s.lastSeen) continue;
      s.lastSeen = t;
      s.deviceId = device.id;
      s.antenna = a.antenna;
      s.rssi = a.read.rssi;
      if (a.location && a.location !== s.location) {
        movements.push({ epc, target: targets.get(epc) ?? null, from: s.location, to: a.location, antenna: a.antenna, direction: a.direction, at: new Date(t).toISOString() });
        s.location = a.location;
      }
    }

    const rows = epcs.map((epc) => ({ epc, s: tags.get(epc)!, i: info(epc), target: targets.get(epc) ?? null }));
    await tx.execute(
      `INSERT INTO rfid_tag AS t (epc, scheme, gs1_key_type, gs1_key, serial, target_type, target_id, first_seen_at, last_seen_at, last_location_id, last_device_id, last_antenna, last_rssi, read_count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::timestamptz[], $9::timestamptz[], $10::uuid[], $11::uuid[], $12::int[], $13::float8[], $14::bigint[])
       ON CONFLICT (epc) DO UPDATE SET
         scheme = EXCLUDED.scheme, gs1_key_type = EXCLUDED.gs1_key_type, gs1_key = EXCLUDED.gs1_key, serial = EXCLUDED.serial,
         target_type = EXCLUDED.target_type, target_id = EXCLUDED.target_id,
         first_seen_at = least(t.first_seen_at, EXCLUDED.first_seen_at), last_seen_at = EXCLUDED.last_seen_at,
         last_location_id = EXCLUDED.last_location_id, last_device_id = EXCLUDED.last_device_id, last_antenna = EXCLUDED.last_antenna, last_rssi = EXCLUDED.last_rssi,
         read_count = t.read_count + EXCLUDED.read_count, updated_at = now()`,
      [
        rows.map((r) => r.epc),
        rows.map((r) => r.i?.scheme ?? null),
        rows.map((r) => r.i?.gs1KeyType ?? null),
        rows.map((r) => r.i?.gs1Key ?? null),
        rows.map((r) => r.i?.serial ?? null),
        rows.map((r) => r.target?.type ?? null),
        rows.map((r) => r.target?.id ?? null),
        rows.map((r) => new Date(r.s.firstSeen).toISOString()),
        // Every tag here has a sighting: the first accepted read of a new tag is never stale.
        rows.map((r) => new Date(r.s.lastSeen!).toISOString()),
        rows.map((r) => r.s.location),
        rows.map((r) => r.s.deviceId),
        rows.map((r) => r.s.antenna),
        rows.map((r) => r.s.rssi),
        rows.map((r) => r.s.reads),
      ],
    );
    const assets = ctx.services.getOptional(fixedAssetsService);
    // Before the movements relocate assets: an audit records where the register had an asset when it was seen.
    if (assets) await recordAuditReads(tx, assets, device, accepted);
    if (!movements.length) return;

    await tx.execute(
      `INSERT INTO rfid_movement (epc, target_type, target_id, from_location_id, to_location_id, device_id, antenna, direction, at)
       SELECT epc, target_type, target_id, from_location_id, to_location_id, device_id, antenna, direction, at
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::int[], $8::text[], $9::timestamptz[])
              WITH ORDINALITY AS m(epc, target_type, target_id, from_location_id, to_location_id, device_id, antenna, direction, at, n)
        ORDER BY n`,
      [
        movements.map((m) => m.epc),
        movements.map((m) => m.target?.type ?? null),
        movements.map((m) => m.target?.id ?? null),
        movements.map((m) => m.from),
        movements.map((m) => m.to),
        movements.map(() => device.id),
        movements.map((m) => m.antenna),
        movements.map((m) => m.direction),
        movements.map((m) => m.at),
      ],
    );
    for (const m of movements) {
      await tx.audit({
        action: 'moved',
        entityType: 'rfid.tag',
        entityId: m.epc,
        before: { locationId: m.from },
        after: { locationId: m.to, deviceId: device.id, antenna: m.antenna, direction: m.direction, at: m.at },
      });
      await tx.emit(TagMoved, { epc: m.epc, targetType: m.target?.type ?? null, targetId: m.target?.id ?? null, fromLocationId: m.from, toLocationId: m.to, deviceId: device.id, direction: m.direction, at: m.at });
      if (assets && m.target?.type === ASSET_TARGET) {
        await assets.relocateIn(tx, m.target.id, m.to, { reason: `RFID ${device.code}${m.antenna !== null ? ` antenna ${m.antenna}` : ''}` });
      }
    }
  }

  return {
    states,
    infos,
    async consume(tx, batch) {
      const byDevice = new Map<string, DeviceReadingEnvelope[]>();
      for (const e of batch) {
        if (e.reading.kind !== 'tag-read') continue;
        const g = byDevice.get(e.device.id);
        if (g) g.push(e);
        else byDevice.set(e.device.id, [e]);
      }
      for (const group of byDevice.values()) await consumeDevice(tx, group[0].device, group);
    },
  };
}

/**
 * Verification campaigns of fixed assets see what the readers see: the batch's EPCs, grouped by
 * the zone they were read in, go to the open campaigns covering each zone as scans — one call per
 * zone and batch, repeats included (they count as reads, never as rows).
 */
async function recordAuditReads(tx: Transaction, assets: FixedAssetsService, device: DeviceInfo, accepted: AcceptedRead[]) {
  const byLocation = new Map<string, string[]>();
  for (const a of accepted) {
    if (!a.location) continue;
    const codes = byLocation.get(a.location);
    if (codes) codes.push(a.read.epc);
    else byLocation.set(a.location, [a.read.epc]);
  }
  for (const locationId of [...byLocation.keys()].sort()) {
    await assets.recordAuditReads(tx, { locationId, codes: byLocation.get(locationId)!, source: 'rfid', deviceLabel: `RFID ${device.code}` });
  }
}

/**
 * The zones of accepted reads must be live locations. A reader whose settings name a location that
 * does not exist or is archived fails its reads with a message saying which antenna, so the device
 * shows the error and the raw reads are kept as failed (never dropped).
 */
async function checkLocations(tx: Transaction, device: DeviceInfo, antennas: Map<number, string>, accepted: AcceptedRead[]) {
  const ids = [...new Set(accepted.map((a) => a.location).filter((l): l is string => l !== null))];
  if (!ids.length) return;
  const found = await tx.execute<{ id: string; archived: boolean }>(`SELECT id, archived FROM core_location WHERE id = ANY($1::uuid[])`, [ids]);
  const byId = new Map(found.map((r) => [r.id, r]));
  for (const id of ids) {
    const loc = byId.get(id);
    if (loc && !loc.archived) continue;
    const antenna = [...antennas].find(([, l]) => l === id)?.[0];
    const where = antenna !== undefined ? `antenna ${antenna} of reader ${device.code} watches` : `reader ${device.code} is installed at`;
    throw new Error(`${where} location ${id}, which ${loc ? 'is archived' : 'does not exist'}; correct the device's settings`);
  }
}

/** The consumer contributed in phase 1; it reaches the runtime (built in phase 2) through `runtime()`. */
export function tagReadConsumer(runtime: () => RfidRuntime): ReadingConsumer {
  return { id: TAG_CONSUMER_ID, kinds: ['tag-read'], consume: (tx, batch) => runtime().consume(tx, batch) };
}
