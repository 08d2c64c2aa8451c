/**
 * Prospective changes (IAS 8 / ASC 250: a change in estimate is applied from then on, never
 * restated): after a revaluation or an impairment, or when the useful life or the salvage value is
 * re-estimated, the carrying amount at the change date less the (revised) salvage is spread over the
 * remaining life with the same method, starting on that date.
 *
 * The restart is exact, not averaged: when the change date is the first day of a fiscal month the
 * remaining life counts whole months from that month (full-month convention); otherwise it counts
 * days from the date (actual-days). MACRS is not re-based this way: tax basis is not revalued or
 * impaired, so it is rejected.
 */
import { D, type DecimalInput, dec, min, tryDec } from '../money.js';
import { parseFiscalYearStart, parseIsoDate } from './fiscal-calendar.js';
import { depreciationSchedule } from './schedule.js';
import { type DepreciationInput, DepreciationInputError, type DepreciationMethod, type InputProblem, type PeriodFrequency, type ScheduleRow } from './types.js';
import { validateDepreciationInput } from './validation.js';

export interface RemainingScheduleInput {
  method: DepreciationMethod;
  /** Net book value at the start of fromDate (after the revaluation or impairment, if any). */
  carryingAmount: DecimalInput;
  /** Salvage value from now on; default 0. */
  salvageValue?: DecimalInput;
  /** Life left from fromDate, in years (may be fractional, e.g. 3.5); not for units of production. */
  remainingLifeYears?: DecimalInput;
  /** First day the new schedule applies, YYYY-MM-DD. */
  fromDate: string;
  /**
   * Declining balance only: the life the annual rate is based on (2 / usefulLifeYears for double
   * declining). Default: the remaining life. Ignored when an explicit rate is given.
   */
  usefulLifeYears?: DecimalInput;
  factor?: DecimalInput;
  rate?: DecimalInput;
  switchToStraightLine?: boolean;
  fiscalYearStart?: string;
  periodFrequency?: PeriodFrequency;
  /** Units of production: units still expected from fromDate on. */
  totalUnits?: DecimalInput;
  unitsByPeriod?: DecimalInput[];
  minorUnits?: number;
}

const RENAMED: Record<string, string> = { cost: 'carryingAmount', usefulLifeYears: 'remainingLifeYears', placedInService: 'fromDate' };
const rename = (problems: InputProblem[]): InputProblem[] => problems.map((p) => ({ ...p, field: RENAMED[p.field] ?? p.field }));

/** The annual rate for a declining-balance restart, when it is not the one derived from the remaining life. */
function restartRate(input: RemainingScheduleInput): DecimalInput | undefined {
  if (input.rate !== undefined) return input.rate;
  if (input.usefulLifeYears === undefined) return undefined;
  const factor = input.method === 'double-declining-balance' ? new D(2) : input.method === '150-declining-balance' ? new D(1.5) : input.factor === undefined ? undefined : dec(input.factor);
  // Without a factor, 'declining-balance' derives Excel DB's rate from what is left (see declining-balance.ts).
  return factor ? min(factor.div(dec(input.usefulLifeYears)), new D(1)) : undefined;
}

/** The schedule from fromDate on (periods numbered from 1 again); throws DepreciationInputError on invalid input. */
export function remainingSchedule(input: RemainingScheduleInput): ScheduleRow[] {
  return depreciationSchedule(restartInput(input));
}

/**
 * The depreciation input of a restart: the carrying amount as the cost, fromDate as the date placed
 * in service (full-month from a fiscal month's first day, else actual days). Validated: throws
 * DepreciationInputError naming the restart's fields. adjusted-schedule.ts composes these.
 */
export function restartInput(input: RemainingScheduleInput): DepreciationInput {
  const problems: InputProblem[] = [];
  if (input.method === 'macrs') problems.push({ field: 'method', message: 'MACRS schedules are not re-based; the tax basis is not revalued or impaired' });
  if (input.usefulLifeYears !== undefined) {
    const life = tryDec(input.usefulLifeYears);
    if (!life || !life.gt(0)) problems.push({ field: 'usefulLifeYears', message: 'must be a decimal number greater than 0' });
  }
  if (problems.length) throw new DepreciationInputError(problems);

  const fromDate = parseIsoDate(input.fromDate);
  const fiscalStart = parseFiscalYearStart(input.fiscalYearStart ?? '01-01');
  const rate = restartRate(input);
  const declining = input.method === 'declining-balance' || input.method === 'double-declining-balance' || input.method === '150-declining-balance';
  const mapped: DepreciationInput = {
    method: declining && rate !== undefined ? 'declining-balance' : input.method,
    cost: input.carryingAmount,
    salvageValue: input.salvageValue,
    usefulLifeYears: input.remainingLifeYears,
    rate: declining ? rate : input.rate,
    factor: declining && rate !== undefined ? undefined : input.factor,
    switchToStraightLine: input.switchToStraightLine,
    convention: fromDate && fiscalStart && fromDate.day === fiscalStart.day ? 'full-month' : 'actual-days',
    placedInService: input.fromDate,
    fiscalYearStart: input.fiscalYearStart,
    periodFrequency: input.periodFrequency,
    totalUnits: input.totalUnits,
    unitsByPeriod: input.unitsByPeriod,
    minorUnits: input.minorUnits,
  };
  const mappedProblems = validateDepreciationInput(mapped);
  if (mappedProblems.length) throw new DepreciationInputError(rename(mappedProblems));
  return mapped;
}
