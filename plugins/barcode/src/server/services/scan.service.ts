/**
 * What a scan means here. The order:
 * 1. the core's identifier registry (which, through this plugin's parser, also looks up the GTIN,
 *    serial, GIAI… inside a GS1 scan);
 * 2. GS1 data: the GTIN names an item (by its `gtin` identifier, any length); with a lot (10) and
 *    inventory enabled the lot is looked up through inventory's service and a receipt is prefilled
 *    (item, lot, expiry (17), serial (21)); a serial (21) makes it a `serial` scan; a GIAI (8004)
 *    or GRAI (8003) names a fixed asset by its tag (fixed-assets enabled);
 * 3. otherwise what the registry matched (asset, item, location), then an asset tag, then a
 *    location code;
 * 4. else `unknown`, with whatever GS1 content was read.
 */
import { identifierService, readerOf, type ResolvedIdentifier } from '@quartermaster/core';
import { problems, type PluginContext } from '@quartermaster/sdk';
import { ASSET_TARGET_TYPE, fixedAssetsService, type AssetSummary } from '@quartermaster/plugin-fixed-assets/shared';
import { inventoryService, type LotSummary } from '@quartermaster/plugin-inventory/shared';
import type { ScanResult } from '../../shared/index.js';
import { loadItem, loadLocation, locationByCode } from './core-reads.js';
import { element, gtinForms, readScan, utcToday } from './gs1-reading.js';

const assetView = (a: AssetSummary): NonNullable<ScanResult['asset']> => ({
  id: a.id,
  tag: a.tag,
  name: a.name,
  status: a.status,
  serialNumber: a.serialNumber,
  itemId: a.itemId,
  locationId: a.locationId,
});

const lotView = (l: LotSummary): NonNullable<ScanResult['lot']> => ({
  id: l.id,
  code: l.code,
  expiresOn: l.expiresOn,
  manufacturedOn: l.manufacturedOn,
  blocked: l.blocked,
  blockReason: l.blockReason,
  onHand: l.onHand,
});

/** Which registry match decides the kind when several targets answer: an asset, then an item, then a location. */
const TARGET_RANK: Record<string, number> = { [ASSET_TARGET_TYPE]: 0, 'core.item': 1, 'core.location': 2 };

export async function resolveScan(ctx: PluginContext<any>, input: string, now: Date = new Date()): Promise<ScanResult> {
  const value = input.trim();
  if (!value) throw problems.validation([{ field: 'data', message: 'must not be blank' }]);
  const db = readerOf(ctx);
  const inventory = ctx.services.getOptional(inventoryService);
  const assets = ctx.services.getOptional(fixedAssetsService);
  const parsed = readScan(value, utcToday(now));
  const { matches } = await ctx.services.get(identifierService).resolve(value);
  const out: ScanResult = { input: value, parsed, kind: 'unknown', matches };

  const assetOfMatches = async (only?: (m: ResolvedIdentifier) => boolean) => {
    const hit = matches.find((m) => m.target.type === ASSET_TARGET_TYPE && (!only || only(m)));
    return hit && assets ? assets.getAsset(hit.target.id) : null;
  };

  if (parsed) {
    const gtin = element(parsed, '01');
    const lot = element(parsed, '10');
    const expiry = element(parsed, '17');
    const serial = element(parsed, '21');
    if (gtin) {
      const forms = gtinForms(gtin.value);
      const hit = matches.find((m) => m.identifier.type === 'gtin' && m.target.type === 'core.item' && forms.includes(m.identifier.value));
      const item = hit ? await loadItem(db, hit.target.id) : null;
      if (item) {
        out.item = item;
        out.kind = serial ? 'serial' : lot ? 'lot' : 'item';
        if (serial) out.serial = serial.value;
        const known = lot && inventory ? await inventory.findLot(item.id, lot.value) : null;
        if (known) out.lot = lotView(known);
        if (inventory) {
          out.receiptPrefill = {
            itemId: item.id,
            lot: lot?.value ?? null,
            // The scanned expiry wins; a lot received before keeps its own date otherwise.
            expiresOn: expiry?.date ?? known?.expiresOn ?? null,
            ...(serial ? { serials: [serial.value] } : {}),
          };
        }
      }
    }
    const assetKey = element(parsed, '8004') ?? element(parsed, '8003');
    if (out.kind === 'unknown' && assetKey && assets) {
      const asset = (await assets.findByTag(assetKey.value)) ?? (await assetOfMatches((m) => m.identifier.value === assetKey.value));
      if (asset) {
        out.asset = assetView(asset);
        out.kind = 'asset';
      }
    }
  }

  if (out.kind === 'unknown') {
    const best = matches.filter((m) => m.target.type in TARGET_RANK).sort((a, b) => TARGET_RANK[a.target.type] - TARGET_RANK[b.target.type])[0];
    if (best?.target.type === ASSET_TARGET_TYPE) {
      const asset = assets ? await assets.getAsset(best.target.id) : null;
      if (asset) {
        out.asset = assetView(asset);
        out.kind = 'asset';
      }
    } else if (best?.target.type === 'core.item') {
      const item = await loadItem(db, best.target.id);
      if (item) {
        out.item = item;
        out.kind = best.identifier.type === 'serial' ? 'serial' : 'item';
        if (out.kind === 'serial') out.serial = best.identifier.value;
      }
    } else if (best?.target.type === 'core.location') {
      const location = await loadLocation(db, best.target.id);
      if (location) {
        out.location = location;
        out.kind = 'location';
      }
    }
  }

  if (out.kind === 'unknown' && assets) {
    const asset = await assets.findByTag(value);
    if (asset) {
      out.asset = assetView(asset);
      out.kind = 'asset';
    }
  }

  if (out.kind === 'unknown') {
    const location = await locationByCode(db, value);
    if (location) {
      out.location = location;
      out.kind = 'location';
    }
  }
  return out;
}
