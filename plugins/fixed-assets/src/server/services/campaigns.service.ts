/**
 * Verification campaigns (physical audits). A campaign covers a location and everything below it
 * (optionally one category and those below it). Opening it snapshots the assets expected there into
 * its lines; scanning marks them found, or adds the assets found there that the register has
 * elsewhere (unexpected); the discrepancies are reconciled — moved here, flagged missing, written
 * off as lost, or ignored — through the register's own services, and the campaign is closed.
 *
 * Scans are idempotent: the line's primary key (campaign, asset) decides which reading is the first,
 * also between two scanners at once (the second one's UPDATE waits for the first and then sees the
 * line scanned), so an RFID reader's burst of the same EPC counts once.
 */
import { hasPermission, PROBLEM_BASE, ProblemError, problems, type FieldError, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { identifierService } from '@quartermaster/core';
import {
  ASSET_TARGET_TYPE,
  AssetUpdated,
  permissions,
  type AssetStatus,
  type CampaignLineState,
  type CampaignStatus,
  type ReconcileAction,
  type AuditReadsInput,
  type AuditReadsOutcome,
  type ScanResult,
  type ScanSource,
} from '../../shared/index.js';
import { AssetFlaggedMissing, CampaignCancelled, CampaignClosed, CampaignCreated } from '../../shared/campaign-events.js';
import { gtinForms, gtinSerialOf } from '../../domain/scan-codes.js';
import { isFinal } from '../../domain/lifecycle.js';
import type { FixedAssetsOptions } from '../options.js';
import { lockAsset, recordEvent } from './asset-store.js';
import { attempt, isoOf, likePattern, params, pathsOf, readerOf, subtreeCte, type Db } from './db.js';
import { disposeAsset } from './lifecycle.service.js';
import { moveAsset } from './moves.service.js';
import { assetDisposed } from './problems.js';

// ---------------------------------------------------------------------------------------------
// Rows and problems

export interface CampaignRow {
  id: string;
  number: string;
  name: string;
  location_id: string;
  category_id: string | null;
  status: CampaignStatus;
  due_date: string | null;
  notes: string | null;
  created_by_label: string;
  created_at: Date | string;
  closed_at: Date | string | null;
  closed_by_label: string | null;
  close_reason: string | null;
  forced: boolean;
  total?: string;
}

const CAMPAIGN_COLUMNS = `c.id, c.number::text AS number, c.name, c.location_id, c.category_id, c.status, c.due_date::text AS due_date, c.notes,
  c.created_by_label, c.created_at, c.closed_at, c.closed_by_label, c.close_reason, c.forced`;

export const campaignNotFound = (id: string) => problems.notFound('campaign', id);

/** Scans, reconciliation, closing and cancelling need an open campaign. */
export const campaignClosed = (c: Pick<CampaignRow, 'id' | 'number' | 'status'>) =>
  new ProblemError({
    type: 'fixed-assets/campaign-closed',
    status: 409,
    title: 'Campaign not open',
    detail: `Campaign A-${c.number} is ${c.status}; it takes no more scans or changes`,
    extensions: { campaignId: c.id, status: c.status },
  });

export async function lockCampaign(db: Db, id: string, mode: 'SHARE' | 'UPDATE'): Promise<CampaignRow> {
  const [c] = await db.execute<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM fixed_assets_campaign c WHERE c.id = $1 FOR ${mode}`, [id]);
  if (!c) throw campaignNotFound(id);
  return c;
}

const ref = (c: CampaignRow) => ({ id: c.id, number: c.number, name: c.name, locationId: c.location_id, categoryId: c.category_id });

/** A location and everything below it. */
async function subtreeIds(db: Db, table: 'core_location' | 'core_category', id: string): Promise<Set<string>> {
  const rows = await db.execute<{ id: string }>(`WITH RECURSIVE ${subtreeCte(table, '$1::uuid')} SELECT id FROM sub`, [id]);
  return new Set(rows.map((r) => r.id));
}

// ---------------------------------------------------------------------------------------------
// Counts and views

export interface CampaignCounts {
  /** Assets the snapshot expected. */
  expected: number;
  /** Scanned and registered within the campaign (expected ones, and `extra` ones). */
  found: number;
  /** Expected and not scanned. */
  missing: number;
  /** Scanned here, registered outside the campaign (or disposed of). */
  unexpected: number;
  /** Found though not in the snapshot (registered here after it was taken, or outside its category filter). */
  extra: number;
  /** Found, but not under the location the scanner said it was at. */
  misplaced: number;
  /** Codes that matched no asset, or several. */
  unknown: number;
  /** Readings received, repeats included. */
  reads: number;
  /** Discrepancies settled (moved here, flagged missing, marked lost, ignored). */
  reconciled: number;
  /** Missing and unexpected assets not yet reconciled: closing waits for these (or is forced). */
  unreconciled: number;
}

export async function countsOf(db: Db, ids: string[]): Promise<Map<string, CampaignCounts>> {
  const out = new Map<string, CampaignCounts>();
  if (!ids.length) return out;
  const rows = await db.execute<Record<string, string>>(
    `SELECT c.id,
            (SELECT count(*) FILTER (WHERE l.expected) FROM fixed_assets_campaign_line l WHERE l.campaign_id = c.id) AS expected,
            x.found, x.missing, x.unexpected, x.extra, x.misplaced, x.reconciled, x.unreconciled, x.reads,
            coalesce(k.unknown, 0) AS unknown, coalesce(k.reads, 0) AS code_reads
       FROM fixed_assets_campaign c
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE l.scanned_at IS NOT NULL AND NOT l.outside) AS found,
                count(*) FILTER (WHERE l.expected AND l.scanned_at IS NULL) AS missing,
                count(*) FILTER (WHERE l.outside) AS unexpected,
                count(*) FILTER (WHERE NOT l.expected AND NOT l.outside) AS extra,
                count(*) FILTER (WHERE l.misplaced AND NOT l.outside) AS misplaced,
                count(*) FILTER (WHERE l.resolution IS NOT NULL) AS reconciled,
                count(*) FILTER (WHERE l.resolution IS NULL AND ((l.expected AND l.scanned_at IS NULL) OR l.outside)) AS unreconciled,
                coalesce(sum(l.reads), 0) AS reads
           FROM fixed_assets_campaign_line l WHERE l.campaign_id = c.id) x
       LEFT JOIN LATERAL (SELECT count(*) AS unknown, sum(reads) AS reads FROM fixed_assets_campaign_code k WHERE k.campaign_id = c.id) k ON true
      WHERE c.id = ANY($1::uuid[])`,
    [ids],
  );
  for (const r of rows) {
    out.set(r.id, {
      expected: Number(r.expected),
      found: Number(r.found),
      missing: Number(r.missing),
      unexpected: Number(r.unexpected),
      extra: Number(r.extra),
      misplaced: Number(r.misplaced),
      unknown: Number(r.unknown),
      reads: Number(r.reads) + Number(r.code_reads),
      reconciled: Number(r.reconciled),
      unreconciled: Number(r.unreconciled),
    });
  }
  return out;
}

type Pathed = { id: string; name: string; path: string };
const pathed = (id: string | null, paths: Map<string, { name: string; path: string }>): Pathed | null => (id && paths.has(id) ? { id, ...paths.get(id)! } : null);

/** Campaigns as the API shows them, with their counts. */
export async function campaignViews(db: Db, rows: CampaignRow[]) {
  if (!rows.length) return [];
  const counts = await countsOf(db, rows.map((r) => r.id));
  const locations = await pathsOf(db, 'core_location', rows.map((r) => r.location_id));
  const categories = await pathsOf(db, 'core_category', rows.map((r) => r.category_id));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    name: r.name,
    status: r.status,
    location: pathed(r.location_id, locations)!,
    category: pathed(r.category_id, categories),
    dueDate: r.due_date,
    notes: r.notes,
    createdBy: r.created_by_label,
    createdAt: isoOf(r.created_at)!,
    closedAt: isoOf(r.closed_at),
    closedBy: r.closed_by_label,
    closeReason: r.close_reason,
    forced: r.forced,
    counts: counts.get(r.id)!,
  }));
}
export type CampaignView = Awaited<ReturnType<typeof campaignViews>>[number];

export async function campaignView(db: Db, id: string): Promise<CampaignView | null> {
  const rows = await db.execute<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM fixed_assets_campaign c WHERE c.id = $1`, [id]);
  return (await campaignViews(db, rows))[0] ?? null;
}

