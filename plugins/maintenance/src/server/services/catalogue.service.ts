/**
 * The maintenance settings catalogues: checklist templates, teams and technicians (with their
 * labour rates), failure codes, asset criticality and category settings. Plain SQL; the routes
 * (catalogue.routes.ts) wrap every write in one transaction with its audit record. The writes
 * other code needs too (the demo data) are functions here that take the caller's transaction.
 */
import { cleanText, problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { isoInstant, type Db } from '@quartermaster/core';
import type { Criticality } from '../../shared/index.js';
import { tryDec } from '../../domain/index.js';
import type { ChecklistTemplateItem } from './work-order-store.js';

/** The code of a measurement point (as in `maintenance_measurement_point.code`). */
export const POINT_CODE_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** A failure code (as in `maintenance_failure_code.code`). */
export const FAILURE_CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

/** Checklist template items as they come in (decimals as numbers or strings). */
export interface ChecklistItemInput {
  kind: 'check' | 'reading' | 'text';
  label: string;
  required?: boolean;
  unit?: string | null;
  min?: string | number | null;
  max?: string | number | null;
  pointCode?: string | null;
}

/**
 * Check template items and bring them to their stored form (trimmed labels, decimals as text).
 * Limits and units belong to readings only; a reading's `min` must not exceed its `max`.
 */
export function normaliseChecklistItems(items: ChecklistItemInput[], field = 'items'): { items: ChecklistTemplateItem[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: ChecklistTemplateItem[] = [];
  items.forEach((it, i) => {
    const f = (name: string) => `${field}.${i}.${name}`;
    const label = it.label.trim();
    if (!label) errors.push({ field: f('label'), message: 'must not be blank' });
    const decimal = (name: 'min' | 'max') => {
      const v = it[name];
      if (v === undefined || v === null) return null;
      const d = tryDec(v);
      if (!d) {
        errors.push({ field: f(name), message: 'must be a decimal number' });
        return null;
      }
      return d;
    };
    const min = decimal('min');
    const max = decimal('max');
    const unit = it.unit?.trim() || null;
    const pointCode = it.pointCode ?? null;
    if (it.kind === 'reading') {
      if (min && max && min.gt(max)) errors.push({ field: f('max'), message: `must not be less than min (${min.toFixed()})` });
      if (pointCode !== null && !POINT_CODE_RE.test(pointCode)) errors.push({ field: f('pointCode'), message: 'must be a measurement point code (lower-case letters, digits, . _ -)' });
    } else {
      for (const [name, v] of [['unit', it.unit], ['min', it.min], ['max', it.max], ['pointCode', it.pointCode]] as const) {
        if (v !== undefined && v !== null) errors.push({ field: f(name), message: `only readings have a ${name}` });
      }
    }
    out.push({
      kind: it.kind,
      label,
      required: it.required ?? true,
      unit: it.kind === 'reading' ? unit : null,
      min: it.kind === 'reading' && min ? min.toFixed() : null,
      max: it.kind === 'reading' && max ? max.toFixed() : null,
      pointCode: it.kind === 'reading' ? pointCode : null,
    });
  });
  return { items: out, errors };
}

export interface TemplateRow {
  id: string;
  name: string;
  description: string | null;
  items: ChecklistTemplateItem[];
  version: number;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}
export const TEMPLATE_COLUMNS = `id, name, description, items, version, active, created_at, updated_at`;
export const templateView = (r: TemplateRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  items: r.items.map((i) => ({ kind: i.kind, label: i.label, required: i.required ?? true, unit: i.unit ?? null, min: i.min ?? null, max: i.max ?? null, pointCode: i.pointCode ?? null })),
  version: r.version,
  active: r.active,
  createdAt: isoInstant(r.created_at)!,
  updatedAt: isoInstant(r.updated_at)!,
});

/** Money in the catalogue (hourly rates): ≥ 0, at most 4 decimals, fits numeric(20,4). */
export function rateOf(v: string | number | null | undefined, field: string, errors: FieldError[]): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  const d = tryDec(v);
  if (!d) errors.push({ field, message: 'must be a decimal number' });
  else if (d.isNegative()) errors.push({ field, message: 'must not be negative' });
  else if (d.decimalPlaces() > 4) errors.push({ field, message: 'has more than 4 decimal places' });
  else if (d.gte('1e16')) errors.push({ field, message: 'is too large' });
  else return d.toFixed();
  return undefined;
}

export const rateText = (v: string | null) => (v === null ? null : (tryDec(v)!.isZero() ? '0' : tryDec(v)!.toFixed()));

