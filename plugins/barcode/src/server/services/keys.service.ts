/**
 * GS1 key allocation from the company prefix. The settings row holds the next reference per key
 * type; an allocation locks that row (SELECT … FOR UPDATE), builds the keys with the domain's
 * allocate functions and moves the counter past them in the same transaction, so concurrent
 * allocations queue on the lock and never hand out the same key.
 */
import { ProblemError, problems, type FieldError, type Static, type Transaction } from '@quartermaster/sdk';
import { isoInstant, type Db } from '@quartermaster/core';
import {
  GS1_KEY_AI,
  Gs1Error,
  allocateGiai,
  allocateGrai,
  allocateSscc,
} from '../../domain/index.js';
import {
  KeysAllocated,
  SettingsUpdated,
  type AllocatableKey,
  type AllocateBody,
  type AllocationSchema,
  type BarcodeSettings,
  type BarcodeSettingsUpdate,
} from '../../shared/index.js';
import { gs1Problem } from './gs1-reading.js';

interface SettingsRow {
  company_prefix: string | null;
  sscc_extension_digit: number;
  next_sscc: string;
  next_giai: string;
  next_grai: string;
  updated_at: Date | string;
}

const COLUMNS = `company_prefix, sscc_extension_digit, next_sscc::text AS next_sscc, next_giai::text AS next_giai, next_grai::text AS next_grai, updated_at`;

const COUNTER: Record<AllocatableKey, 'next_sscc' | 'next_giai' | 'next_grai'> = { sscc: 'next_sscc', giai: 'next_giai', grai: 'next_grai' };

function settingsView(r: SettingsRow): BarcodeSettings {
  return {
    companyPrefix: r.company_prefix,
    ssccExtensionDigit: Number(r.sscc_extension_digit),
    nextSscc: Number(r.next_sscc),
    nextGiai: Number(r.next_giai),
    nextGrai: Number(r.next_grai),
    updatedAt: isoInstant(r.updated_at)!,
  };
}

export async function readSettings(db: Db): Promise<BarcodeSettings> {
  const [r] = await db.execute<SettingsRow>(`SELECT ${COLUMNS} FROM barcode_settings WHERE id = 1`);
  return settingsView(r);
}

const eventOf = (s: BarcodeSettings) => ({
  companyPrefix: s.companyPrefix,
  ssccExtensionDigit: s.ssccExtensionDigit,
  nextSscc: s.nextSscc,
  nextGiai: s.nextGiai,
  nextGrai: s.nextGrai,
});

/**
 * Change the settings. A counter may not go back while the company prefix stays: the keys below
 * it were handed out, and a GS1 key is not re-used (an SSCC not within a year of its use, a GIAI
 * never). With a new prefix every counter may start anywhere.
 */
export async function updateSettings(tx: Transaction, b: Static<typeof BarcodeSettingsUpdate>): Promise<BarcodeSettings> {
  const [row] = await tx.execute<SettingsRow>(`SELECT ${COLUMNS} FROM barcode_settings WHERE id = 1 FOR UPDATE`);
  const before = settingsView(row);
  const prefix = b.companyPrefix !== undefined ? b.companyPrefix : before.companyPrefix;
  const prefixChanged = prefix !== before.companyPrefix;
  const errors: FieldError[] = [];
  for (const field of ['nextSscc', 'nextGiai', 'nextGrai'] as const) {
    const next = b[field];
    if (next !== undefined && next < before[field] && !prefixChanged) {
      errors.push({ field, message: `must not go back below ${before[field]} while the company prefix stays: the keys below it were handed out` });
    }
  }
  if (errors.length) throw problems.validation(errors);
  const [updated] = await tx.execute<SettingsRow>(
    `UPDATE barcode_settings SET company_prefix = $1, sscc_extension_digit = $2, next_sscc = $3, next_giai = $4, next_grai = $5, updated_at = now()
      WHERE id = 1 RETURNING ${COLUMNS}`,
    [prefix, b.ssccExtensionDigit ?? before.ssccExtensionDigit, b.nextSscc ?? before.nextSscc, b.nextGiai ?? before.nextGiai, b.nextGrai ?? before.nextGrai],
  );
  const after = settingsView(updated);
  await tx.audit({ action: 'updated', entityType: 'barcode.settings', entityId: 'settings', before: eventOf(before), after: eventOf(after) });
  await tx.emit(SettingsUpdated, eventOf(after));
  return after;
}

