import { ProblemError, Type, problems, type FieldError, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { D, amountText, dec, type Dec } from '../../domain/money.js';
import { ReplenishmentInputError, economicOrderQuantity, reorderPoint, safetyStock, zForServiceLevel } from '../../domain/replenishment.js';
import { DecimalOut, errorResponses } from './schemas.js';

/**
 * Display precision of the preview. Quantities (EOQ, safety stock, reorder point) are rounded
 * half-even to 4 places — finer than any unit anyone orders in, coarse enough to read; z to 6;
 * the annual cost to the currency's minor unit (option currencyMinorUnits, default 2). Everything
 * is computed unrounded first, so the reorder point does not inherit the safety stock's rounding.
 */
const QTY_PLACES = 4;
const Z_PLACES = 6;

/** Same form as schemas.ts DecimalIn (a JSON number or a plain decimal string), plus a length cap and a description for the OpenAPI document. */
const DecimalField = (description: string) =>
  Type.Union([Type.Number(), Type.String({ pattern: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$', maxLength: 60 })], { description });

const PreviewBody = Type.Object(
  {
    annualDemand: DecimalField('Units demanded per year (D).'),
    orderCost: DecimalField('Cost of placing one order (S).'),
    holdingCostPerUnitYear: DecimalField('Cost of holding one unit for a year (H).'),
    demandStdDevPerPeriod: Type.Optional(DecimalField('Standard deviation of demand per period (σd); with leadTimePeriods and serviceLevel or z, gives the safety stock.')),
    leadTimePeriods: Type.Optional(DecimalField('Average lead time in the same periods (L).')),
    leadTimeStdDevPeriods: Type.Optional(DecimalField('Standard deviation of the lead time in periods (σL); needs demandPerPeriod.')),
    serviceLevel: Type.Optional(DecimalField('Cycle service level as a fraction, 0 < p < 1 (0.95, not 95). Give this or z.')),
    z: Type.Optional(DecimalField('Safety factor z, instead of serviceLevel.')),
    demandPerPeriod: Type.Optional(DecimalField('Average demand per period (d); with the safety stock inputs, gives the reorder point d·L + SS.')),
  },
  { additionalProperties: false },
);

const PreviewOut = Type.Object({
  eoq: DecimalOut,
  annualCostAtEoq: DecimalOut,
  z: Type.Optional(DecimalOut),
  safetyStock: Type.Optional(DecimalOut),
  reorderPoint: Type.Optional(DecimalOut),
});

const SAFETY_INPUTS = ['demandStdDevPerPeriod', 'leadTimePeriods', 'leadTimeStdDevPeriods', 'serviceLevel', 'z', 'demandPerPeriod'] as const;

/**
 * Inputs that cannot be used as given are refused (400) rather than silently ignored: both z
 * and serviceLevel, or part of the safety-stock inputs without the rest.
 */
function shapeErrors(b: Record<string, unknown>): FieldError[] {
  const has = (k: string) => b[k] !== undefined;
  const errors: FieldError[] = [];
  // JSON may carry 1e999, which parses to Infinity and passes the number schema.
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number' && !Number.isFinite(v)) errors.push({ field: k, message: 'must be a finite number' });
  if (has('serviceLevel') && has('z')) errors.push({ field: 'z', message: 'give either serviceLevel or z, not both' });
  if (SAFETY_INPUTS.some(has)) {
    if (!has('demandStdDevPerPeriod')) errors.push({ field: 'demandStdDevPerPeriod', message: 'is required for safety stock' });
    if (!has('leadTimePeriods')) errors.push({ field: 'leadTimePeriods', message: 'is required for safety stock' });
    if (!has('serviceLevel') && !has('z')) errors.push({ field: 'serviceLevel', message: 'or z is required for safety stock' });
  }
  if (has('leadTimeStdDevPeriods') && !has('demandPerPeriod')) errors.push({ field: 'demandPerPeriod', message: 'is required with leadTimeStdDevPeriods' });
  return errors;
}

const invalidInput = (e: ReplenishmentInputError) =>
  new ProblemError({
    type: 'inventory/invalid-replenishment-input',
    status: 422,
    title: 'Invalid replenishment input',
    detail: `${e.field}: ${e.message}`,
    extensions: { errors: [{ field: e.field, message: e.message }] },
  });

/** Fixed-point text without trailing zeros, never "-0". */
const text = (v: Dec, places: number) => {
  const s = v.toDecimalPlaces(places, D.ROUND_HALF_EVEN).toFixed();
  return s === '-0' ? '0' : s;
};
const qty = (v: Dec) => text(v, QTY_PLACES);

export function replenishmentPreviewRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const minorUnits: number = ctx.options?.currencyMinorUnits ?? 2;

  app.post(
    '/replenishment/preview',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Preview EOQ, safety stock and reorder point',
        description:
          'A calculator: nothing is read or written. EOQ = √(2DS/H) with its annual ordering plus holding cost. With demandStdDevPerPeriod, leadTimePeriods and serviceLevel (or z) it adds the safety stock z·σd·√L — or z·√(L·σd² + d²·σL²) with leadTimeStdDevPeriods — and with demandPerPeriod too the reorder point d·L + SS. Quantities are rounded half-even to 4 decimal places, z to 6, the cost to the currency\'s minor unit. Inputs that make no sense (zero holding cost, a service level outside (0, 1), negative demand) answer 422 inventory/invalid-replenishment-input naming the field.',
        body: PreviewBody,
        response: { 200: PreviewOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const errors = shapeErrors(b);
      if (errors.length) throw problems.validation(errors);
      try {
        const eoq = economicOrderQuantity(b);
        const out: { eoq: string; annualCostAtEoq: string; z?: string; safetyStock?: string; reorderPoint?: string } = {
          eoq: qty(eoq.eoq),
          annualCostAtEoq: amountText(eoq.annualCost, minorUnits),
        };
        if (b.demandStdDevPerPeriod !== undefined && b.leadTimePeriods !== undefined) {
          const z = b.z !== undefined ? dec(b.z) : zForServiceLevel(b.serviceLevel!);
          const ss = safetyStock({
            z,
            demandStdDevPerPeriod: b.demandStdDevPerPeriod,
            leadTimePeriods: b.leadTimePeriods,
            leadTimeStdDevPeriods: b.leadTimeStdDevPeriods,
            demandPerPeriod: b.demandPerPeriod,
          });
          out.z = text(z, Z_PLACES);
          out.safetyStock = qty(ss);
          if (b.demandPerPeriod !== undefined) out.reorderPoint = qty(reorderPoint({ demandPerPeriod: b.demandPerPeriod, leadTimePeriods: b.leadTimePeriods, safetyStock: ss }));
        }
        return out;
      } catch (err) {
        if (err instanceof ReplenishmentInputError) throw invalidInput(err);
        throw err;
      }
    },
  );
}
