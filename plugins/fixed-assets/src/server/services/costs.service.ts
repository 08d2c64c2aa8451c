/**
 * The cost-of-ownership ledger: costs an asset incurred after it was bought, posted by hand or by
 * other plugins (maintenance work orders, fuel cards, insurers' connectors) through the SDK. A
 * plugin posts inside its own transaction: the SDK service joins it (ctx.joinTransaction), so the
 * entry, its audit record and the `fixed-assets.asset.cost-posted` event commit with the poster's
 * work or not at all.
 */
import { ProblemError, problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { AssetCostPosted, COST_KINDS, MANUAL_COST_SOURCE, type CostEntry, type CostKind, type PostCostInput } from '../../shared/index.js';
import { parseIsoDate } from '../../domain/depreciation/fiscal-calendar.js';
import { amountText, tryDec } from '../../domain/money.js';
import { recordEvent } from './asset-store.js';
import { isoOf, type Db } from './db.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SOURCE = /^[a-z][a-z0-9-]{0,63}$/;
/** numeric(20,4): at most 16 digits before the point. */
const MAX_AMOUNT = '9999999999999999';

export interface CostRow {
  id: string;
  asset_id: string;
  tag: string;
  incurred_on: string;
  kind: CostKind;
  amount: string;
  currency: string;
  source: string;
  source_ref: string | null;
  description: string | null;
  created_at: Date | string;
  created_by_label: string;
}

export const COST_SELECT = `
  SELECT e.id, e.asset_id, a.tag, e.incurred_on::text AS incurred_on, e.kind, e.amount::text AS amount, e.currency, e.source, e.source_ref,
         e.description, e.created_at, e.created_by_label
    FROM fixed_assets_cost_entry e JOIN fixed_assets_asset a ON a.id = e.asset_id`;

export const costView = (r: CostRow, minorUnits: number): CostEntry => ({
  id: r.id,
  assetId: r.asset_id,
  incurredOn: r.incurred_on,
  kind: r.kind,
  amount: amountText(r.amount, minorUnits),
  currency: r.currency,
  source: r.source,
  sourceRef: r.source_ref,
  description: r.description,
  createdAt: isoOf(r.created_at)!,
  createdBy: r.created_by_label,
});

const payloadOf = (r: CostRow, minorUnits: number) => ({
  id: r.asset_id,
  tag: r.tag,
  costId: r.id,
  kind: r.kind,
  amount: amountText(r.amount, minorUnits),
  currency: r.currency,
  incurredOn: r.incurred_on,
  source: r.source,
  sourceRef: r.source_ref,
  description: r.description,
});

export interface PostCostOptions {
  minorUnits: number;
  /** True for entries made by hand through the API (source `manual`). */
  manual: boolean;
}

/** Check a cost as a plugin or a person gave it; every problem at once (the asset's existence aside). */
function checkCost(input: PostCostInput, o: PostCostOptions): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.assetId !== 'string' || !UUID.test(input.assetId)) errors.push({ field: 'assetId', message: 'must be an asset id (uuid)' });
  if (!parseIsoDate(input.incurredOn)) errors.push({ field: 'incurredOn', message: 'must be an ISO date (YYYY-MM-DD)' });
  if (!(COST_KINDS as readonly string[]).includes(input.kind)) errors.push({ field: 'kind', message: `must be one of ${COST_KINDS.join(', ')}` });
  const amount = typeof input.amount === 'string' || typeof input.amount === 'number' ? tryDec(input.amount) : undefined;
  if (!amount) errors.push({ field: 'amount', message: 'must be a decimal number' });
  else if (amount.isNegative()) errors.push({ field: 'amount', message: 'must not be negative' });
  else if (amount.decimalPlaces() > o.minorUnits) errors.push({ field: 'amount', message: `has more than ${o.minorUnits} decimal places` });
  else if (amount.gt(MAX_AMOUNT)) errors.push({ field: 'amount', message: 'is too large' });
  if (input.currency !== undefined && (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency))) errors.push({ field: 'currency', message: 'must be an ISO 4217 code such as EUR' });
  if (!o.manual) {
    if (typeof input.source !== 'string' || !SOURCE.test(input.source)) errors.push({ field: 'source', message: 'must be the posting plugin\'s id (lower-case letters, digits and dashes)' });
    else if (input.source === MANUAL_COST_SOURCE || input.source === 'fixed-assets') errors.push({ field: 'source', message: `"${input.source}" is reserved for entries made by hand` });
  }
  if (!o.manual || input.sourceRef !== undefined) {
    if (typeof input.sourceRef !== 'string' || !input.sourceRef.trim()) errors.push({ field: o.manual ? 'reference' : 'sourceRef', message: 'must not be blank' });
    else if (input.sourceRef.length > 200) errors.push({ field: o.manual ? 'reference' : 'sourceRef', message: 'must be at most 200 characters' });
  }
  if (input.description !== undefined && input.description !== null && (typeof input.description !== 'string' || input.description.length > 2000)) {
    errors.push({ field: 'description', message: 'must be text of at most 2000 characters' });
  }
  return errors;
}

