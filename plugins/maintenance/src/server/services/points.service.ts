/**
 * Setting up measurement points of assets (meters and gauges). The readings taken on them, and
 * the plans they feed, are readings.service.ts.
 */
import { problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { decText, tryDec, validateMeter } from '../../domain/index.js';
import type { POINT_KINDS } from '../../shared/index.js';

/** A decimal as typed (null and undefined pass through); a bad one is a field error. */
export const decimalOrNull = (v: string | number | null | undefined, field: string, errors: FieldError[]): string | null | undefined => {
  if (v === undefined || v === null) return v;
  const x = tryDec(v);
  if (!x) {
    errors.push({ field, message: 'must be a decimal number' });
    return undefined;
  }
  return decText(x);
};

const pointCodeTaken = (code: string) => problems.conflict('maintenance/point-code-taken', 'Point code taken', `The asset already has a measurement point ${code}`, { field: 'code', code });

export interface PointInput {
  code: string;
  name: string;
  kind: (typeof POINT_KINDS)[number];
  unit: string;
  rolloverAt?: string | number | null;
  maxRatePerDay?: string | number | null;
}

/**
 * Add a measurement point to an asset: 404 for an unknown asset, 400 for bad settings (a gauge
 * neither rolls over nor has a maximum rate), 409 when the asset is disposed of or already has the
 * code. Audited; answers the point's id.
 */
export async function createMeasurementPoint(tx: Transaction, assetId: string, b: PointInput): Promise<string> {
  const errors: FieldError[] = [];
  if (!b.name.trim()) errors.push({ field: 'name', message: 'must not be blank' });
  if (!b.unit.trim()) errors.push({ field: 'unit', message: 'must not be blank' });
  const rolloverAt = decimalOrNull(b.rolloverAt, 'rolloverAt', errors);
  const maxRate = decimalOrNull(b.maxRatePerDay, 'maxRatePerDay', errors);
  if (b.kind === 'gauge') {
    if (rolloverAt != null) errors.push({ field: 'rolloverAt', message: 'only meters roll over' });
    if (maxRate != null) errors.push({ field: 'maxRatePerDay', message: 'only meters have a maximum rate' });
  } else for (const i of validateMeter({ rolloverAt, maxRatePerDay: maxRate })) if (!errors.some((e) => e.field === i.field)) errors.push(i);
  const [asset] = await tx.execute<{ status: string }>(`SELECT status FROM fixed_assets_asset WHERE id = $1`, [assetId]);
  if (!asset) throw problems.notFound('asset', assetId);
  if (errors.length) throw problems.validation(errors);
  if (asset.status === 'disposed') throw problems.conflict('maintenance/asset-disposed', 'Asset disposed', 'The asset is disposed of: it takes no measurement points', { assetId });
  const [taken] = await tx.execute(`SELECT 1 FROM maintenance_measurement_point WHERE asset_id = $1 AND code = $2`, [assetId, b.code]);
  if (taken) throw pointCodeTaken(b.code);
  const [row] = await tx.execute<{ id: string }>(
    `INSERT INTO maintenance_measurement_point (asset_id, code, name, kind, unit, rollover_at, max_rate_per_day) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [assetId, b.code, b.name.trim(), b.kind, b.unit.trim(), rolloverAt ?? null, maxRate ?? null],
  );
  await tx.audit({ action: 'created', entityType: 'maintenance.measurement-point', entityId: row.id, after: { assetId, code: b.code, kind: b.kind, unit: b.unit.trim(), rolloverAt, maxRatePerDay: maxRate } });
  return row.id;
}

/**
 * Feed a point from a device channel (or stop: `null`). 400 when the device does not exist, 409
 * `maintenance/device-feed-taken` when the channel already feeds another point. Audited.
 */
export async function setDeviceFeed(tx: Transaction, pointId: string, feed: { deviceId: string; channel: string } | null): Promise<void> {
  const [before] = await tx.execute<{ device_id: string | null; device_channel: string | null }>(`SELECT device_id, device_channel FROM maintenance_measurement_point WHERE id = $1`, [pointId]);
  if (feed) {
    const channel = feed.channel.trim();
    if (!channel) throw problems.validation([{ field: 'deviceFeed.channel', message: 'must not be blank' }]);
    const [device] = await tx.execute<{ code: string }>(`SELECT code FROM core_device WHERE id = $1`, [feed.deviceId]);
    if (!device) throw problems.validation([{ field: 'deviceFeed.deviceId', message: 'no such device' }]);
    const [taken] = await tx.execute<{ code: string; asset_id: string }>(
      `SELECT code, asset_id FROM maintenance_measurement_point WHERE device_id = $1 AND device_channel = $2 AND id <> $3`,
      [feed.deviceId, channel, pointId],
    );
    if (taken) {
      throw problems.conflict('maintenance/device-feed-taken', 'Device channel already feeds a point', `Channel ${channel} of device ${device.code} already feeds the point ${taken.code}`, {
        field: 'deviceFeed',
        pointCode: taken.code,
        assetId: taken.asset_id,
      });
    }
    await tx.execute(`UPDATE maintenance_measurement_point SET device_id = $2, device_channel = $3 WHERE id = $1`, [pointId, feed.deviceId, channel]);
  } else {
    await tx.execute(`UPDATE maintenance_measurement_point SET device_id = NULL, device_channel = NULL WHERE id = $1`, [pointId]);
  }
  await tx.audit({
    action: 'device-feed-set',
    entityType: 'maintenance.measurement-point',
    entityId: pointId,
    before: { deviceId: before?.device_id ?? null, channel: before?.device_channel ?? null },
    after: { deviceId: feed?.deviceId ?? null, channel: feed?.channel.trim() ?? null },
  });
}