export interface CampaignListFilter {
  status?: CampaignStatus[];
  locationId?: string;
  q?: string;
}

export async function listCampaigns(db: Db, f: CampaignListFilter, limit: number, offset: number) {
  const { values, p } = params();
  const where: string[] = ['true'];
  let cte = '';
  if (f.status?.length) where.push(`c.status = ANY(${p(f.status)}::text[])`);
  if (f.locationId) {
    // Campaigns of the location, of a place below it, or of a place above it (which covers it).
    cte = `WITH RECURSIVE ${subtreeCte('core_location', `${p(f.locationId)}::uuid`)}, up AS (SELECT id, parent_id FROM core_location WHERE id = ${p(f.locationId)}::uuid UNION ALL SELECT l.id, l.parent_id FROM core_location l JOIN up ON l.id = up.parent_id) `;
    where.push(`(c.location_id IN (SELECT id FROM sub) OR c.location_id IN (SELECT id FROM up))`);
  }
  const text = f.q?.trim();
  if (text) where.push(`(lower(c.name) LIKE ${p(likePattern(text.toLowerCase()))} OR c.number::text = ${p(text.replace(/^A-/i, ''))})`);
  const rows = await db.execute<CampaignRow>(
    `${cte}SELECT ${CAMPAIGN_COLUMNS}, count(*) OVER () AS total FROM fixed_assets_campaign c WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.number DESC LIMIT ${p(limit)} OFFSET ${p(offset)}`,
    values,
  );
  return { data: await campaignViews(db, rows), total: rows.length ? Number(rows[0].total) : 0 };
}

export interface LineFilter {
  state?: CampaignLineState[];
  resolved?: boolean;
  misplaced?: boolean;
  q?: string;
}

const LINE_STATE = `CASE WHEN l.outside THEN 'unexpected' WHEN l.scanned_at IS NULL THEN 'missing' ELSE 'found' END`;

