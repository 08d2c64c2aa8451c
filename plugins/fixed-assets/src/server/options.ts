import { Type, type Static } from '@quartermaster/sdk';
import { DEFAULT_TAG_PATTERN } from '../shared/index.js';

export const FixedAssetsOptionsSchema = Type.Object({
  /** Tag pattern of assets whose category sets none (domain/asset-tag.ts). */
  tagPattern: Type.String({ minLength: 1, maxLength: 64, default: DEFAULT_TAG_PATTERN }),
  /** ISO 4217 currency of acquisition costs that name none. */
  defaultCurrency: Type.String({ pattern: '^[A-Z]{3}$', default: 'EUR' }),
  /** Decimal places of the currency's minor unit: amounts with more are refused, amounts out carry exactly this many. */
  currencyMinorUnits: Type.Integer({ minimum: 0, maximum: 4, default: 2 }),
  /** How often overdue custodies are announced, in seconds; 0 turns the timer off (reads still sweep). */
  overdueSweepSeconds: Type.Integer({ minimum: 0, default: 300 }),
  /** Largest document or photo stored with an asset, in bytes (the request limit of 2 MiB holds it base64-encoded). */
  maxDocumentBytes: Type.Integer({ minimum: 1, maximum: 1_572_864, default: 1_048_576 }),
  /** Longest booking, in days. */
  maxBookingDays: Type.Integer({ minimum: 1, maximum: 3660, default: 366 }),
  /** General-ledger accounts of categories that set none (and whose ancestors set none). */
  accounts: Type.Object(
    {
      assetAccount: Type.String({ minLength: 1, default: '1500' }),
      accumulatedAccount: Type.String({ minLength: 1, default: '1590' }),
      expenseAccount: Type.String({ minLength: 1, default: '6800' }),
      gainAccount: Type.String({ minLength: 1, default: '7100' }),
      lossAccount: Type.String({ minLength: 1, default: '6900' }),
      proceedsAccount: Type.String({ minLength: 1, default: '1200' }),
      /** Equity (other comprehensive income): upward revaluations, IAS 16 ¶39. */
      revaluationSurplusAccount: Type.String({ minLength: 1, default: '3200' }),
      /** Profit or loss: impairment losses, IAS 36 ¶60. */
      impairmentLossAccount: Type.String({ minLength: 1, default: '6950' }),
    },
    {
      default: {
        assetAccount: '1500',
        accumulatedAccount: '1590',
        expenseAccount: '6800',
        gainAccount: '7100',
        lossAccount: '6900',
        proceedsAccount: '1200',
        revaluationSurplusAccount: '3200',
        impairmentLossAccount: '6950',
      },
    },
  ),
  /** Assets posted per transaction by a depreciation run (progress moves in these steps). */
  runBatchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
  /** Rows per transaction of a CSV import, when checking and when writing (progress moves in these steps). */
  importBatchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
  /** CSV imports of up to this many rows finish inside the request; larger ones run in the background. */
  importSyncMaxRows: Type.Integer({ minimum: 0, maximum: 100_000, default: 2000 }),
});

export type FixedAssetsOptions = Static<typeof FixedAssetsOptionsSchema>;
