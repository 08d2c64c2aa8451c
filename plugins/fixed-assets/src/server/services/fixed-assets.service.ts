/** The service other plugins call (`fixedAssetsService` in the shared entry) and the asset tag as an identifier target. */
import type { PluginContext } from '@quartermaster/sdk';
import type { IdentifierTargetResolver } from '@quartermaster/core';
import { ASSET_TARGET_TYPE, type AssetSummary, type FixedAssetsService } from '../../shared/index.js';
import { readerOf } from './db.js';
import { transitionAsset } from './lifecycle.service.js';
import { postCost } from './costs.service.js';
import { createAsset } from './assets.service.js';
import { checkLocation, moveSubtree } from './moves.service.js';
import { recordAuditReads } from './campaigns.service.js';
import { isFinal } from '../../domain/lifecycle.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUMMARY = `SELECT id, tag, name, status, serial_number, item_id, category_id, location_id, parent_id FROM fixed_assets_asset`;
const summary = (r: Record<string, any>): AssetSummary => ({
  id: r.id,
  tag: r.tag,
  name: r.name,
  status: r.status,
  serialNumber: r.serial_number,
  itemId: r.item_id,
  categoryId: r.category_id,
  locationId: r.location_id,
  parentId: r.parent_id,
});

export function createFixedAssetsService(ctx: PluginContext<any>): FixedAssetsService {
  const db = readerOf(ctx);
  const getAsset = async (id: string) => (UUID.test(id) ? (await db.execute<Record<string, any>>(`${SUMMARY} WHERE id = $1`, [id])).map(summary)[0] ?? null : null);
  return {
    getAsset,
    async findByTag(tag) {
      return (await db.execute<Record<string, any>>(`${SUMMARY} WHERE tag = $1`, [tag.trim()])).map(summary)[0] ?? null;
    },
    async setStatus(actor, assetId, status, options) {
      await ctx.transaction(actor, (tx) => transitionAsset(tx, assetId, status, options?.reason?.trim() || null));
      return (await getAsset(assetId))!;
    },
    async setStatusIn(tx, assetId, status, options) {
      return ctx.joinTransaction(tx, async (own) => {
        await transitionAsset(own, assetId, status, options?.reason?.trim() || null);
        return (await own.execute<Record<string, any>>(`${SUMMARY} WHERE id = $1`, [assetId])).map(summary)[0];
      });
    },
    async registerAsset(tx, input) {
      return ctx.joinTransaction(tx, async (own) => {
        const id = await createAsset(own, input, ctx.options);
        return (await own.execute<Record<string, any>>(`${SUMMARY} WHERE id = $1`, [id])).map(summary)[0];
      });
    },
    async relocateIn(tx, assetId, locationId, options) {
      return ctx.joinTransaction(tx, async (own) => {
        const [a] = await own.execute<{ status: string; parent_id: string | null; location_id: string | null }>(`SELECT status, parent_id, location_id FROM fixed_assets_asset WHERE id = $1 FOR UPDATE`, [assetId]);
        if (!a) return { moved: false, skipped: 'unknown-asset' as const, movedIds: [] };
        if (isFinal(a.status as never)) return { moved: false, skipped: 'final' as const, movedIds: [] };
        if (a.parent_id) return { moved: false, skipped: 'component' as const, movedIds: [] };
        if (a.location_id === locationId) return { moved: false, movedIds: [] };
        await checkLocation(own, locationId);
        const movedIds = await moveSubtree(own, assetId, locationId, options.reason);
        return { moved: movedIds.length > 0, movedIds };
      });
    },
    async recordAuditReads(tx, input) {
      return ctx.joinTransaction(tx, (own) => recordAuditReads(ctx, own, input));
    },
    async postCost(tx, input) {
      // Our part of the caller's transaction: the entry, its audit record and its event commit with the caller's work.
      const { entry, created } = await ctx.joinTransaction(tx, (own) => postCost(own, input, { minorUnits: ctx.options.currencyMinorUnits, manual: false }));
      return { ...entry, created };
    },
  };
}

/** Lets the core label and link identifiers that point at assets (`GET /api/core/identifiers/resolve`). */
export function assetTagTarget(context: () => PluginContext<any> | undefined): IdentifierTargetResolver {
  return {
    targetType: ASSET_TARGET_TYPE,
    async describe(ids) {
      const ctx = context();
      const out = new Map<string, { label: string; href: string }>();
      if (!ctx || !ids.length) return out;
      const rows = await readerOf(ctx).execute<{ id: string; tag: string; name: string }>(`SELECT id, tag, name FROM fixed_assets_asset WHERE id = ANY($1::uuid[])`, [ids]);
      for (const r of rows) out.set(r.id, { label: `${r.tag} · ${r.name}`, href: `/fixed-assets/assets/${r.id}` });
      return out;
    },
  };
}
