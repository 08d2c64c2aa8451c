/** Rows of the RFID tables as the API shows them, and the labels of what tags point at. */
import { isoInstant, type Db } from '@quartermaster/core';
import { ProblemError, problems, type PluginContext } from '@quartermaster/sdk';
import { fixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { EpcError } from '../../domain/index.js';
import type { MovementDto, TagDto } from '../../shared/index.js';
import { ASSET_TARGET, tryDecode } from './resolve.js';

/** An EPC the domain refuses: 422 whose detail is the domain's reason; `code` is the EpcError's code. */
export function epcProblem(err: EpcError): ProblemError {
  return new ProblemError({
    type: 'rfid/epc-invalid',
    status: 422,
    title: 'Not a valid EPC',
    detail: err.reason,
    extensions: { code: err.code, field: err.field ?? null, ...(err.position !== undefined ? { position: err.position } : {}) },
  });
}

/** `it and everything under it`, for a location id given as `param`. */
export const subtreeCte = (param: string) =>
  `sub AS (SELECT id FROM core_location WHERE id = ${param}::uuid UNION ALL SELECT c.id FROM core_location c JOIN sub ON c.parent_id = sub.id)`;

/** Refuse a filter naming a location that does not exist (an empty answer would hide the typo). */
export async function checkLocationFilter(db: Db, locationId: string | undefined, field = 'locationId') {
  if (!locationId) return;
  const [row] = await db.execute(`SELECT 1 FROM core_location WHERE id = $1`, [locationId]);
  if (!row) throw problems.validation([{ field, message: 'no such location' }]);
}

export async function checkDeviceFilter(db: Db, deviceId: string | undefined, field = 'deviceId') {
  if (!deviceId) return;
  const [row] = await db.execute(`SELECT 1 FROM core_device WHERE id = $1`, [deviceId]);
  if (!row) throw problems.validation([{ field, message: 'no such device' }]);
}

/** Labels of tag targets: item names, location names, `TAG · name` of assets (when fixed-assets is enabled). */
export async function targetLabels(ctx: PluginContext<any>, db: Db, targets: Array<{ type: string; id: string } | null>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = (type: string) => [...new Set(targets.filter((t) => t?.type === type).map((t) => t!.id))];
  const items = ids('core.item');
  if (items.length) for (const r of await db.execute<{ id: string; name: string }>(`SELECT id, name FROM core_item WHERE id = ANY($1::uuid[])`, [items])) out.set(`core.item:${r.id}`, r.name);
  const locations = ids('core.location');
  if (locations.length) for (const r of await db.execute<{ id: string; name: string }>(`SELECT id, name FROM core_location WHERE id = ANY($1::uuid[])`, [locations])) out.set(`core.location:${r.id}`, r.name);
  const assets = ctx.services.getOptional(fixedAssetsService);
  if (assets) {
    const found = await Promise.all(ids(ASSET_TARGET).map((id) => assets.getAsset(id)));
    for (const a of found) if (a) out.set(`${ASSET_TARGET}:${a.id}`, `${a.tag} · ${a.name}`);
  }
  return out;
}

export interface TagRow {
  epc: string;
  scheme: string | null;
  gs1_key_type: string | null;
  gs1_key: string | null;
  serial: string | null;
  target_type: string | null;
  target_id: string | null;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  last_location_id: string | null;
  location_name: string | null;
  last_device_id: string | null;
  device_code: string | null;
  last_antenna: number | null;
  last_rssi: number | null;
  read_count: string | number;
}

/**
 * Columns of a tag with its names. The target is the tag's `epc` identifier in the core when there
 * is one (it may have been assigned since the last read), else the one the last read resolved.
 */
export const TAG_SELECT = `
  t.epc, t.scheme, t.gs1_key_type, t.gs1_key, t.serial,
  coalesce(i.target_type, t.target_type) AS target_type, coalesce(i.target_id, t.target_id) AS target_id,
  t.first_seen_at, t.last_seen_at, t.last_location_id, l.name AS location_name, t.last_device_id, d.code AS device_code,
  t.last_antenna, t.last_rssi, t.read_count`;
export const TAG_FROM = `
  rfid_tag t
  LEFT JOIN core_identifier i ON i.type = 'epc' AND i.value = t.epc
  LEFT JOIN core_location l ON l.id = t.last_location_id
  LEFT JOIN core_device d ON d.id = t.last_device_id`;

export function tagDto(r: TagRow, labels: Map<string, string>): TagDto {
  const d = tryDecode(r.epc);
  return {
    epc: r.epc,
    scheme: r.scheme,
    gs1KeyType: r.gs1_key_type,
    gs1Key: r.gs1_key,
    serial: r.serial,
    pureIdentityUri: d?.pureIdentityUri ?? null,
    hri: d?.hri ?? null,
    target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id, label: labels.get(`${r.target_type}:${r.target_id}`) ?? null } : null,
    firstSeenAt: isoInstant(r.first_seen_at)!,
    lastSeenAt: isoInstant(r.last_seen_at)!,
    location: r.last_location_id ? { id: r.last_location_id, name: r.location_name ?? '' } : null,
    device: r.last_device_id ? { id: r.last_device_id, code: r.device_code ?? '' } : null,
    antenna: r.last_antenna,
    rssi: r.last_rssi === null ? null : Number(r.last_rssi),
    readCount: Number(r.read_count),
  };
}

export const MOVEMENT_SELECT = `
  m.id::text AS id, m.epc, m.target_type, m.target_id, m.from_location_id, fl.name AS from_name, m.to_location_id, tl.name AS to_name,
  m.device_id, d.code AS device_code, m.antenna, m.direction, m.at`;
export const MOVEMENT_FROM = `
  rfid_movement m
  LEFT JOIN core_location fl ON fl.id = m.from_location_id
  JOIN core_location tl ON tl.id = m.to_location_id
  LEFT JOIN core_device d ON d.id = m.device_id`;

export function movementDto(r: Record<string, any>): MovementDto {
  return {
    id: r.id,
    epc: r.epc,
    target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
    from: r.from_location_id ? { id: r.from_location_id, name: r.from_name } : null,
    to: { id: r.to_location_id, name: r.to_name },
    device: r.device_id ? { id: r.device_id, code: r.device_code } : null,
    antenna: r.antenna,
    direction: r.direction,
    at: isoInstant(r.at)!,
  };
}
