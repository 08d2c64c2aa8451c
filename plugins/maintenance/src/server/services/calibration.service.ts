/**
 * Calibration: instruments (assets with a calibration interval, test points with tolerances and a
 * procedure), calibration results with as-found and as-left readings, certificates, and the
 * check-out guard that keeps an instrument whose calibration is overdue (or failed) from being
 * handed out.
 *
 * Rules:
 * - Pass/fail, the as-found failure and the next due date come from the domain
 *   (`assessCalibration`, `nextCalibrationDue`, `calibrationStatus`).
 * - The instrument shows its latest calibration by date performed (`last_calibrated_on`,
 *   `due_on`, `last_result`); a calibration entered later for an earlier date is history only.
 * - The instrument row is locked (`FOR UPDATE`) while a result is recorded, so two results of
 *   one instrument never overwrite each other's effect.
 * - A cost is stored on the calibration and posted to the asset's cost ledger in fixed-assets
 *   (kind `calibration`, source `maintenance`, reference `calibration:<id>`) in the same
 *   transaction.
 */
import { createHash } from 'node:crypto';
import { cleanText, problems, ProblemError, type FieldError, type Transaction } from '@quartermaster/sdk';
import { isoInstant, pgErrorCode, type Db } from '@quartermaster/core';
import type { CheckOutGuard, FixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { CalibrationRecorded } from '../../shared/index.js';
import {
  MAX_EVERY,
  assessCalibration,
  calibrationStatus,
  decText,
  fixedText,
  nextCalibrationDue,
  tryDec,
  utcDateOf,
  type CalibrationInterval,
  type CalibrationStatus,
  type IntervalUnit,
  type PointResult,
} from '../../domain/index.js';
import { categorySettingsView } from './catalogue.service.js';

/** Today as a UTC calendar date (the domain takes `today` from its caller). */
export const todayUtc = () => utcDateOf(Date.now());

/** The table stores plural units (`months`), the domain and the API singular ones (`month`). */
const TABLE_UNIT: Record<IntervalUnit, string> = { day: 'days', week: 'weeks', month: 'months', year: 'years' };
const API_UNIT: Record<string, IntervalUnit> = { days: 'day', weeks: 'week', months: 'month', years: 'year' };

/** numeric(20,4): at most 16 digits before the point. */
const MAX_AMOUNT = '9999999999999999';
/** Largest readings and nominal values we keep (a gauge shows nothing larger). */
const MAX_READING = '1e15';

/** Exactly one of the two (the route's schema makes sure). */
export type ToleranceIn = { plusMinus?: string | number; percent?: string | number };
export interface InstrumentPointIn {
  label?: string | null;
  nominal: string | number;
  unit: string;
  tolerance: ToleranceIn;
}
export interface InstrumentPoint {
  label: string | null;
  nominal: string;
  unit: string;
  tolerance: { plusMinus: string } | { percent: string };
}

export interface InstrumentInput {
  interval: { n: number; unit: IntervalUnit };
  points: InstrumentPointIn[];
  procedure?: string | null;
  warnDays?: number;
  active?: boolean;
}

export interface CalibrationInput {
  performedOn: string;
  performedBy: string;
  points: Array<{ asFound: string | number; asLeft?: string | number | null }>;
  certificateNumber?: string | null;
  note?: string | null;
  workOrderId?: string | null;
  cost?: string | number | null;
}

export interface InstrumentRow {
  asset_id: string;
  tag: string;
  name: string;
  asset_status: string;
  category_id: string | null;
  location_id: string | null;
  currency: string;
  interval_n: number;
  interval_unit: string;
  points: InstrumentPoint[];
  procedure: string | null;
  warn_days: number;
  last_calibrated_on: string | null;
  due_on: string | null;
  last_result: 'pass' | 'fail' | null;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

export const INSTRUMENT_SELECT = `
  SELECT i.asset_id, a.tag, a.name, a.status AS asset_status, a.category_id, a.location_id, a.currency, i.interval_n, i.interval_unit, i.points, i.procedure,
         i.warn_days, i.last_calibrated_on::text AS last_calibrated_on, i.due_on::text AS due_on, i.last_result, i.active, i.created_at, i.updated_at
    FROM maintenance_instrument i JOIN fixed_assets_asset a ON a.id = i.asset_id`;

export const instrumentView = (r: InstrumentRow, today: string) => ({
  assetId: r.asset_id,
  tag: r.tag,
  name: r.name,
  assetStatus: r.asset_status,
  categoryId: r.category_id,
  locationId: r.location_id,
  interval: { n: r.interval_n, unit: API_UNIT[r.interval_unit] },
  points: r.points,
  procedure: r.procedure,
  warnDays: r.warn_days,
  active: r.active,
  lastCalibratedOn: r.last_calibrated_on,
  dueOn: r.due_on,
  lastResult: r.last_result,
  status: calibrationStatus(r.due_on, today, r.warn_days),
  createdAt: isoInstant(r.created_at)!,
  updatedAt: isoInstant(r.updated_at)!,
});
export type InstrumentView = ReturnType<typeof instrumentView>;

/** One point of a stored calibration: the instrument's point as it was, and what was measured. */
export interface CalibrationPointRecord {
  label: string | null;
  unit: string;
  nominal: string;
  /** The tolerance as set on the instrument ({ plusMinus } or { percent }). */
  toleranceSpec: InstrumentPoint['tolerance'];
  /** The absolute tolerance (± this). */
  tolerance: string;
  asFound: string;
  asFoundError: string;
  asFoundInTolerance: boolean;
  asLeft: string | null;
  asLeftError: string | null;
  asLeftInTolerance: boolean | null;
  inTolerance: boolean;
}

export interface CalibrationRow {
  id: string;
  asset_id: string;
  tag: string;
  work_order_id: string | null;
  performed_on: string;
  performed_by: string;
  points: CalibrationPointRecord[];
  result: 'pass' | 'fail';
  as_found_failed: boolean;
  certificate_number: string | null;
  next_due_on: string;
  note: string | null;
  cost: string | null;
  currency: string | null;
  suspect_since: string | null;
  created_by_label: string;
  created_at: Date | string;
}

/** `suspect_since`: the calibration before this one (by date), from when measurements are in doubt if this one failed as found. */
export const CALIBRATION_SELECT = `
  SELECT c.id, c.asset_id, a.tag, c.work_order_id, c.performed_on::text AS performed_on, c.performed_by, c.points, c.result, c.as_found_failed,
         c.certificate_number, c.next_due_on::text AS next_due_on, c.note, c.cost::text AS cost, c.currency,
         (SELECT max(p.performed_on)::text FROM maintenance_calibration p WHERE p.asset_id = c.asset_id AND p.performed_on < c.performed_on) AS suspect_since,
         c.created_by_label, c.created_at
    FROM maintenance_calibration c JOIN fixed_assets_asset a ON a.id = c.asset_id`;

export interface AttachmentRow {
  id: string;
  calibration_id: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  created_by_label: string;
  created_at: Date | string;
}
export const ATTACHMENT_COLUMNS = `id, calibration_id, file_name, media_type, size, sha256, created_by_label, created_at`;
export const attachmentView = (r: AttachmentRow) => ({
  id: r.id,
  calibrationId: r.calibration_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  size: r.size,
  sha256: r.sha256,
  createdAt: isoInstant(r.created_at)!,
  createdBy: r.created_by_label,
});

export const calibrationView = (r: CalibrationRow, minorUnits: number, attachments: AttachmentRow[] = []) => ({
  id: r.id,
  assetId: r.asset_id,
  tag: r.tag,
  workOrderId: r.work_order_id,
  performedOn: r.performed_on,
  performedBy: r.performed_by,
  result: r.result,
  asFoundFailed: r.as_found_failed,
  adjusted: r.points.some((p) => p.asLeft !== null),
  /** When the instrument was found out of tolerance: measurements since the previous calibration need review (null: no earlier calibration). */
  suspectSince: r.as_found_failed ? r.suspect_since : null,
  points: r.points,
  certificateNumber: r.certificate_number,
  nextDueOn: r.next_due_on,
  note: r.note,
  cost: r.cost === null ? null : fixedText(tryDec(r.cost)!, minorUnits),
  currency: r.currency,
  attachments: attachments.map(attachmentView),
  createdAt: isoInstant(r.created_at)!,
  createdBy: r.created_by_label,
});
export type CalibrationView = ReturnType<typeof calibrationView>;

export async function instrumentById(db: Db, assetId: string, lock = false): Promise<InstrumentRow | undefined> {
  const [row] = await db.execute<InstrumentRow>(`${INSTRUMENT_SELECT} WHERE i.asset_id = $1${lock ? ' FOR UPDATE OF i' : ''}`, [assetId]);
  return row;
}

export async function calibrationsOf(db: Db, where: string, values: unknown[], order = 'ORDER BY c.performed_on DESC, c.created_at DESC, c.id'): Promise<CalibrationRow[]> {
  return db.execute<CalibrationRow>(`${CALIBRATION_SELECT} WHERE ${where} ${order}`, values);
}

export async function attachmentsOf(db: Db, calibrationIds: string[]): Promise<Map<string, AttachmentRow[]>> {
  const out = new Map<string, AttachmentRow[]>();
  if (!calibrationIds.length) return out;
  const rows = await db.execute<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM maintenance_attachment WHERE calibration_id = ANY($1::uuid[]) ORDER BY created_at, id`, [calibrationIds]);
  for (const r of rows) out.set(r.calibration_id, [...(out.get(r.calibration_id) ?? []), r]);
  return out;
}

/** Check an instrument's settings; every problem at once, fields named as the client sent them. */
function checkInstrument(input: InstrumentInput): { errors: FieldError[]; points: InstrumentPoint[] } {
  const errors: FieldError[] = [];
  const max = MAX_EVERY[input.interval.unit];
  if (input.interval.n > max) errors.push({ field: 'interval.n', message: `must be at most ${max} for ${input.interval.unit}s` });
  const points: InstrumentPoint[] = [];
  input.points.forEach((p, i) => {
    const at = (f: string) => `points.${i}.${f}`;
    const nominal = tryDec(p.nominal);
    if (!nominal) errors.push({ field: at('nominal'), message: 'must be a decimal number' });
    else if (nominal.abs().gt(MAX_READING)) errors.push({ field: at('nominal'), message: 'is too large' });
    const unit = p.unit.trim();
    if (!unit) errors.push({ field: at('unit'), message: 'must not be blank' });
    const percent = p.tolerance.percent !== undefined;
    const tol = tryDec(percent ? p.tolerance.percent : p.tolerance.plusMinus);
    const tolField = at(`tolerance.${percent ? 'percent' : 'plusMinus'}`);
    if (!tol || tol.isNegative()) errors.push({ field: tolField, message: 'must be a decimal number ≥ 0' });
    else if (percent && tol.gt(100)) errors.push({ field: tolField, message: 'must be at most 100 (percent)' });
    else if (!percent && tol.gt(MAX_READING)) errors.push({ field: tolField, message: 'is too large' });
    else if (percent && nominal?.isZero()) errors.push({ field: tolField, message: 'a percentage of a nominal value of 0 is 0: give { plusMinus } for a zero point' });
    if (nominal && tol && unit) {
      points.push({ label: cleanText(p.label), nominal: decText(nominal), unit, tolerance: percent ? { percent: decText(tol) } : { plusMinus: decText(tol) } });
    }
  });
  return { errors, points };
}

/**
 * Create or replace an instrument's settings. A changed interval moves the due date of an
 * instrument already calibrated (last calibration + the new interval). Answers whether it was new.
 */
export async function putInstrument(tx: Transaction, assetId: string, input: InstrumentInput): Promise<{ created: boolean }> {
  const [asset] = await tx.execute<{ id: string; tag: string; status: string }>(`SELECT id, tag, status FROM fixed_assets_asset WHERE id = $1 FOR SHARE`, [assetId]);
  if (!asset) throw problems.notFound('asset', assetId);
  const { errors, points } = checkInstrument(input);
  if (errors.length) throw problems.validation(errors);
  if (asset.status === 'disposed') throw problems.conflict('maintenance/asset-disposed', 'Asset disposed', `Asset ${asset.tag} is disposed of: it is no longer calibrated`, { assetId, tag: asset.tag });
  const before = await instrumentById(tx, assetId, true);
  const interval: CalibrationInterval = { n: input.interval.n, unit: input.interval.unit };
  const dueOn = before?.last_calibrated_on ? nextCalibrationDue(before.last_calibrated_on, interval) : null;
  const values = [assetId, input.interval.n, TABLE_UNIT[input.interval.unit], JSON.stringify(points), cleanText(input.procedure), input.warnDays ?? 14, input.active ?? true, dueOn];
  if (before) {
    await tx.execute(
      `UPDATE maintenance_instrument SET interval_n = $2, interval_unit = $3, points = $4::jsonb, procedure = $5, warn_days = $6, active = $7, due_on = $8::date, updated_at = now() WHERE asset_id = $1`,
      values,
    );
  } else {
    await tx.execute(
      `INSERT INTO maintenance_instrument (asset_id, interval_n, interval_unit, points, procedure, warn_days, active, due_on) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::date)`,
      values,
    );
  }
  const after = (await instrumentById(tx, assetId))!;
  const settings = (r: InstrumentRow) => ({ interval: { n: r.interval_n, unit: r.interval_unit }, points: r.points, procedure: r.procedure, warnDays: r.warn_days, active: r.active, dueOn: r.due_on });
  await tx.audit({ action: before ? 'updated' : 'created', entityType: 'maintenance.instrument', entityId: assetId, before: before ? settings(before) : undefined, after: settings(after) });
  return { created: !before };
}

export interface RecordOptions {
  minorUnits: number;
  fixedAssets: FixedAssetsService;
}

/**
 * Record a calibration result of an instrument: assess it, store it, move the instrument on, post
 * its cost, audit and announce it. Answers the new calibration's id.
 */
export async function recordCalibration(tx: Transaction, assetId: string, input: CalibrationInput, o: RecordOptions): Promise<string> {
  const instrument = await instrumentById(tx, assetId, true);
  if (!instrument) throw problems.notFound('instrument', assetId);
  const today = todayUtc();
  const errors: FieldError[] = [];
  if (input.performedOn > today) errors.push({ field: 'performedOn', message: 'must not be in the future' });
  const performedBy = input.performedBy.trim();
  if (!performedBy) errors.push({ field: 'performedBy', message: 'must not be blank' });
  if (input.points.length !== instrument.points.length) {
    errors.push({ field: 'points', message: `must have one reading per test point of the instrument, in order (${instrument.points.length})` });
  }
  input.points.forEach((p, i) => {
    const asFound = tryDec(p.asFound);
    if (!asFound) errors.push({ field: `points.${i}.asFound`, message: 'must be a decimal number' });
    else if (asFound.abs().gt(MAX_READING)) errors.push({ field: `points.${i}.asFound`, message: 'is too large' });
    if (p.asLeft != null) {
      const asLeft = tryDec(p.asLeft);
      if (!asLeft) errors.push({ field: `points.${i}.asLeft`, message: 'must be a decimal number' });
      else if (asLeft.abs().gt(MAX_READING)) errors.push({ field: `points.${i}.asLeft`, message: 'is too large' });
    }
  });
  const certificateNumber = cleanText(input.certificateNumber);
  let cost: string | null = null;
  if (input.cost != null) {
    const c = tryDec(input.cost);
    if (!c) errors.push({ field: 'cost', message: 'must be a decimal number' });
    else if (c.isNegative()) errors.push({ field: 'cost', message: 'must not be negative' });
    else if (c.decimalPlaces() > o.minorUnits) errors.push({ field: 'cost', message: `has more than ${o.minorUnits} decimal places` });
    else if (c.gt(MAX_AMOUNT)) errors.push({ field: 'cost', message: 'is too large' });
    else cost = c.toFixed(o.minorUnits);
  }
  if (input.workOrderId) {
    const [wo] = await tx.execute<{ type: string; asset_id: string; status: string }>(`SELECT type, asset_id, status FROM maintenance_work_order WHERE id = $1`, [input.workOrderId]);
    if (!wo) errors.push({ field: 'workOrderId', message: 'no such work order' });
    else if (wo.type !== 'calibration' || wo.asset_id !== assetId) errors.push({ field: 'workOrderId', message: 'must be a calibration work order of this instrument' });
    else if (wo.status === 'cancelled') errors.push({ field: 'workOrderId', message: 'must not be a cancelled work order' });
  }
  if (errors.length) throw problems.validation(errors);
  if (instrument.asset_status === 'disposed') {
    throw problems.conflict('maintenance/asset-disposed', 'Asset disposed', `Asset ${instrument.tag} is disposed of: it is no longer calibrated`, { assetId, tag: instrument.tag });
  }
  if (certificateNumber) await refuseDuplicateCertificate(tx, certificateNumber);

  const assessment = assessCalibration(
    instrument.points.map((p, i) => ({ nominal: p.nominal, tolerance: p.tolerance, asFound: input.points[i].asFound, asLeft: input.points[i].asLeft ?? null })),
  );
  const points = assessment.points.map((r: PointResult, i): CalibrationPointRecord => ({
    label: instrument.points[i].label,
    unit: instrument.points[i].unit,
    nominal: r.nominal,
    toleranceSpec: instrument.points[i].tolerance,
    tolerance: r.tolerance,
    asFound: r.asFound.value,
    asFoundError: r.asFound.error,
    asFoundInTolerance: r.asFound.inTolerance,
    asLeft: r.asLeft?.value ?? null,
    asLeftError: r.asLeft?.error ?? null,
    asLeftInTolerance: r.asLeft?.inTolerance ?? null,
    inTolerance: r.inTolerance,
  }));
  const result = assessment.pass ? 'pass' : 'fail';
  const nextDueOn = nextCalibrationDue(input.performedOn, { n: instrument.interval_n, unit: API_UNIT[instrument.interval_unit] });

  let id: string;
  try {
    [{ id }] = await tx.execute<{ id: string }>(
      `INSERT INTO maintenance_calibration (asset_id, work_order_id, performed_on, performed_by, points, result, as_found_failed, certificate_number, next_due_on, note, cost, currency, created_by_label)
       VALUES ($1, $2, $3::date, $4, $5::jsonb, $6, $7, $8, $9::date, $10, $11::numeric, $12, $13) RETURNING id`,
      [assetId, input.workOrderId ?? null, input.performedOn, performedBy, JSON.stringify(points), result, assessment.asFoundFailed, certificateNumber, nextDueOn, cleanText(input.note), cost, cost === null ? null : instrument.currency, tx.actor.label],
    );
  } catch (err) {
    // Another transaction stored the same certificate number after our check.
    if (pgErrorCode(err) === '23505' && certificateNumber) throw duplicateCertificate(certificateNumber);
    throw err;
  }

  // The instrument shows its latest calibration; an older one entered late is history only.
  const latest = !instrument.last_calibrated_on || input.performedOn >= instrument.last_calibrated_on;
  if (latest) {
    await tx.execute(`UPDATE maintenance_instrument SET last_calibrated_on = $2::date, due_on = $3::date, last_result = $4, updated_at = now() WHERE asset_id = $1`, [
      assetId,
      input.performedOn,
      nextDueOn,
      result,
    ]);
  }
  if (cost !== null && tryDec(cost)!.gt(0)) {
    await o.fixedAssets.postCost(tx, {
      assetId,
      incurredOn: input.performedOn,
      kind: 'calibration',
      amount: cost,
      currency: instrument.currency,
      source: 'maintenance',
      sourceRef: `calibration:${id}`,
      description: `Calibration ${certificateNumber ? `certificate ${certificateNumber}` : `of ${input.performedOn}`} by ${performedBy}`.slice(0, 2000),
    });
  }
  await tx.audit({
    action: 'created',
    entityType: 'maintenance.calibration',
    entityId: id,
    after: { assetId, performedOn: input.performedOn, result, asFoundFailed: assessment.asFoundFailed, certificateNumber, nextDueOn, cost, instrumentUpdated: latest },
  });
  await tx.emit(CalibrationRecorded, {
    id,
    assetId,
    assetTag: instrument.tag,
    performedOn: input.performedOn,
    result,
    asFoundFailed: assessment.asFoundFailed,
    nextDueOn,
    certificateNumber,
  });
  return id;
}

const duplicateCertificate = (certificateNumber: string, calibrationId?: string) =>
  problems.conflict('maintenance/duplicate-certificate', 'Certificate number in use', `Certificate ${certificateNumber} is already recorded for another calibration`, {
    certificateNumber,
    ...(calibrationId ? { calibrationId } : {}),
  });

async function refuseDuplicateCertificate(db: Db, certificateNumber: string) {
  const [other] = await db.execute<{ id: string }>(`SELECT id FROM maintenance_calibration WHERE certificate_number = $1`, [certificateNumber]);
  if (other) throw duplicateCertificate(certificateNumber, other.id);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** `maintenance_attachment.size` allows at most this (1.5 MiB). */
export const MAX_ATTACHMENT_BYTES = 1_572_864;

/** Attach a file (a calibration certificate) to a calibration. */
export async function addCalibrationAttachment(tx: Transaction, calibrationId: string, input: { fileName: string; mediaType: string; content: string }): Promise<AttachmentRow> {
  const [cal] = await tx.execute<{ id: string; asset_id: string }>(`SELECT id, asset_id FROM maintenance_calibration WHERE id = $1 FOR SHARE`, [calibrationId]);
  if (!cal) throw problems.notFound('calibration', calibrationId);
  const errors: FieldError[] = [];
  const fileName = input.fileName.trim();
  if (!fileName) errors.push({ field: 'fileName', message: 'must not be blank' });
  const bytes = BASE64.test(input.content) ? Buffer.from(input.content, 'base64') : null;
  if (!bytes) errors.push({ field: 'content', message: 'must be base64' });
  else if (bytes.length === 0) errors.push({ field: 'content', message: 'must not be empty' });
  else if (bytes.length > MAX_ATTACHMENT_BYTES) errors.push({ field: 'content', message: `must be at most ${MAX_ATTACHMENT_BYTES} bytes (it is ${bytes.length})` });
  if (errors.length) throw problems.validation(errors);
  const sha256 = createHash('sha256').update(bytes!).digest('hex');
  const [row] = await tx.execute<AttachmentRow>(
    `INSERT INTO maintenance_attachment (calibration_id, file_name, media_type, size, content, sha256, created_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ATTACHMENT_COLUMNS}`,
    [calibrationId, fileName, input.mediaType.toLowerCase(), bytes!.length, bytes, sha256, tx.actor.label],
  );
  await tx.audit({ action: 'created', entityType: 'maintenance.attachment', entityId: row.id, after: { ...attachmentView(row), assetId: cal.asset_id } });
  return row;
}

/** Why an instrument may not be used now, or null. */
export function calibrationBlock(i: Pick<InstrumentRow, 'active' | 'due_on' | 'warn_days' | 'last_result'>, today: string): { reason: 'failed' | 'overdue' | 'never'; status: CalibrationStatus } | null {
  if (!i.active) return null;
  const status = calibrationStatus(i.due_on, today, i.warn_days);
  if (i.last_result === 'fail') return { reason: 'failed', status };
  if (status === 'overdue' || status === 'never') return { reason: status, status };
  return null;
}

/** Whether the category setting lets an overdue instrument of this category go out (nearest ancestor with a setting wins; none: blocked). */
export async function blocksCheckOut(db: Db, categoryId: string | null): Promise<boolean> {
  if (!categoryId) return true;
  return (await categorySettingsView(db, categoryId)).effective.blockCheckoutWhenCalibrationOverdue;
}

/**
 * The contribution to fixed-assets' `checkOutGuards`: an active instrument whose calibration is
 * overdue, that was never calibrated, or whose last calibration failed is refused check-out
 * (409 `maintenance/calibration-overdue`), unless its category (or the nearest ancestor with a
 * setting) turns blocking off.
 */
export const calibrationCheckOutGuard: CheckOutGuard = async (tx, asset) => {
  const [i] = await tx.execute<Pick<InstrumentRow, 'active' | 'due_on' | 'warn_days' | 'last_result' | 'last_calibrated_on'>>(
    `SELECT active, due_on::text AS due_on, warn_days, last_result, last_calibrated_on::text AS last_calibrated_on FROM maintenance_instrument WHERE asset_id = $1`,
    [asset.id],
  );
  if (!i) return null;
  const block = calibrationBlock(i, todayUtc());
  if (!block || !(await blocksCheckOut(tx, asset.categoryId))) return null;
  const detail = {
    overdue: `The calibration of instrument ${asset.tag} was due on ${i.due_on}: it may not be checked out until it is calibrated`,
    never: `Instrument ${asset.tag} has never been calibrated: it may not be checked out until it is`,
    failed: `The last calibration of instrument ${asset.tag} (${i.last_calibrated_on}) failed: it may not be checked out until it passes a calibration (due on ${i.due_on})`,
  }[block.reason];
  return {
    type: 'maintenance/calibration-overdue',
    title: 'Calibration overdue',
    detail,
    extensions: { reason: block.reason, dueOn: i.due_on, lastCalibratedOn: i.last_calibrated_on, lastResult: i.last_result },
  };
};

/** Re-throw a ProblemError from another plugin's service under our own field names (postCost's `amount` is our `cost`). */
export function renameFields(err: unknown, map: Record<string, string>): never {
  if (err instanceof ProblemError && Array.isArray(err.extensions.errors)) {
    const errors = (err.extensions.errors as FieldError[]).map((e) => ({ ...e, field: map[e.field] ?? e.field }));
    throw problems.validation(errors);
  }
  throw err;
}