export interface TeamRow {
  id: string;
  name: string;
  hourly_rate: string | null;
  created_at: Date | string;
}
export async function teamView(db: Db, team: TeamRow) {
  const members = await db.execute<{ id: string; name: string; email: string }>(
    `SELECT u.id, u.name, u.email FROM maintenance_team_member m JOIN core_user u ON u.id = m.user_id WHERE m.team_id = $1 ORDER BY lower(u.name), u.id`,
    [team.id],
  );
  return { id: team.id, name: team.name, hourlyRate: rateText(team.hourly_rate), members, createdAt: isoInstant(team.created_at)! };
}

/** Users that do not exist (or are inactive), as field errors. */
export async function checkUsers(db: Db, ids: string[], field: (i: number) => string): Promise<FieldError[]> {
  if (!ids.length) return [];
  const found = new Set((await db.execute<{ id: string }>(`SELECT id FROM core_user WHERE id = ANY($1::uuid[]) AND active`, [ids])).map((r) => r.id));
  return ids.flatMap((id, i) => (found.has(id) ? [] : [{ field: field(i), message: 'no such active user' }]));
}

/**
 * The criticality that drives an asset's work order priority: the asset's own profile, else the
 * default of its category or the nearest ancestor category that sets one, else C.
 */
export async function effectiveCriticality(db: Db, assetId: string): Promise<{ criticality: Criticality; source: 'asset' | 'category' | 'default'; categoryId: string | null }> {
  const [row] = await db.execute<{ own: Criticality | null; inherited: Criticality | null; from_category: string | null }>(
    `WITH RECURSIVE up AS (
       SELECT c.id, c.parent_id, 0 AS depth FROM core_category c JOIN fixed_assets_asset a ON a.category_id = c.id WHERE a.id = $1
       UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM core_category c JOIN up ON c.id = up.parent_id WHERE up.depth < 64
     )
     SELECT (SELECT criticality FROM maintenance_asset_profile WHERE asset_id = $1) AS own,
            s.default_criticality AS inherited, s.category_id AS from_category
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT s.default_criticality, s.category_id FROM up JOIN maintenance_category_settings s ON s.category_id = up.id
          WHERE s.default_criticality IS NOT NULL ORDER BY up.depth LIMIT 1
       ) s ON true`,
    [assetId],
  );
  if (row?.own) return { criticality: row.own, source: 'asset', categoryId: null };
  if (row?.inherited) return { criticality: row.inherited, source: 'category', categoryId: row.from_category };
  return { criticality: 'C', source: 'default', categoryId: null };
}

export interface CategorySettingsRow {
  category_id: string;
  /** Null: as the parent category. */
  block_checkout_when_calibration_overdue: boolean | null;
  default_criticality: Criticality | null;
}

/**
 * A category's own maintenance settings and what applies to its assets: each setting comes from
 * the category itself or the nearest ancestor that has a row (block check-out: true by default).
 */
export async function categorySettingsView(db: Db, categoryId: string) {
  const chain = await db.execute<CategorySettingsRow & { depth: number }>(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, 0 AS depth FROM core_category WHERE id = $1
       UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM core_category c JOIN up ON c.id = up.parent_id WHERE up.depth < 64
     )
     SELECT s.category_id, s.block_checkout_when_calibration_overdue, s.default_criticality, up.depth
       FROM up JOIN maintenance_category_settings s ON s.category_id = up.id ORDER BY up.depth`,
    [categoryId],
  );
  const own = chain.find((r) => r.depth === 0) ?? null;
  // Each setting inherits on its own: the nearest category (itself first) that sets it wins.
  const nearest = chain.find((r) => r.block_checkout_when_calibration_overdue !== null) ?? null;
  const critical = chain.find((r) => r.default_criticality !== null) ?? null;
  return {
    categoryId,
    settings: own ? { blockCheckoutWhenCalibrationOverdue: own.block_checkout_when_calibration_overdue, defaultCriticality: own.default_criticality } : null,
    effective: {
      blockCheckoutWhenCalibrationOverdue: nearest ? nearest.block_checkout_when_calibration_overdue! : true,
      blockCheckoutFrom: nearest?.category_id ?? null,
      defaultCriticality: critical?.default_criticality ?? null,
      defaultCriticalityFrom: critical?.category_id ?? null,
    },
  };
}

export interface FailureCodeRow {
  kind: 'problem' | 'cause' | 'remedy';
  code: string;
  description: string;
  active: boolean;
}
export const failureCodeView = (r: FailureCodeRow) => ({ kind: r.kind, code: r.code, description: r.description, active: r.active });

/**
 * Failure codes a work order names must be in the catalogue and active. Answers field errors
 * (`problemCode`, `causeCode`, `remedyCode`) for the ones that are not.
 */
export async function checkFailureCodes(db: Db, codes: { problem?: string | null; cause?: string | null; remedy?: string | null }, fieldOf = (k: string) => `${k}Code`): Promise<FieldError[]> {
  const given = (['problem', 'cause', 'remedy'] as const).filter((k) => codes[k] != null);
  if (!given.length) return [];
  const rows = await db.execute<{ kind: string; code: string; active: boolean }>(
    `SELECT kind, code, active FROM maintenance_failure_code WHERE (kind, code) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [given, given.map((k) => codes[k])],
  );
  const errors: FieldError[] = [];
  for (const k of given) {
    const row = rows.find((r) => r.kind === k && r.code === codes[k]);
    if (!row) errors.push({ field: fieldOf(k), message: `no ${k} code ${codes[k]} in the failure code catalogue` });
    else if (!row.active) errors.push({ field: fieldOf(k), message: `the ${k} code ${codes[k]} is no longer in use` });
  }
  return errors;
}

