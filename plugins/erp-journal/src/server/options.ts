import { Type, type Static } from '@quartermaster/sdk';

const Rule = Type.Union([Type.Literal('refuse'), Type.Literal('redate')]);

const Auth = Type.Union([
  Type.Object({ type: Type.Literal('bearer'), token: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('basic'), username: Type.String({ minLength: 1 }), password: Type.String() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('header'), name: Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" }), value: Type.String() }, { additionalProperties: false }),
]);

export const ErpTarget = Type.Object(
  {
    /** Where entries are POSTed. */
    url: Type.String({ pattern: '^https?://' }),
    auth: Type.Optional(Auth),
    /** Rename fields of the pushed JSON: `{ "entryDate": "postingDate", "lines.account": "glAccount" }`. */
    fieldMap: Type.Record(Type.String(), Type.String(), { default: {} }),
    /** Entries per request: 1 sends each entry as the body; more sends `{ "entries": [...] }`. */
    batchSize: Type.Integer({ minimum: 1, maximum: 500, default: 1 }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
    /** Field of the ERP's answer holding its document id (per entry in `results` for batches). */
    documentIdField: Type.String({ default: 'id' }),
  },
  { additionalProperties: false },
);

export const ErpJournalOptionsSchema = Type.Object({
  /** Currency of inventory entries (inventory amounts carry none); fixed-asset entries keep the asset's. */
  currency: Type.String({ pattern: '^[A-Z]{3}$', default: 'EUR' }),
  /** Decimals of exported amounts. */
  currencyMinorUnits: Type.Integer({ minimum: 0, maximum: 4, default: 2 }),
  /** The fixed-assets depreciation book whose runs and disposals are booked. */
  fixedAssetsBook: Type.String({ default: 'financial' }),
  /** What happens to a posting of another plugin dated into a closed period, per posting plugin (default refuse). */
  backDatedPostings: Type.Record(Type.String(), Rule, { default: { inventory: 'refuse' } }),
  /** The ERP to push to; without it, periods are exported as files and closed once exported. */
  target: Type.Optional(ErpTarget),
});

export type ErpJournalOptions = Static<typeof ErpJournalOptionsSchema>;
export type ErpTargetOptions = Static<typeof ErpTarget>;
