/**
 * Gain or loss on disposal: proceeds less costs of disposal, against the net book value at the
 * disposal date (cost − accumulated depreciation, including the disposal period's partial
 * depreciation from depreciationUpTo). Positive is a gain, negative a loss.
 */
import { DEFAULT_MINOR_UNITS, type DecimalInput, amountText, dec, tryDec } from '../money.js';
import { DepreciationInputError, type InputProblem } from './types.js';

export interface DisposalInput {
  cost: DecimalInput;
  /** Accumulated depreciation (and impairment) up to the disposal date. */
  accumulated: DecimalInput;
  proceeds: DecimalInput;
  costsOfDisposal?: DecimalInput;
  minorUnits?: number;
}

export interface DisposalResult {
  netBookValue: string;
  /** Proceeds less costs of disposal. */
  netProceeds: string;
  /** Net proceeds − net book value: positive a gain, negative a loss. */
  gainOrLoss: string;
}

export function disposalGainLoss(input: DisposalInput): DisposalResult {
  const problems: InputProblem[] = [];
  for (const field of ['cost', 'accumulated', 'proceeds', 'costsOfDisposal'] as const) {
    const value = input[field];
    if (value === undefined && field === 'costsOfDisposal') continue;
    const parsed = tryDec(value);
    if (!parsed) problems.push({ field, message: 'must be a decimal number' });
    else if (parsed.isNegative()) problems.push({ field, message: 'must not be negative' });
  }
  if (problems.length) throw new DepreciationInputError(problems);
  const minorUnits = input.minorUnits ?? DEFAULT_MINOR_UNITS;
  const netBookValue = dec(input.cost).minus(dec(input.accumulated));
  const netProceeds = dec(input.proceeds).minus(dec(input.costsOfDisposal ?? 0));
  return {
    netBookValue: amountText(netBookValue, minorUnits),
    netProceeds: amountText(netProceeds, minorUnits),
    gainOrLoss: amountText(netProceeds.minus(netBookValue), minorUnits),
  };
}
