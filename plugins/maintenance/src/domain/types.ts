/** Shapes shared by the domain modules. */

/** One input problem, naming the field as the client sent it (`recurrence.every`, `windows[1].from`). */
export interface Issue {
  field: string;
  message: string;
}

/**
 * `fixed`: due dates (or meter values) are start + k·interval whatever happened, so a late
 * completion does not move the next one. `floating`: the next one is the last completion +
 * interval, so the interval between two jobs is always kept.
 */
export const SCHEDULE_MODES = ['fixed', 'floating'] as const;
export type ScheduleMode = (typeof SCHEDULE_MODES)[number];

export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const given = (value: unknown): boolean => value !== undefined && value !== null;
export const isIntegerIn = (value: unknown, min: number, max: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