/** The campaign's lines (assets and unknown codes), filtered and paged: unexpected first, then missing, found, unknown; by tag. */
export async function campaignLines(db: Db, campaignId: string, f: LineFilter, limit: number, offset: number) {
  const { values, p } = params();
  const cid = p(campaignId);
  const where: string[] = ['true'];
  if (f.state?.length) where.push(`x.state = ANY(${p(f.state)}::text[])`);
  if (f.resolved !== undefined) where.push(`(x.resolution IS ${f.resolved ? 'NOT ' : ''}NULL)`);
  if (f.misplaced !== undefined) where.push(`x.misplaced = ${p(f.misplaced)}`);
  const text = f.q?.trim();
  if (text) {
    const like = p(likePattern(text.toLowerCase()));
    where.push(`(lower(coalesce(x.tag, '')) LIKE ${like} OR lower(coalesce(x.asset_name, '')) LIKE ${like} OR lower(coalesce(x.serial_number, '')) LIKE ${like} OR lower(coalesce(x.code, '')) LIKE ${like})`);
  }
  const rows = await db.execute<Record<string, any>>(
    `SELECT x.*, count(*) OVER () AS total FROM (
       SELECT ${LINE_STATE} AS state, l.asset_id, a.tag, a.name AS asset_name, a.serial_number, a.status AS asset_status, a.location_id AS asset_location_id,
              a.flagged_missing_at, l.expected, l.misplaced, l.registered_location_id, l.scanned_location_id, l.scan_code AS code, l.scan_source AS source,
              l.scanned_at, l.scanned_by_label, l.reads, l.resolution, l.resolution_reason, l.resolved_at, l.resolved_by_label, NULL AS code_kind
         FROM fixed_assets_campaign_line l JOIN fixed_assets_asset a ON a.id = l.asset_id WHERE l.campaign_id = ${cid}
       UNION ALL
       SELECT 'unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, false, NULL, k.location_id, k.code, k.source, k.first_seen_at, k.scanned_by_label, k.reads,
              NULL, NULL, NULL, NULL, k.kind
         FROM fixed_assets_campaign_code k WHERE k.campaign_id = ${cid}) x
      WHERE ${where.join(' AND ')}
      ORDER BY array_position(ARRAY['unexpected','missing','found','unknown'], x.state), x.tag NULLS LAST, x.code
      LIMIT ${p(limit)} OFFSET ${p(offset)}`,
    values,
  );
  const locations = await pathsOf(db, 'core_location', rows.flatMap((r) => [r.asset_location_id, r.registered_location_id, r.scanned_location_id]));
  return {
    data: rows.map((r) => ({
      state: r.state as CampaignLineState,
      asset: r.asset_id
        ? {
            id: r.asset_id as string,
            tag: r.tag as string,
            name: r.asset_name as string,
            serialNumber: r.serial_number as string | null,
            status: r.asset_status as AssetStatus,
            location: pathed(r.asset_location_id, locations),
            flaggedMissingAt: isoOf(r.flagged_missing_at),
          }
        : null,
      code: r.code as string | null,
      codeKind: r.code_kind as 'unknown' | 'ambiguous' | null,
      expected: r.expected as boolean,
      misplaced: r.misplaced as boolean,
      registeredLocation: pathed(r.registered_location_id, locations),
      scannedLocation: pathed(r.scanned_location_id, locations),
      source: r.source as ScanSource | null,
      scannedAt: isoOf(r.scanned_at),
      scannedBy: r.scanned_by_label as string | null,
      reads: Number(r.reads),
      resolution: r.resolution
        ? { action: RESOLUTION_ACTION[r.resolution as Resolution], reason: r.resolution_reason as string | null, resolvedAt: isoOf(r.resolved_at)!, resolvedBy: r.resolved_by_label as string }
        : null,
    })),
    total: rows.length ? Number(rows[0].total) : 0,
  };
}

type Resolution = 'moved-here' | 'flagged-missing' | 'marked-lost' | 'ignored';
const RESOLUTION_OF: Record<ReconcileAction, Resolution> = { 'move-here': 'moved-here', 'flag-missing': 'flagged-missing', 'mark-lost': 'marked-lost', ignore: 'ignored' };
const RESOLUTION_ACTION = Object.fromEntries(Object.entries(RESOLUTION_OF).map(([a, r]) => [r, a])) as Record<Resolution, ReconcileAction>;

// ---------------------------------------------------------------------------------------------
// Creating, closing, cancelling

export interface CreateCampaignInput {
  name: string;
  locationId: string;
  categoryId?: string | null;
  dueDate?: string | null;
  notes?: string | null;
}

/** Open a campaign and snapshot the assets expected there (not disposed of, located in the subtree, of the category if one is given). */
export async function createCampaign(tx: Transaction, input: CreateCampaignInput): Promise<string> {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: 'must not be blank' });
  const [loc] = await tx.execute<{ archived: boolean }>(`SELECT archived FROM core_location WHERE id = $1 FOR SHARE`, [input.locationId]);
  if (!loc) errors.push({ field: 'locationId', message: 'no such location' });
  else if (loc.archived) errors.push({ field: 'locationId', message: 'is archived' });
  if (input.categoryId && !(await tx.execute(`SELECT 1 FROM core_category WHERE id = $1 FOR SHARE`, [input.categoryId])).length) errors.push({ field: 'categoryId', message: 'no such category' });
  if (input.dueDate && input.dueDate < new Date().toISOString().slice(0, 10)) errors.push({ field: 'dueDate', message: 'must not be in the past' });
  if (errors.length) throw problems.validation(errors);

  const notes = input.notes?.trim() || null;
  const [c] = await tx.execute<CampaignRow>(
    `INSERT INTO fixed_assets_campaign (name, location_id, category_id, due_date, notes, created_by, created_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${CAMPAIGN_COLUMNS.replace(/c\./g, '')}`,
    [name, input.locationId, input.categoryId ?? null, input.dueDate ?? null, notes, tx.actor.userId, tx.actor.label],
  );
  const ctes = [subtreeCte('core_location', '$2::uuid', 'locs')];
  if (input.categoryId) ctes.push(subtreeCte('core_category', '$3::uuid', 'cats'));
  const snap = await tx.execute<{ n: string }>(
    `WITH RECURSIVE ${ctes.join(', ')}, ins AS (
       INSERT INTO fixed_assets_campaign_line (campaign_id, asset_id, expected, registered_location_id)
       SELECT $1, a.id, true, a.location_id FROM fixed_assets_asset a
        WHERE a.status <> 'disposed' AND a.location_id IN (SELECT id FROM locs)${input.categoryId ? ' AND a.category_id IN (SELECT id FROM cats)' : ''}
       RETURNING 1)
     SELECT count(*) AS n FROM ins`,
    input.categoryId ? [c.id, input.locationId, input.categoryId] : [c.id, input.locationId],
  );
  const expected = Number(snap[0].n);
  await tx.audit({ action: 'created', entityType: 'fixed-assets.campaign', entityId: c.id, after: { ...ref(c), dueDate: c.due_date, notes, expected } });
  await tx.emit(CampaignCreated, { ...ref(c), expected, dueDate: c.due_date });
  return c.id;
}

