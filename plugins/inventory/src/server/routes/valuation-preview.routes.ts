import { ProblemError, Type, problems, type PluginApp, type PluginContext, type Static } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { INVENTORY_SYSTEMS, SIMULATION_METHODS, ValuationInputError, simulateValuation, type SimulatedMove } from '../../domain/valuation.js';
import { errorResponses } from './schemas.js';

/** A string enum as one JSON Schema `enum`, so a wrong value gets one readable error ("must be one of: …"). */
const StringEnum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], description });

// Decimal strings in the ledger's numeric(28,10) range; no sign, so negatives fail here with a 400.
const POSITIVE_DECIMAL = '^(?=.*[1-9])\\d{1,18}(\\.\\d{1,10})?$';
const NON_NEGATIVE_DECIMAL = '^\\d{1,18}(\\.\\d{1,10})?$';
const Qty = Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 1e18 }), Type.String({ pattern: POSITIVE_DECIMAL })], {
  description: 'Quantity > 0: a JSON number or a decimal string such as "0.1" (strings avoid binary rounding)',
});
const Cost = Type.Union([Type.Number({ minimum: 0, maximum: 1e18 }), Type.String({ pattern: NON_NEGATIVE_DECIMAL })], {
  description: 'Unit cost ≥ 0: a JSON number or a decimal string',
});

/**
 * One flat object per move, with `if`/`then` per type rather than a union of three objects: a union
 * makes Ajv report every branch's complaints ("type must be equal to constant", "of is required"…)
 * for a single bad field; this way the answer names just the field at fault.
 */
const fieldsOf = (type: SimulatedMove['type'], fields: string[], required: string[]) => ({
  if: { required: ['type'], properties: { type: { const: type } } },
  then: { required, properties: Object.fromEntries(fields.map((f) => [f, true])), additionalProperties: false },
});
const Move = Type.Unsafe<SimulatedMove>(
  Type.Object(
    {
      type: StringEnum(['in', 'out', 'return'] as const, 'in: receipt, out: issue, return: an earlier issue coming back'),
      qty: Qty,
      unitCost: Type.Optional(Type.Union([...Cost.anyOf], { description: 'Receipts only, and required there' })),
      of: Type.Optional(Type.Integer({ minimum: 0, description: 'Returns only, and required there: the index in `moves` of the issue returned' })),
    },
    {
      additionalProperties: false,
      allOf: [fieldsOf('in', ['type', 'qty', 'unitCost'], ['unitCost']), fieldsOf('out', ['type', 'qty'], []), fieldsOf('return', ['type', 'qty', 'of'], ['of'])],
    },
  ),
);

export const ValuationPreviewBody = Type.Object(
  {
    method: StringEnum(SIMULATION_METHODS),
    system: StringEnum(INVENTORY_SYSTEMS, 'weighted-average is periodic only, moving-average perpetual only'),
    allowNegative: Type.Optional(Type.Boolean({ description: 'Let issues exceed the stock; the next receipt values the shortfall' })),
    standardCost: Type.Optional(Cost),
    minorUnits: Type.Optional(Type.Integer({ minimum: 0, maximum: 4, description: "Decimal places of amounts; default the plugin's currencyMinorUnits" })),
    moves: Type.Array(Move, { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);

const Amount = Type.String({ description: 'Amount, fixed decimals' });
const Decimal = Type.String({ description: 'Decimal number as a string' });
export const ValuationPreviewResult = Type.Object({
  issueCosts: Type.Array(Amount, { description: 'Cost of each out move, in order' }),
  totalCogs: Type.String({ description: 'Cost of goods sold net of returns, fixed decimals' }),
  endingQty: Decimal,
  endingValue: Amount,
  valueAfterEachMove: Type.Array(Amount),
  layers: Type.Array(Type.Object({ qty: Decimal, unitCost: Decimal, value: Amount }), { description: 'Cost layers left, oldest first' }),
  unvaluedQty: Type.String({ description: 'Issued quantity not yet covered by a receipt (allowNegative)' }),
  purchasePriceVariance: Type.Optional(Type.String({ description: 'Standard cost only: actual − standard receipt amounts' })),
});

/** What-if valuation of a move sequence; reads and writes nothing. */
export function valuationPreviewRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const defaultMinorUnits: number = ctx.options?.currencyMinorUnits ?? 2;

  app.post(
    '/valuation/preview',
    {
      config: { permission: permissions.valuationRead },
      schema: {
        summary: 'Preview the costs of a move sequence under a valuation method',
        description:
          'Runs receipts, issues and returns of one item through FIFO, LIFO, moving or weighted average, or standard cost (perpetual or periodic) and returns the cost of each issue, the value after each move and the layers left. Nothing is stored.',
        body: ValuationPreviewBody,
        response: { 200: ValuationPreviewResult, ...errorResponses },
      },
    },
    async (req) => {
      const body: Static<typeof ValuationPreviewBody> = req.body;
      try {
        return simulateValuation({ ...body, minorUnits: body.minorUnits ?? defaultMinorUnits });
      } catch (err) {
        if (!(err instanceof ValuationInputError)) throw err;
        // Dotted field paths, like the host's schema errors ("moves.3.qty").
        if (err.moveIndex === null) throw problems.validation([{ field: err.field ?? '(root)', message: err.message }]);
        throw new ProblemError({
          type: 'inventory/invalid-move-sequence',
          status: 422,
          title: 'Invalid move sequence',
          detail: err.message,
          extensions: { moveIndex: err.moveIndex, errors: [{ field: `moves.${err.moveIndex}${err.field ? `.${err.field}` : ''}`, message: err.message }] },
        });
      }
    },
  );
}
