/** The depreciation domain of the fixed-assets plugin: pure functions, decimal amounts, no I/O. */
export {
  CONVENTIONS,
  DEPRECIATION_METHODS,
  MACRS_RECOVERY_PERIODS,
  PERIOD_FREQUENCIES,
  DepreciationInputError,
  type Convention,
  type DepreciationInput,
  type DepreciationMethod,
  type InputProblem,
  type MacrsConvention,
  type MacrsRecoveryPeriod,
  type PeriodFrequency,
  type ScheduleRow,
} from './types.js';
export { depreciationSchedule, depreciationUpTo, scheduledAccumulatedAt, type DepreciationToDate } from './schedule.js';
export { validateDepreciationInput, MAX_USEFUL_LIFE_YEARS, MAX_UNIT_PERIODS } from './validation.js';
export { remainingSchedule, type RemainingScheduleInput } from './prospective.js';
export { disposalGainLoss, type DisposalInput, type DisposalResult } from './disposal.js';
export { macrsConvention, macrsPercentages, type MacrsPlacement } from './macrs.js';
export { fixedDecliningBalanceRate } from './declining-balance.js';
export {
  TABLE_A1_HALF_YEAR,
  TABLE_A2_MID_QUARTER_Q1,
  TABLE_A3_MID_QUARTER_Q2,
  TABLE_A4_MID_QUARTER_Q3,
  TABLE_A5_MID_QUARTER_Q4,
} from './macrs-tables.js';
export { usefulLifeLeft } from './schedule.js';
export {
  ADJUSTMENT_KINDS,
  adjustedDepreciationUpTo,
  adjustedSchedule,
  adjustmentBasis,
  scheduleSegments,
  type AdjustmentBasis,
  type AdjustmentKind,
  type ScheduleAdjustment,
  type ScheduleSegment,
} from './adjusted-schedule.js';