/**
 * Record one cost in `tx`. Idempotent per (source, sourceRef): the same reference again answers
 * the entry already there (`created: false`), or 409 when it says something else.
 */
export async function postCost(tx: Transaction, input: PostCostInput, o: PostCostOptions): Promise<{ entry: CostEntry; created: boolean }> {
  const errors = checkCost(input, o);
  if (errors.length) throw problems.validation(errors);
  const [asset] = await tx.execute<{ id: string; tag: string; currency: string }>(`SELECT id, tag, currency FROM fixed_assets_asset WHERE id = $1`, [input.assetId]);
  if (!asset) throw problems.notFound('asset', input.assetId);
  const currency = input.currency ?? asset.currency;
  if (currency !== asset.currency) {
    throw problems.validation([{ field: 'currency', message: `must be the asset's currency (${asset.currency}): costs of an asset add up in one currency` }]);
  }
  const source = o.manual ? MANUAL_COST_SOURCE : input.source;
  const sourceRef = input.sourceRef === undefined ? null : input.sourceRef.trim();
  const description = input.description?.trim() || null;
  const amount = tryDec(input.amount)!.toFixed();
  const [inserted] = await tx.execute<{ id: string }>(
    `INSERT INTO fixed_assets_cost_entry (asset_id, incurred_on, kind, amount, currency, source, source_ref, description, created_by_label)
     VALUES ($1, $2::date, $3, $4::numeric, $5, $6, $7, $8, $9)
     ON CONFLICT (source, source_ref) DO NOTHING RETURNING id`,
    [asset.id, input.incurredOn, input.kind, amount, currency, source, sourceRef, description, tx.actor.label],
  );
  if (!inserted) {
    const [existing] = await tx.execute<CostRow>(`${COST_SELECT} WHERE e.source = $1 AND e.source_ref = $2`, [source, sourceRef]);
    const differs = (
      [
        ['assetId', existing.asset_id !== asset.id],
        ['incurredOn', existing.incurred_on !== input.incurredOn],
        ['kind', existing.kind !== input.kind],
        ['amount', !tryDec(existing.amount)!.eq(amount)],
      ] as const
    )
      .filter(([, d]) => d)
      .map(([f]) => f);
    if (differs.length) {
      throw new ProblemError({
        type: 'fixed-assets/cost-ref-conflict',
        status: 409,
        title: 'Cost reference already used',
        detail: `${source} already posted a cost with the reference ${sourceRef}, with another ${differs.join(', ')}; a reference posts one cost`,
        extensions: { field: o.manual ? 'reference' : 'sourceRef', source, sourceRef, costId: existing.id, differs },
      });
    }
    return { entry: costView(existing, o.minorUnits), created: false };
  }
  const [row] = await tx.execute<CostRow>(`${COST_SELECT} WHERE e.id = $1`, [inserted.id]);
  const entry = costView(row, o.minorUnits);
  await recordEvent(tx, asset.id, { type: 'cost-posted', data: { costId: entry.id, kind: entry.kind, amount: entry.amount, currency, incurredOn: entry.incurredOn, source, sourceRef } });
  await tx.audit({ action: 'cost-posted', entityType: 'fixed-assets.cost', entityId: entry.id, after: entry });
  await tx.emit(AssetCostPosted, payloadOf(row, o.minorUnits));
  return { entry, created: true };
}

/** Costs of one asset: rows and sums per kind, in the asset's currency. */
export async function assetCostTotals(db: Db, assetId: string, from: string | null, to: string | null) {
  return db.execute<{ kind: CostKind; amount: string; n: string }>(
    `SELECT kind, sum(amount)::text AS amount, count(*) AS n FROM fixed_assets_cost_entry
      WHERE asset_id = $1 AND ($2::date IS NULL OR incurred_on >= $2::date) AND ($3::date IS NULL OR incurred_on <= $3::date) GROUP BY kind`,
    [assetId, from, to],
  );
}