export async function closeCampaign(tx: Transaction, id: string, input: { force?: boolean; reason?: string | null }): Promise<void> {
  const reason = input.reason?.trim() || null;
  if (input.force && !reason) throw problems.validation([{ field: 'reason', message: 'is required to force a close' }]);
  const c = await lockCampaign(tx, id, 'UPDATE');
  if (c.status !== 'open') throw campaignClosed(c);
  const counts = (await countsOf(tx, [id])).get(id)!;
  const unresolved = await tx.execute<{ state: string; n: string }>(
    `SELECT ${LINE_STATE} AS state, count(*) AS n FROM fixed_assets_campaign_line l
      WHERE l.campaign_id = $1 AND l.resolution IS NULL AND ((l.expected AND l.scanned_at IS NULL) OR l.outside) GROUP BY 1`,
    [id],
  );
  const missing = Number(unresolved.find((u) => u.state === 'missing')?.n ?? 0);
  const unexpected = Number(unresolved.find((u) => u.state === 'unexpected')?.n ?? 0);
  if (counts.unreconciled && !input.force) {
    throw new ProblemError({
      type: 'fixed-assets/campaign-unreconciled',
      status: 409,
      title: 'Discrepancies not reconciled',
      detail: `Campaign A-${c.number} still has ${missing} missing and ${unexpected} unexpected asset${missing + unexpected === 1 ? '' : 's'} not reconciled; reconcile them, or close with "force": true and a reason`,
      extensions: { campaignId: c.id, missing, unexpected, unreconciled: counts.unreconciled },
    });
  }
  const forced = counts.unreconciled > 0;
  await tx.execute(`UPDATE fixed_assets_campaign SET status = 'closed', closed_at = now(), closed_by_label = $2, close_reason = $3, forced = $4 WHERE id = $1`, [id, tx.actor.label, reason, forced]);
  const summary = { expected: counts.expected, found: counts.found, missing: counts.missing, unexpected: counts.unexpected, unknown: counts.unknown, unreconciled: counts.unreconciled };
  await tx.audit({ action: 'closed', entityType: 'fixed-assets.campaign', entityId: id, before: { status: 'open' }, after: { status: 'closed', ...summary, forced, reason } });
  await tx.emit(CampaignClosed, { ...ref(c), ...summary, forced, reason });
}

export async function cancelCampaign(tx: Transaction, id: string, reason: string | null): Promise<void> {
  const c = await lockCampaign(tx, id, 'UPDATE');
  if (c.status !== 'open') throw campaignClosed(c);
  await tx.execute(`UPDATE fixed_assets_campaign SET status = 'cancelled', closed_at = now(), closed_by_label = $2, close_reason = $3 WHERE id = $1`, [id, tx.actor.label, reason]);
  await tx.audit({ action: 'cancelled', entityType: 'fixed-assets.campaign', entityId: id, before: { status: 'open' }, after: { status: 'cancelled', reason } });
  await tx.emit(CampaignCancelled, { ...ref(c), reason });
}

// ---------------------------------------------------------------------------------------------
// Resolving scanned codes