/** Lock a catalogue row or answer 404. */
export async function lockOr404<R>(db: Db, sql: string, params: unknown[], resource: string, id: string): Promise<R> {
  const [row] = await db.execute<R>(sql, params);
  if (!row) throw problems.notFound(resource, id);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Writes shared by the routes and the demo data (each inside the caller's transaction)

const blank = (field: string): FieldError => ({ field, message: 'must not be blank' });
export const duplicateName = (what: string, name: string) =>
  problems.conflict('maintenance/duplicate-name', `${what} name in use`, `There is already a ${what.toLowerCase()} named ${name}`, { field: 'name', name });

export interface ChecklistTemplateInput {
  name: string;
  description?: string | null;
  items: ChecklistItemInput[];
  active?: boolean;
}

/** Create a checklist template (items checked and normalised, the name unique); audited. */
export async function createChecklistTemplate(tx: Transaction, b: ChecklistTemplateInput) {
  const { items, errors } = normaliseChecklistItems(b.items);
  if (!b.name.trim()) errors.unshift(blank('name'));
  if (errors.length) throw problems.validation(errors);
  const [dup] = await tx.execute(`SELECT 1 FROM maintenance_checklist_template WHERE name = $1`, [b.name.trim()]);
  if (dup) throw duplicateName('Checklist template', b.name.trim());
  const [row] = await tx.execute<TemplateRow>(
    `INSERT INTO maintenance_checklist_template (name, description, items, active) VALUES ($1, $2, $3, $4) RETURNING ${TEMPLATE_COLUMNS}`,
    [b.name.trim(), cleanText(b.description), JSON.stringify(items), b.active ?? true],
  );
  const v = templateView(row);
  await tx.audit({ action: 'created', entityType: 'maintenance.checklist-template', entityId: v.id, after: v });
  return v;
}

export interface TeamInput {
  name: string;
  hourlyRate?: string | number | null;
  memberIds?: string[];
}

/** Create a team with its members (active users) and hourly rate; audited. */
export async function createTeam(tx: Transaction, b: TeamInput) {
  const errors: FieldError[] = [];
  if (!b.name.trim()) errors.push(blank('name'));
  const rate = rateOf(b.hourlyRate, 'hourlyRate', errors);
  errors.push(...(await checkUsers(tx, b.memberIds ?? [], (i) => `memberIds.${i}`)));
  if (errors.length) throw problems.validation(errors);
  const [dup] = await tx.execute(`SELECT 1 FROM maintenance_team WHERE name = $1`, [b.name.trim()]);
  if (dup) throw duplicateName('Team', b.name.trim());
  const [row] = await tx.execute<TeamRow>(`INSERT INTO maintenance_team (name, hourly_rate) VALUES ($1, $2) RETURNING id, name, hourly_rate::text AS hourly_rate, created_at`, [b.name.trim(), rate ?? null]);
  if (b.memberIds?.length) await tx.execute(`INSERT INTO maintenance_team_member (team_id, user_id) SELECT $1, unnest($2::uuid[])`, [row.id, b.memberIds]);
  const v = await teamView(tx, row);
  await tx.audit({ action: 'created', entityType: 'maintenance.team', entityId: v.id, after: v });
  return v;
}

/** Technicians (users with a labour rate or in a team), one user's entry, or a team's members. */
export async function technicianViews(d: Db, userId?: string, teamId?: string) {
  const rows = await d.execute<{ user_id: string; name: string; email: string; hourly_rate: string | null; skills: string[]; teams: { id: string; name: string; hourly_rate: string | null }[] }>(
    `SELECT u.id AS user_id, u.name, u.email, t.hourly_rate::text AS hourly_rate, coalesce(t.skills, '{}') AS skills,
            coalesce((SELECT json_agg(json_build_object('id', tm.id, 'name', tm.name, 'hourly_rate', tm.hourly_rate::text) ORDER BY lower(tm.name), tm.id)
                        FROM maintenance_team_member m JOIN maintenance_team tm ON tm.id = m.team_id WHERE m.user_id = u.id), '[]') AS teams
       FROM core_user u LEFT JOIN maintenance_technician t ON t.user_id = u.id
      WHERE ${
        userId
          ? 'u.id = $1'
          : teamId
            ? 'EXISTS (SELECT 1 FROM maintenance_team_member m WHERE m.user_id = u.id AND m.team_id = $1)'
            : '(t.user_id IS NOT NULL OR EXISTS (SELECT 1 FROM maintenance_team_member m WHERE m.user_id = u.id))'
      }
      ORDER BY lower(u.name), u.id`,
    userId ? [userId] : teamId ? [teamId] : [],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    hourlyRate: rateText(r.hourly_rate),
    skills: r.skills,
    teams: r.teams.map((t) => ({ id: t.id, name: t.name, hourlyRate: rateText(t.hourly_rate) })),
  }));
}

