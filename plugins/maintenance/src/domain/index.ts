/**
 * The maintenance domain: pure functions and state machines for plans, meters, conditions, work
 * orders and calibration. No I/O, no ORM, no clock (callers pass `today` / `now`).
 */
export * from './types.js';
export * from './dates.js';
export * from './decimal.js';
export * from './cron.js';
export {
  INTERVAL_UNITS,
  OUTSIDE_WINDOW_POLICIES,
  MAX_EVERY,
  MAX_LEAD_DAYS,
  MAX_CATCH_UP,
  SEARCH_HORIZON_DAYS,
  shortestIntervalDays,
  addInterval,
  validateCalendarRule,
  validateCalendarState,
  nextCalendarDue,
  calendarDueDates,
  dueWorkToGenerate,
  cronFiresOn,
  type IntervalUnit,
  type Interval,
  type Recurrence,
  type OutsideWindowPolicy,
  type SeasonalWindow,
  type CalendarRule,
  type CalendarState,
  type CalendarOccurrence,
  type DueOccurrence,
  type CalendarGeneration,
} from './calendar.js';
export * from './meter.js';
export * from './condition.js';
export * from './triggers.js';
export * from './work-order.js';
export * from './calibration.js';