/** Asset ids per distinct code (outside any transaction: the core's identifier service reads on its own). */
export async function resolveCodes(ctx: PluginContext<any>, codes: string[]): Promise<Map<string, string[]>> {
  const identifiers = ctx.services.get(identifierService);
  const db = readerOf(ctx);
  const out = new Map<string, string[]>();
  for (const code of new Set(codes)) {
    // 1. The core's identifiers: asset tags, RFID EPCs, QR payloads, serials attached to assets, and
    //    whatever the device plugins' parsers read out of the raw value.
    const resolved = await identifiers.resolve(code);
    let ids = [...new Set(resolved.matches.filter((m) => m.target.type === ASSET_TARGET_TYPE).map((m) => m.target.id))];
    // 2. The register's own tag column (tags registered before the identifier existed).
    if (!ids.length) ids = (await db.execute<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE tag = $1`, [code])).map((r) => r.id);
    // 3. A GS1 code with the model's GTIN and the unit's serial (AI 01 + AI 21): the asset of that item with that serial.
    if (!ids.length) {
      const fromParsers = resolved.interpretations.find((i) => i.type === 'gtin' && typeof i.data?.serial === 'string');
      const gs1 = gtinSerialOf(code) ?? (fromParsers ? { gtin14: fromParsers.value.padStart(14, '0'), serial: String(fromParsers.data!.serial) } : null);
      if (gs1) {
        ids = (
          await db.execute<{ id: string }>(
            `SELECT DISTINCT a.id FROM fixed_assets_asset a JOIN core_identifier i ON i.target_type = 'core.item' AND i.target_id = a.item_id
              WHERE i.type = 'gtin' AND i.value = ANY($1::text[]) AND a.serial_number = $2`,
            [gtinForms(gs1.gtin14), gs1.serial],
          )
        ).map((r) => r.id);
      }
    }
    // 4. The serial number alone.
    if (!ids.length) ids = (await db.execute<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE lower(serial_number) = lower($1)`, [code])).map((r) => r.id);
    if (ids.length > 1) {
      // Several: one still on the register beats ones disposed of long ago.
      const live = await db.execute<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE id = ANY($1::uuid[]) AND status <> 'disposed'`, [ids]);
      if (live.length === 1) ids = [live[0].id];
    }
    out.set(code, ids);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scanning

export interface ScanInput {
  codes: string[];
  locationId?: string;
  source?: ScanSource;
  /** Who scanned, when not the actor (a device's readings: the reader). */
  scannedBy?: string;
}

export interface ScanAsset {
  id: string;
  tag: string;
  name: string;
  status: AssetStatus;
  location: Pathed | null;
}

export interface ScanOutcome {
  index: number;
  code: string;
  result: ScanResult;
  /** For duplicates: what the first reading was. */
  firstResult: Exclude<ScanResult, 'duplicate'> | null;
  asset: ScanAsset | null;
  /** The asset was in the campaign's snapshot. */
  expected: boolean;
  /** Found within the campaign, but not under the location the scanner said it was at. */
  misplaced: boolean;
  /** Several assets have the code. */
  candidates: { id: string; tag: string; name: string }[];
  /** What to tell the person scanning. */
  message: string;
}

interface AssetScan {
  result: 'found' | 'unexpected' | 'duplicate';
  first: 'found' | 'unexpected';
  expected: boolean;
  misplaced: boolean;
}

/** Check codes before anything is resolved: trimmed, none blank. */
export function cleanCodes(codes: string[]): string[] {
  const errors: FieldError[] = [];
  const out = codes.map((c, i) => {
    const v = c.trim();
    if (!v) errors.push({ field: `codes.${i}`, message: 'must not be blank' });
    return v;
  });
  if (errors.length) throw problems.validation(errors);
  return out;
}

/** Record a batch of scanned codes; one answer per code, in the order sent. */
export async function recordScans(tx: Transaction, campaignId: string, input: ScanInput, codes: string[], resolved: Map<string, string[]>): Promise<ScanOutcome[]> {
  const c = await lockCampaign(tx, campaignId, 'SHARE');
  if (c.status !== 'open') throw campaignClosed(c);
  const inCampaign = await subtreeIds(tx, 'core_location', c.location_id);
  const scanLocation = input.locationId ?? c.location_id;
  if (!inCampaign.has(scanLocation)) {
    const [path] = (await pathsOf(tx, 'core_location', [c.location_id])).values();
    throw problems.validation([{ field: 'locationId', message: `is not within the campaign's location ${path?.path ?? c.location_id}` }]);
  }
  // A scanner that says where it is: what it finds elsewhere in the campaign is misplaced.
  const atScanner = scanLocation !== c.location_id ? await subtreeIds(tx, 'core_location', scanLocation) : null;
  const source = input.source ?? null;
  const scannedBy = input.scannedBy ?? tx.actor.label;

  const assetIds = [...new Set(codes.flatMap((code) => resolved.get(code) ?? []))];
  const assets = new Map(
    (
      await tx.execute<{ id: string; tag: string; name: string; status: AssetStatus; location_id: string | null; flagged_missing_at: Date | null }>(
        `SELECT id, tag, name, status, location_id, flagged_missing_at FROM fixed_assets_asset WHERE id = ANY($1::uuid[])`,
        [assetIds],
      )
    ).map((a) => [a.id, a]),
  );
  const paths = await pathsOf(tx, 'core_location', [...[...assets.values()].map((a) => a.location_id), scanLocation]);
  const scanAsset = (id: string): ScanAsset => {
    const a = assets.get(id)!;
    return { id: a.id, tag: a.tag, name: a.name, status: a.status, location: pathed(a.location_id, paths) };
  };

  // The first code that names each asset (or each unresolved code) does the work; later ones are repeats.
  const firstCodeOf = new Map<string, string>();
  const work: { assetId: string; code: string }[] = [];
  const unresolved: { code: string; kind: 'unknown' | 'ambiguous' }[] = [];
  const seenCodes = new Set<string>();
  // Readings per asset and per unresolved code in this request (an RFID burst reads the same EPC many times).
  const readsOf = new Map<string, number>();
  for (const code of codes) {
    const ids = (resolved.get(code) ?? []).filter((id) => assets.has(id));
    const key = ids.length === 1 ? ids[0] : `code:${code}`;
    readsOf.set(key, (readsOf.get(key) ?? 0) + 1);
  }
  for (const code of codes) {
    if (seenCodes.has(code)) continue;
    seenCodes.add(code);
    const ids = (resolved.get(code) ?? []).filter((id) => assets.has(id));
    if (ids.length === 1) {
      if (!firstCodeOf.has(ids[0])) {
        firstCodeOf.set(ids[0], code);
        work.push({ assetId: ids[0], code });
      }
    } else unresolved.push({ code, kind: ids.length ? 'ambiguous' : 'unknown' });
  }

  // Rows are locked in id (and code) order, so two scanners never wait on each other crosswise.
  const byAsset = new Map<string, AssetScan>();
  for (const { assetId, code } of [...work].sort((x, y) => (x.assetId < y.assetId ? -1 : 1))) {
    const a = assets.get(assetId)!;
    const misplaced = atScanner !== null && !(a.location_id && atScanner.has(a.location_id));
    const reads = readsOf.get(assetId)!;
    const scan = [campaignId, assetId, scanLocation, code, source, scannedBy, reads];
    const [first] = await tx.execute<{ expected: boolean }>(
      `UPDATE fixed_assets_campaign_line SET scanned_at = now(), scanned_location_id = $3, scan_code = $4, scan_source = $5, scanned_by_label = $6, reads = $7, misplaced = $8
        WHERE campaign_id = $1 AND asset_id = $2 AND scanned_at IS NULL RETURNING expected`,
      [...scan, misplaced],
    );
    let outcome: AssetScan;
    if (first) outcome = { result: 'found', first: 'found', expected: true, misplaced };
    else {
      const outside = isFinal(a.status) || !a.location_id || !inCampaign.has(a.location_id);
      const [added] = await tx.execute<{ outside: boolean }>(
        `INSERT INTO fixed_assets_campaign_line (campaign_id, asset_id, expected, registered_location_id, outside, scanned_at, scanned_location_id, scan_code, scan_source, scanned_by_label, misplaced, reads)
         VALUES ($1, $2, false, $9, $10, now(), $3, $4, $5, $6, $8, $7) ON CONFLICT (campaign_id, asset_id) DO NOTHING RETURNING outside`,
        [...scan, misplaced && !outside, a.location_id, outside],
      );
      if (added) outcome = { result: outside ? 'unexpected' : 'found', first: outside ? 'unexpected' : 'found', expected: false, misplaced: misplaced && !outside };
      else {
        const [again] = await tx.execute<{ expected: boolean; outside: boolean; misplaced: boolean }>(
          `UPDATE fixed_assets_campaign_line SET reads = reads + $3 WHERE campaign_id = $1 AND asset_id = $2 RETURNING expected, outside, misplaced`,
          [campaignId, assetId, reads],
        );
        outcome = { result: 'duplicate', first: again.outside ? 'unexpected' : 'found', expected: again.expected, misplaced: again.misplaced };
      }
    }
    byAsset.set(assetId, outcome);
    // Flagged missing by an earlier audit, and here it is.
    if (outcome.result !== 'duplicate' && a.flagged_missing_at) {
      const [cleared] = await tx.execute<{ campaign: string | null }>(
        `UPDATE fixed_assets_asset SET flagged_missing_at = NULL, flagged_missing_campaign_id = NULL, version = version + 1, updated_at = now()
          WHERE id = $1 AND flagged_missing_at IS NOT NULL RETURNING $2::uuid AS campaign`,
        [assetId, campaignId],
      );
      if (cleared) {
        await recordEvent(tx, assetId, { type: 'found', data: { campaignId, code, locationId: scanLocation } });
        await tx.audit({ action: 'found', entityType: 'fixed-assets.asset', entityId: assetId, before: { flaggedMissingAt: isoOf(a.flagged_missing_at) }, after: { flaggedMissingAt: null, campaignId } });
        await tx.emit(AssetUpdated, { id: assetId, tag: a.tag, changed: ['flaggedMissingAt'] });
      }
    }
  }
  const byCode = new Map<string, { result: 'unknown' | 'ambiguous' | 'duplicate'; first: 'unknown' | 'ambiguous' }>();
  for (const { code, kind } of [...unresolved].sort((x, y) => (x.code < y.code ? -1 : 1))) {
    const [row] = await tx.execute<{ inserted: boolean; kind: 'unknown' | 'ambiguous' }>(
      `INSERT INTO fixed_assets_campaign_code (campaign_id, code, kind, location_id, source, scanned_by_label, reads) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (campaign_id, code) DO UPDATE SET reads = fixed_assets_campaign_code.reads + EXCLUDED.reads, last_seen_at = now()
       RETURNING (xmax = 0) AS inserted, kind`,
      [campaignId, code, kind, scanLocation, source, scannedBy, readsOf.get(`code:${code}`)!],
    );
    byCode.set(code, { result: row.inserted ? kind : 'duplicate', first: row.kind });
  }

  const registered = (s: ScanAsset) => (s.location ? s.location.path : 'no location');
  const scanPath = paths.get(scanLocation)?.path ?? scanLocation;
  const done = new Set<string>();
  const outcomes: ScanOutcome[] = codes.map((code, index) => {
    const ids = (resolved.get(code) ?? []).filter((id) => assets.has(id));
    const base = { index, code, firstResult: null, asset: null, expected: false, misplaced: false, candidates: [] as ScanOutcome['candidates'] };
    if (ids.length !== 1) {
      const k = byCode.get(code)!;
      const candidates = ids.map((id) => ({ id, tag: assets.get(id)!.tag, name: assets.get(id)!.name }));
      const repeat = done.has(`code:${code}`) || k.result === 'duplicate';
      done.add(`code:${code}`);
      const what = k.first === 'ambiguous' ? `matches ${candidates.length} assets (${candidates.map((x) => x.tag).join(', ')}); scan the asset tag` : 'no asset has this code';
      return repeat
        ? { ...base, result: 'duplicate', firstResult: k.first, candidates, message: `Already scanned: ${what}` }
        : { ...base, result: k.result as 'unknown' | 'ambiguous', candidates, message: what[0].toUpperCase() + what.slice(1) };
    }
    const o = byAsset.get(ids[0])!;
    const asset = scanAsset(ids[0]);
    const repeat = done.has(ids[0]) || o.result === 'duplicate';
    done.add(ids[0]);
    const what =
      o.first === 'unexpected'
        ? asset.status === 'disposed'
          ? `${asset.tag} was disposed of; it is not expected anywhere`
          : `${asset.tag} is registered at ${registered(asset)}, not here`
        : o.misplaced
          ? `${asset.tag} found, but registered at ${registered(asset)}, not at ${scanPath}`
          : o.expected
            ? `${asset.tag} found`
            : `${asset.tag} found; registered here, though not on the campaign's list`;
    return repeat
      ? { ...base, result: 'duplicate', firstResult: o.first, asset, expected: o.expected, misplaced: o.misplaced, message: `Already scanned: ${what}` }
      : { ...base, result: o.result as 'found' | 'unexpected', asset, expected: o.expected, misplaced: o.misplaced, message: what };
  });

  const tally = Object.fromEntries(['found', 'unexpected', 'unknown', 'ambiguous', 'duplicate'].map((r) => [r, outcomes.filter((o) => o.result === r).length]));
  await tx.audit({ action: 'scanned', entityType: 'fixed-assets.campaign', entityId: campaignId, after: { codes: codes.length, locationId: scanLocation, source, ...tally } });
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// Device reads (RFID readers): scans nobody makes

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Codes a device read at `locationId`, recorded in every open campaign that covers the location,
 * inside the caller's transaction (see `FixedAssetsService.recordAuditReads`). A reader reports
 * the same tags every few seconds for as long as they sit under it, so the codes a campaign
 * already has only add to their read count (as a repeated scan does) without being resolved
 * again; the rest go through `resolveCodes` and `recordScans` like a handheld's scans.
 */
export async function recordAuditReads(ctx: PluginContext<any>, tx: Transaction, input: AuditReadsInput): Promise<AuditReadsOutcome> {
  const codes = input.codes.map((c) => c.trim()).filter((c) => c !== '');
  // A device reading is no request someone can correct: bad input records nothing.
  if (!codes.length || !UUID.test(input.locationId)) return { campaigns: [] };
  // Locked (shared) so none closes before its scans are in; in id order, as two readers may cover both.
  const open = await tx.execute<{ id: string; number: string }>(
    `WITH RECURSIVE up AS (SELECT id, parent_id, 0 AS depth FROM core_location WHERE id = $1::uuid
                           UNION ALL SELECT l.id, l.parent_id, up.depth + 1 FROM core_location l JOIN up ON l.id = up.parent_id WHERE up.depth < 100)
     SELECT c.id, c.number::text AS number FROM fixed_assets_campaign c
      WHERE c.status = 'open' AND c.location_id IN (SELECT id FROM up) ORDER BY c.id FOR SHARE OF c`,
    [input.locationId],
  );
  if (!open.length) return { campaigns: [] };

  const readsOf = new Map<string, number>();
  for (const code of codes) readsOf.set(code, (readsOf.get(code) ?? 0) + 1);
  const distinct = [...readsOf.keys()].sort();
  const counts = distinct.map((c) => readsOf.get(c)!);
  const resolved = new Map<string, string[]>();
  const out: AuditReadsOutcome['campaigns'] = [];
  for (const c of open) {
    // Assets this campaign already scanned by one of these codes; rows locked in asset order, as recordScans locks them.
    const seenLines = await tx.execute<{ code: string }>(
      `WITH r AS (SELECT * FROM unnest($2::text[], $3::int[]) AS r(code, reads)),
            l AS (SELECT l.asset_id, r.reads FROM fixed_assets_campaign_line l JOIN r ON r.code = l.scan_code
                   WHERE l.campaign_id = $1 AND l.scanned_at IS NOT NULL ORDER BY l.asset_id FOR UPDATE OF l)
       UPDATE fixed_assets_campaign_line x SET reads = x.reads + l.reads FROM l
        WHERE x.campaign_id = $1 AND x.asset_id = l.asset_id RETURNING x.scan_code AS code`,
      [c.id, distinct, counts],
    );
    // Codes it already has as unknown or ambiguous — unless an identifier with that value was added
    // since (a tag enrolled during the audit): those are resolved again.
    const seenCodes = await tx.execute<{ code: string }>(
      `WITH r AS (SELECT * FROM unnest($2::text[], $3::int[]) AS r(code, reads)),
            k AS (SELECT k.code, r.reads FROM fixed_assets_campaign_code k JOIN r ON r.code = k.code
                   WHERE k.campaign_id = $1
                     AND NOT EXISTS (SELECT 1 FROM core_identifier i WHERE i.value IN (k.code, upper(k.code)) AND i.created_at > k.first_seen_at)
                   ORDER BY k.code FOR UPDATE OF k)
       UPDATE fixed_assets_campaign_code x SET reads = x.reads + k.reads, last_seen_at = now() FROM k
        WHERE x.campaign_id = $1 AND x.code = k.code RETURNING x.code`,
      [c.id, distinct, counts],
    );
    const known = new Set([...seenLines, ...seenCodes].map((r) => r.code));
    const tally = { campaignId: c.id, number: c.number, found: 0, unexpected: 0, unknown: 0, ambiguous: 0, duplicate: 0 };
    for (const code of known) tally.duplicate += readsOf.get(code)!;
    const rest = codes.filter((code) => !known.has(code));
    if (rest.length) {
      // Each code is resolved once for all campaigns, and only when some campaign has not seen it.
      const unresolved = [...new Set(rest)].filter((code) => !resolved.has(code));
      if (unresolved.length) for (const [code, ids] of await resolveCodes(ctx, unresolved)) resolved.set(code, ids);
      for (const o of await recordScans(tx, c.id, { codes: rest, locationId: input.locationId, source: input.source, scannedBy: input.deviceLabel }, rest, resolved)) tally[o.result]++;
    }
    out.push(tally);
  }
  return { campaigns: out };
}

// ---------------------------------------------------------------------------------------------
// Reconciling

export interface ReconcileInput {
  assetId: string;
  action: ReconcileAction;
  reason?: string;
}

export interface ReconcileOutcome {
  assetId: string;
  tag: string;
  action: ReconcileAction;
  /** `already-done`: the line was reconciled the same way before (the request is idempotent). */
  outcome: 'done' | 'already-done';
  /** move-here: the assets that moved (the asset and its components). */
  moved: string[];
}


/**
 * Settle discrepancies, all or nothing: every action is checked first (400 naming `actions.<n>`),
 * then carried out through the register's services, each in a savepoint so one refusal does not
 * hide the next; if any is refused, nothing is done (409 `fixed-assets/bulk-refused` listing each).
 */
export async function reconcileCampaign(tx: Transaction, campaignId: string, actions: ReconcileInput[], options: FixedAssetsOptions): Promise<ReconcileOutcome[]> {
  // Writing an asset off is a disposal: it needs the disposal permission too.
  if (actions.some((a) => a.action === 'mark-lost') && !hasPermission(tx.actor, permissions.assetDispose)) throw problems.forbidden(permissions.assetDispose);
  const c = await lockCampaign(tx, campaignId, 'SHARE');
  if (c.status !== 'open') throw campaignClosed(c);
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  actions.forEach((a, i) => {
    if (seen.has(a.assetId)) errors.push({ field: `actions.${i}.assetId`, message: `is the same asset as actions.${seen.get(a.assetId)}` });
    else seen.set(a.assetId, i);
  });
  const lines = new Map(
    (
      await tx.execute<{ asset_id: string; tag: string; parent_id: string | null; expected: boolean; outside: boolean; misplaced: boolean; scanned_at: Date | null; scanned_location_id: string | null; resolution: Resolution | null }>(
        `SELECT l.asset_id, a.tag, a.parent_id, l.expected, l.outside, l.misplaced, l.scanned_at, l.scanned_location_id, l.resolution
           FROM fixed_assets_campaign_line l JOIN fixed_assets_asset a ON a.id = l.asset_id
          WHERE l.campaign_id = $1 AND l.asset_id = ANY($2::uuid[]) ORDER BY l.asset_id FOR UPDATE OF l`,
        [campaignId, actions.map((a) => a.assetId)],
      )
    ).map((l) => [l.asset_id, l]),
  );
  actions.forEach((a, i) => {
    const l = lines.get(a.assetId);
    if (!l) return void errors.push({ field: `actions.${i}.assetId`, message: 'is not part of this campaign (neither expected nor scanned)' });
    if (l.resolution && l.resolution !== RESOLUTION_OF[a.action]) return void errors.push({ field: `actions.${i}.action`, message: `${l.tag} is already reconciled (${RESOLUTION_ACTION[l.resolution]})` });
    if (l.resolution) return;
    const missing = l.expected && !l.scanned_at;
    const elsewhere = !!l.scanned_at && (l.outside || l.misplaced);
    if ((a.action === 'flag-missing' || a.action === 'mark-lost') && !missing) errors.push({ field: `actions.${i}.action`, message: `${l.tag} was scanned in this campaign; only a missing asset is flagged missing or marked lost` });
    if (a.action === 'move-here' && !elsewhere) {
      errors.push({ field: `actions.${i}.action`, message: missing ? `${l.tag} was not scanned; it cannot be moved to where it was scanned` : `${l.tag} was found where it is registered; there is nothing to move` });
    }
    if (a.action === 'ignore' && !missing && !elsewhere) errors.push({ field: `actions.${i}.action`, message: `${l.tag} was found where it is registered; there is nothing to ignore` });
  });
  if (errors.length) throw problems.validation(errors);

  // Components are written off before their parent (a parent with components is not disposed of).
  const lost = new Set(actions.filter((a) => a.action === 'mark-lost').map((a) => a.assetId));
  const depth = (id: string): number => {
    const parent = lines.get(id)?.parent_id;
    return parent && lost.has(parent) ? 1 + depth(parent) : 0;
  };
  const order = actions.map((a, i) => ({ a, i, d: a.action === 'mark-lost' ? depth(a.assetId) : 0 })).sort((x, y) => y.d - x.d || x.i - y.i);

  const refusals: { field: string; assetId: string; tag: string; type: string; message: string }[] = [];
  const outcomes: ReconcileOutcome[] = new Array(actions.length);
  const audit = `audit A-${c.number} (${c.name})`;
  for (const { a, i } of order) {
    const l = lines.get(a.assetId)!;
    const reason = a.reason?.trim() || null;
    if (l.resolution) {
      outcomes[i] = { assetId: a.assetId, tag: l.tag, action: a.action, outcome: 'already-done', moved: [] };
      continue;
    }
    const r = await attempt(tx, `reconcile_${i}`, async () => {
      let moved: string[] = [];
      if (a.action === 'move-here') moved = await moveAsset(tx, a.assetId, l.scanned_location_id!, reason ?? `found in ${audit}`);
      else if (a.action === 'flag-missing') await flagMissing(tx, a.assetId, c, reason);
      else if (a.action === 'mark-lost') await disposeAsset(tx, a.assetId, { kind: 'lost', reason: reason ?? `not found in ${audit}` }, options);
      await tx.execute(
        `UPDATE fixed_assets_campaign_line SET resolution = $3, resolution_reason = $4, resolved_at = now(), resolved_by_label = $5 WHERE campaign_id = $1 AND asset_id = $2`,
        [campaignId, a.assetId, RESOLUTION_OF[a.action], reason, tx.actor.label],
      );
      await tx.audit({ action: 'reconciled', entityType: 'fixed-assets.campaign', entityId: campaignId, after: { assetId: a.assetId, tag: l.tag, action: a.action, reason, ...(moved.length ? { moved } : {}) } });
      return moved;
    });
    if (r.ok) outcomes[i] = { assetId: a.assetId, tag: l.tag, action: a.action, outcome: 'done', moved: r.value };
    else if (r.error instanceof ProblemError) refusals.push({ field: `actions.${i}`, assetId: a.assetId, tag: l.tag, type: r.error.type, message: r.error.detail ?? r.error.title });
    else throw r.error;
  }
  if (refusals.length) {
    refusals.sort((x, y) => Number(x.field.split('.')[1]) - Number(y.field.split('.')[1]));
    throw new ProblemError({
      type: 'fixed-assets/bulk-refused',
      status: 409,
      title: 'Nothing was reconciled',
      detail: `${refusals.length} of ${actions.length} actions were refused: ${refusals.map((x) => `${x.tag}: ${x.message}`).join('; ')}`,
      extensions: { errors: refusals.map((x) => ({ ...x, type: x.type.startsWith('http') ? x.type : PROBLEM_BASE + x.type })) },
    });
  }
  return outcomes;
}

/** Flag an asset missing: it keeps its place in the register, with the flag, until it is found again. */
async function flagMissing(tx: Transaction, assetId: string, c: CampaignRow, reason: string | null): Promise<void> {
  const asset = await lockAsset(tx, assetId);
  if (isFinal(asset.status)) throw assetDisposed(asset);
  await tx.execute(`UPDATE fixed_assets_asset SET flagged_missing_at = now(), flagged_missing_campaign_id = $2, version = version + 1, updated_at = now() WHERE id = $1`, [assetId, c.id]);
  await recordEvent(tx, assetId, { type: 'flagged-missing', reason, data: { campaignId: c.id, campaignNumber: c.number, locationId: asset.location_id } });
  await tx.audit({ action: 'flagged-missing', entityType: 'fixed-assets.asset', entityId: assetId, before: { flaggedMissingAt: null }, after: { flaggedMissing: true, campaignId: c.id, reason } });
  await tx.emit(AssetFlaggedMissing, { id: assetId, tag: asset.tag, campaignId: c.id, locationId: asset.location_id, reason });
}