/** Input checks that need no database: which options belong to which key. */
export function checkAllocateBody(b: Static<typeof AllocateBody>): void {
  const errors: FieldError[] = [];
  if (b.key === 'grai' && b.assetType === undefined) errors.push({ field: 'assetType', message: 'a GRAI needs the asset type' });
  if (b.key !== 'grai' && b.assetType !== undefined) errors.push({ field: 'assetType', message: 'only a GRAI has an asset type' });
  if (b.key !== 'sscc' && b.extensionDigit !== undefined) errors.push({ field: 'extensionDigit', message: 'only an SSCC has an extension digit' });
  if (errors.length) throw problems.validation(errors);
}

export async function allocateKeys(tx: Transaction, b: Static<typeof AllocateBody>): Promise<Static<typeof AllocationSchema>> {
  const count = b.count ?? 1;
  const column = COUNTER[b.key];
  // The row lock: a concurrent allocation waits here until this transaction commits.
  const [row] = await tx.execute<SettingsRow>(`SELECT ${COLUMNS} FROM barcode_settings WHERE id = 1 FOR UPDATE`);
  const prefix = row.company_prefix;
  if (!prefix) {
    throw new ProblemError({
      type: 'barcode/no-company-prefix',
      status: 422,
      title: 'No GS1 Company Prefix',
      detail: 'Set the GS1 Company Prefix in the barcode settings before allocating keys',
      extensions: { key: b.key },
    });
  }
  // Counters are bigint; references up to 15 digits stay exact as JS numbers (the schema's bound).
  const first = Number(row[column]);
  const references = Array.from({ length: count }, (_, i) => String(first + i));
  const last = references[references.length - 1];
  if (b.key === 'sscc' && last.length > 16 - prefix.length) {
    throw new ProblemError({
      type: 'barcode/keys-exhausted',
      status: 422,
      title: 'No SSCC serial references left',
      detail: `With the ${prefix.length}-digit company prefix ${prefix} an SSCC serial reference has ${16 - prefix.length} digits; ${count} more from ${first} would need ${last}`,
      extensions: { key: b.key, next: first, count },
    });
  }
  let keys: string[];
  try {
    keys =
      b.key === 'sscc'
        ? references.map((r) => allocateSscc(prefix, b.extensionDigit ?? row.sscc_extension_digit, r))
        : b.key === 'giai'
          ? references.map((r) => allocateGiai(prefix, r))
          : references.map((r) => allocateGrai(prefix, b.assetType!, r));
  } catch (error) {
    if (error instanceof Gs1Error) throw gs1Problem(error, b.key === 'grai' ? 'assetType' : 'count');
    throw error;
  }
  await tx.execute(`UPDATE barcode_settings SET ${column} = ${column} + $1, updated_at = now() WHERE id = 1`, [count]);
  const [allocation] = await tx.execute<{ id: string }>(`INSERT INTO barcode_allocation (key_type, company_prefix, count) VALUES ($1, $2, $3) RETURNING id`, [b.key, prefix, count]);
  const inserted = await tx.execute<{ value: string }>(
    `INSERT INTO barcode_allocated_key (key_type, value, allocation_id) SELECT $1, k, $2 FROM unnest($3::text[]) k ON CONFLICT DO NOTHING RETURNING value`,
    [b.key, allocation.id, keys],
  );
  if (inserted.length < keys.length) {
    // Only possible after a counter was set back with the prefix changed and changed back: the
    // throw rolls everything back, counter included.
    const fresh = new Set(inserted.map((r) => r.value));
    const taken = keys.filter((k) => !fresh.has(k));
    throw problems.conflict(
      'barcode/key-already-allocated',
      'Key already allocated',
      `${taken.length} of these ${b.key.toUpperCase()}s were handed out before (first ${taken[0]}); move the counter past them in the settings`,
      { key: b.key, taken: taken.slice(0, 20) },
    );
  }
  const summary = { key: b.key, companyPrefix: prefix, count, first: keys[0], last: keys[keys.length - 1] };
  await tx.audit({ action: 'allocated', entityType: 'barcode.allocation', entityId: allocation.id, after: { ...summary, ...(b.assetType ? { assetType: b.assetType } : {}) } });
  await tx.emit(KeysAllocated, { allocationId: allocation.id, ...summary, keys });
  const ai = GS1_KEY_AI[b.key];
  return { allocationId: allocation.id, key: b.key, companyPrefix: prefix, count, keys: keys.map((value) => ({ value, hri: `(${ai})${value}` })) };
}
