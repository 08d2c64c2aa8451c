import Decimal from 'decimal.js';
import type { ScheduleRow } from '../../src/domain/depreciation/index.js';

export const amounts = (rows: ScheduleRow[]): string[] => rows.map((r) => r.amount);
export const total = (rows: ScheduleRow[]): string => rows.reduce((a, r) => a.plus(r.amount), new Decimal(0)).toFixed(2);
export const periods = (rows: ScheduleRow[]): [string, string][] => rows.map((r) => [r.periodStart, r.periodEnd]);
/** Fixed two-place text of a value computed from published figures in a test (independent of the code under test). */
export const cents = (value: Decimal.Value): string => new Decimal(value).toFixed(2);
/** Published figures added up, as text with two places. */
export const added = (...values: Decimal.Value[]): string => values.reduce<Decimal>((a, v) => a.plus(v), new Decimal(0)).toFixed(2);
