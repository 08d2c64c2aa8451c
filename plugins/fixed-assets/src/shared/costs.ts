/**
 * The cost-of-ownership ledger's public contract: the event other plugins may subscribe to, and
 * what `fixedAssetsService.postCost` takes and answers.
 */
import { Type, defineEvent, type Static } from '@quartermaster/sdk';
import { COST_KINDS, type CostKind } from './constants.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/**
 * A cost was recorded against an asset. Goes out once per entry after the entry is committed: at
 * once for entries made through the API, shortly after commit for entries another plugin posted
 * inside its own transaction.
 */
export const AssetCostPosted = defineEvent(
  'fixed-assets.asset.cost-posted',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    tag: Type.String(),
    costId: Type.String({ format: 'uuid' }),
    kind: Type.Union(COST_KINDS.map((k) => Type.Literal(k))),
    amount: Type.String({ description: 'decimal number as a string' }),
    currency: Type.String(),
    incurredOn: Type.String({ format: 'date' }),
    source: Type.String(),
    sourceRef: Nullable(Type.String()),
    description: Nullable(Type.String()),
  }),
);
export type AssetCostPostedPayload = Static<typeof AssetCostPosted.schema>;

/** What a plugin posts: one cost of one asset. */
export interface PostCostInput {
  assetId: string;
  /** The day the cost arose, YYYY-MM-DD. */
  incurredOn: string;
  kind: CostKind;
  /** Decimal string ("149.90") or a JS number; ≥ 0, at most the currency's decimals. */
  amount: string | number;
  /** ISO 4217; must be the asset's currency (the default). */
  currency?: string;
  /**
   * The posting plugin's id (`maintenance`). The service cannot see who calls it, so the caller
   * names itself; `manual` is kept for entries made by hand.
   */
  source: string;
  /** The poster's own reference (a work order line): posting it again with the same reference posts nothing new. */
  sourceRef: string;
  description?: string | null;
}

/** One entry of the ledger. Amounts are decimal strings with the currency's decimals. */
export interface CostEntry {
  id: string;
  assetId: string;
  incurredOn: string;
  kind: CostKind;
  amount: string;
  currency: string;
  source: string;
  sourceRef: string | null;
  description: string | null;
  createdAt: string;
  createdBy: string;
}
