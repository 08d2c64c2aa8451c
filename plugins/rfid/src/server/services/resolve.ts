/**
 * What an EPC names. First the core's identifier registry (`epc` identifiers: a tag enrolled to an
 * item, an asset or a location); then what the EPC itself says: a GIAI names the asset whose tag
 * (or other identifier) is that GIAI, an SGTIN names the item with that GTIN. All EPCs of a batch
 * are resolved with two statements.
 */
import type { Db } from '@quartermaster/core';
import { EpcError, decodeEpc, type DecodedEpc } from '../../domain/index.js';

export interface EpcInfo {
  scheme: string;
  gs1KeyType: 'gtin' | 'sscc' | 'grai' | 'giai';
  gs1Key: string;
  serial: string | null;
}

export interface Target {
  type: string;
  id: string;
}

export const ASSET_TARGET = 'fixed-assets.asset';
export const ITEM_TARGET = 'core.item';

export function epcInfoOf(d: DecodedEpc): EpcInfo {
  switch (d.scheme) {
    case 'sgtin-96':
    case 'sgtin-198':
      return { scheme: d.scheme, gs1KeyType: 'gtin', gs1Key: d.gtin, serial: d.serial };
    case 'sscc-96':
      return { scheme: d.scheme, gs1KeyType: 'sscc', gs1Key: d.sscc, serial: null };
    case 'grai-96':
      return { scheme: d.scheme, gs1KeyType: 'grai', gs1Key: d.grai, serial: d.serial };
    case 'giai-96':
    case 'giai-202':
      return { scheme: d.scheme, gs1KeyType: 'giai', gs1Key: d.giai, serial: null };
  }
}

/** The decode of an EPC, or null when it is not a GS1 EPC this plugin reads (a non-GS1 or blank tag). */
export function tryDecode(epc: string): DecodedEpc | null {
  try {
    return decodeEpc(epc);
  } catch (err) {
    if (err instanceof EpcError) return null;
    throw err;
  }
}

/** Decoding is pure, so what an EPC says is cached; bounded (cleared when full). */
export class EpcInfoCache {
  private readonly cache = new Map<string, EpcInfo | null>();
  constructor(private readonly max = 100_000) {}
  get(epc: string): EpcInfo | null {
    let info = this.cache.get(epc);
    if (info === undefined) {
      const d = tryDecode(epc);
      info = d ? epcInfoOf(d) : null;
      if (this.cache.size >= this.max) this.cache.clear();
      this.cache.set(epc, info);
    }
    return info;
  }
}

/**
 * The forms a GTIN-14 may be stored in the core: as given (14 digits), and shortened to GTIN-13,
 * GTIN-12 or GTIN-8 when its leading digits are zeros. Most specific first.
 */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  for (const len of [13, 12, 8]) {
    const lead = gtin14.slice(0, 14 - len);
    if (/^0+$/.test(lead)) forms.push(gtin14.slice(14 - len));
  }
  return forms;
}

/** Targets of many EPCs at once: explicit `epc` identifiers first, then GIAI → asset and SGTIN → item. */
export async function resolveTargets(db: Db, epcs: readonly string[], info: (epc: string) => EpcInfo | null): Promise<Map<string, Target | null>> {
  const out = new Map<string, Target | null>();
  if (!epcs.length) return out;
  const explicit = await db.execute<{ value: string; target_type: string; target_id: string }>(
    `SELECT value, target_type, target_id FROM core_identifier WHERE type = 'epc' AND value = ANY($1::text[])`,
    [epcs],
  );
  for (const r of explicit) out.set(r.value, { type: r.target_type, id: r.target_id });

  const rest = epcs.filter((e) => !out.has(e));
  const giais = new Set<string>();
  const gtins = new Set<string>();
  for (const epc of rest) {
    const i = info(epc);
    if (i?.gs1KeyType === 'giai') giais.add(i.gs1Key);
    else if (i?.gs1KeyType === 'gtin') for (const g of gtinForms(i.gs1Key)) gtins.add(g);
  }
  let byGiai = new Map<string, Array<Target & { via: string }>>();
  const byGtin = new Map<string, Target>();
  if (giais.size || gtins.size) {
    const rows = await db.execute<{ type: string; value: string; target_type: string; target_id: string }>(
      `SELECT type, value, target_type, target_id FROM core_identifier
        WHERE (target_type = $3 AND value = ANY($1::text[]))
           OR (type = 'gtin' AND target_type = $4 AND value = ANY($2::text[]))
        ORDER BY type, value`,
      [[...giais], [...gtins], ASSET_TARGET, ITEM_TARGET],
    );
    byGiai = new Map();
    for (const r of rows) {
      if (r.target_type === ASSET_TARGET && giais.has(r.value)) byGiai.set(r.value, [...(byGiai.get(r.value) ?? []), { type: r.target_type, id: r.target_id, via: r.type }]);
      if (r.type === 'gtin' && r.target_type === ITEM_TARGET) byGtin.set(r.value, { type: r.target_type, id: r.target_id });
    }
  }
  for (const epc of rest) {
    const i = info(epc);
    let target: Target | null = null;
    if (i?.gs1KeyType === 'giai') {
      // The asset tag is unique and wins; otherwise another identifier of exactly one asset.
      const found = byGiai.get(i.gs1Key) ?? [];
      const pick = found.find((t) => t.via === 'asset-tag') ?? (new Set(found.map((t) => t.id)).size === 1 ? found[0] : undefined);
      if (pick) target = { type: pick.type, id: pick.id };
    } else if (i?.gs1KeyType === 'gtin') {
      const form = gtinForms(i.gs1Key).find((g) => byGtin.has(g));
      target = form ? byGtin.get(form)! : null;
    }
    out.set(epc, target);
  }
  return out;
}