/** Set a technician's own hourly rate (null: the team's, then the default) and skills; audited. */
export async function setTechnician(tx: Transaction, userId: string, b: { hourlyRate: string | number | null; skills?: string[] }) {
  const errors: FieldError[] = [];
  const rate = rateOf(b.hourlyRate, 'hourlyRate', errors);
  if (errors.length) throw problems.validation(errors);
  const [user] = await tx.execute(`SELECT 1 FROM core_user WHERE id = $1`, [userId]);
  if (!user) throw problems.notFound('user', userId);
  const [before] = await technicianViews(tx, userId);
  const skills = b.skills?.map((s) => s.trim()).filter(Boolean);
  await tx.execute(
    `INSERT INTO maintenance_technician (user_id, hourly_rate, skills) VALUES ($1, $2, coalesce($3::text[], '{}'))
     ON CONFLICT (user_id) DO UPDATE SET hourly_rate = excluded.hourly_rate, skills = coalesce($3::text[], maintenance_technician.skills)`,
    [userId, rate ?? null, skills ?? null],
  );
  const [after] = await technicianViews(tx, userId);
  await tx.audit({ action: 'updated', entityType: 'maintenance.technician', entityId: userId, before: { hourlyRate: before.hourlyRate, skills: before.skills }, after: { hourlyRate: after.hourlyRate, skills: after.skills } });
  return after;
}

/** Add a failure code (problem, cause or remedy); a code the kind has already is 409; audited. */
export async function createFailureCode(tx: Transaction, b: { kind: FailureCodeRow['kind']; code: string; description: string; active?: boolean }) {
  if (!b.description.trim()) throw problems.validation([blank('description')]);
  const [row] = await tx.execute<FailureCodeRow>(
    `INSERT INTO maintenance_failure_code (kind, code, description, active) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING kind, code, description, active`,
    [b.kind, b.code, b.description.trim(), b.active ?? true],
  );
  if (!row) throw problems.conflict('maintenance/duplicate-failure-code', 'Failure code exists', `There is already a ${b.kind} code ${b.code}`, { field: 'code', kind: b.kind, code: b.code });
  const v = failureCodeView(row);
  await tx.audit({ action: 'created', entityType: 'maintenance.failure-code', entityId: `${b.kind}:${b.code}`, after: v });
  return v;
}

/** An asset's criticality: what applies (own, category, default) and its own value. */
export async function assetProfileView(d: Db, assetId: string) {
  const eff = await effectiveCriticality(d, assetId);
  const [own] = await d.execute<{ criticality: Criticality; updated_at: Date }>(`SELECT criticality, updated_at FROM maintenance_asset_profile WHERE asset_id = $1`, [assetId]);
  return { assetId, criticality: eff.criticality, source: eff.source, own: own?.criticality ?? null, updatedAt: isoInstant(own?.updated_at) };
}

/** Set an asset's own criticality (null: inherit from its category, else C); 404 for an unknown asset; audited. */
export async function setAssetCriticality(tx: Transaction, assetId: string, criticality: Criticality | null) {
  const [a] = await tx.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [assetId]);
  if (!a) throw problems.notFound('asset', assetId);
  const before = await assetProfileView(tx, assetId);
  if (criticality === null) await tx.execute(`DELETE FROM maintenance_asset_profile WHERE asset_id = $1`, [assetId]);
  else {
    await tx.execute(
      `INSERT INTO maintenance_asset_profile (asset_id, criticality) VALUES ($1, $2) ON CONFLICT (asset_id) DO UPDATE SET criticality = excluded.criticality, updated_at = now()`,
      [assetId, criticality],
    );
  }
  const after = await assetProfileView(tx, assetId);
  await tx.audit({ action: 'updated', entityType: 'maintenance.asset-profile', entityId: assetId, before, after });
  return after;
}
