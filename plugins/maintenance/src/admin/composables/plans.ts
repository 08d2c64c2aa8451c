/**
 * The plan editor's trigger forms and the plan list's trigger summaries: the built-in trigger
 * kinds' configs (calendar, meter, condition — see `domain/calendar.ts`, `domain/meter.ts`,
 * `domain/condition.ts`) as flat form models a page can bind, converted to and from the
 * `triggerConfig` the API takes. Fields the person leaves empty are left out, so the kind's own
 * defaults apply; whatever is typed goes to the server as typed, so the server's checks (which name
 * the field, e.g. `triggerConfig.recurrence.every`) decide and mark the field.
 */
import { decimalText } from './format';
import type { CalendarTriggerConfig, ConditionRuleKind, ConditionTriggerConfig, IntervalUnit, MeterTriggerConfig, ScheduleMode } from '../types';

export const BUILTIN_TRIGGER_KINDS = ['calendar', 'meter', 'condition'] as const;
export type BuiltinTriggerKind = (typeof BUILTIN_TRIGGER_KINDS)[number];
export const isBuiltinKind = (k: string): k is BuiltinTriggerKind => (BUILTIN_TRIGGER_KINDS as readonly string[]).includes(k);

export interface CalendarForm {
  recurrenceType: 'interval' | 'cron';
  /** Text as typed (a whole number). */
  every: string;
  unit: IntervalUnit;
  expression: string;
  mode: ScheduleMode;
  /** `YYYY-MM-DD` or '' (the day the plan first applies). */
  startOn: string;
  leadDays: string;
  windows: { from: string; to: string }[];
  outsideWindow: 'skip' | 'next-window-start';
}

export interface MeterForm {
  meter: string;
  every: string;
  mode: ScheduleMode;
  startTotal: string;
  leadUnits: string;
}

export interface ConditionForm {
  point: string;
  kind: ConditionRuleKind;
  threshold: string;
  reset: string;
  low: string;
  high: string;
  hysteresis: string;
  maxPerHour: string;
  resetPerHour: string;
  consecutive: string;
}

export const blankCalendar = (): CalendarForm => ({
  recurrenceType: 'interval',
  every: '1',
  unit: 'month',
  expression: '',
  mode: 'fixed',
  startOn: '',
  leadDays: '',
  windows: [],
  outsideWindow: 'skip',
});
export const blankMeter = (): MeterForm => ({ meter: '', every: '', mode: 'fixed', startTotal: '', leadUnits: '' });
export const blankCondition = (): ConditionForm => ({
  point: '',
  kind: 'above',
  threshold: '',
  reset: '',
  low: '',
  high: '',
  hysteresis: '',
  maxPerHour: '',
  resetPerHour: '',
  consecutive: '',
});

/** A whole number as typed, as a number; anything else as typed (the server names the problem). */
function whole(s: string): number | string {
  const t = s.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : t;
}
/** A decimal as typed, as the API's decimal text (a decimal comma becomes a point); else as typed. */
const decimal = (s: string): string => decimalText(s) ?? s.trim();
const given = (s: string) => s.trim() !== '';

export function calendarConfig(f: CalendarForm): CalendarTriggerConfig {
  const c: CalendarTriggerConfig = {
    recurrence: f.recurrenceType === 'cron' ? { type: 'cron', expression: f.expression.trim() } : { type: 'interval', every: whole(f.every) as number, unit: f.unit },
    mode: f.mode,
  };
  if (f.startOn) c.startOn = f.startOn;
  if (given(f.leadDays)) c.leadDays = whole(f.leadDays) as number;
  if (f.windows.length) {
    c.windows = f.windows.map((w) => ({ from: w.from.trim(), to: w.to.trim() }));
    c.outsideWindow = f.outsideWindow;
  }
  return c;
}

export function meterConfig(f: MeterForm): MeterTriggerConfig {
  const c: MeterTriggerConfig = { meter: f.meter.trim(), every: decimal(f.every), mode: f.mode };
  if (given(f.startTotal)) c.startTotal = decimal(f.startTotal);
  if (given(f.leadUnits)) c.leadUnits = decimal(f.leadUnits);
  return c;
}

export function conditionConfig(f: ConditionForm): ConditionTriggerConfig {
  const c: ConditionTriggerConfig = { point: f.point.trim(), kind: f.kind };
  const put = (key: 'threshold' | 'reset' | 'low' | 'high' | 'hysteresis' | 'maxPerHour' | 'resetPerHour', v: string) => {
    if (given(v)) c[key] = decimal(v);
  };
  if (f.kind === 'above' || f.kind === 'below') {
    put('threshold', f.threshold);
    put('reset', f.reset);
  } else if (f.kind === 'outside') {
    put('low', f.low);
    put('high', f.high);
    put('hysteresis', f.hysteresis);
  } else {
    put('maxPerHour', f.maxPerHour);
    put('resetPerHour', f.resetPerHour);
  }
  if (given(f.consecutive)) c.consecutive = whole(f.consecutive) as number;
  return c;
}

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function calendarForm(config: Record<string, unknown>): CalendarForm {
  const f = blankCalendar();
  const r = rec(config.recurrence);
  if (r.type === 'cron') {
    f.recurrenceType = 'cron';
    f.expression = s(r.expression);
  } else {
    f.every = s(r.every) || '1';
    if (typeof r.unit === 'string') f.unit = r.unit as IntervalUnit;
  }
  if (config.mode === 'floating') f.mode = 'floating';
  f.startOn = s(config.startOn);
  f.leadDays = s(config.leadDays);
  f.windows = Array.isArray(config.windows) ? config.windows.map((w) => ({ from: s(rec(w).from), to: s(rec(w).to) })) : [];
  if (config.outsideWindow === 'next-window-start') f.outsideWindow = 'next-window-start';
  return f;
}

export function meterForm(config: Record<string, unknown>): MeterForm {
  return { meter: s(config.meter), every: s(config.every), mode: config.mode === 'floating' ? 'floating' : 'fixed', startTotal: s(config.startTotal), leadUnits: s(config.leadUnits) };
}

export function conditionForm(config: Record<string, unknown>): ConditionForm {
  const f = blankCondition();
  f.point = s(config.point);
  if (config.kind === 'below' || config.kind === 'outside' || config.kind === 'rate-of-change') f.kind = config.kind;
  for (const k of ['threshold', 'reset', 'low', 'high', 'hysteresis', 'maxPerHour', 'resetPerHour', 'consecutive'] as const) f[k] = s(config[k]);
  return f;
}

const UNIT_WORDS: Record<string, [string, string]> = { day: ['day', 'days'], week: ['week', 'weeks'], month: ['month', 'months'], year: ['year', 'years'] };

/** A plan's trigger in a few words: "Every 3 months · fixed", "Every 250 h of hours · floating", "temp above 80 (reset 75)". */
export function describeTrigger(kind: string, config: Record<string, unknown>, unit?: string | null): string {
  if (kind === 'calendar') {
    const r = rec(config.recurrence);
    const what =
      r.type === 'cron'
        ? `Cron ${s(r.expression)}`
        : (() => {
            const n = Number(r.every);
            const [one, many] = UNIT_WORDS[s(r.unit)] ?? [s(r.unit), s(r.unit)];
            return n === 1 ? `Every ${one}` : `Every ${s(r.every)} ${many}`;
          })();
    const extra = [s(config.mode) || 'fixed'];
    if (Number(config.leadDays) > 0) extra.push(`${s(config.leadDays)} d ahead`);
    if (Array.isArray(config.windows) && config.windows.length) extra.push('seasonal');
    return `${what} · ${extra.join(' · ')}`;
  }
  if (kind === 'meter') return `Every ${s(config.every)}${unit ? ` ${unit}` : ''} of ${s(config.meter)} · ${s(config.mode) || 'fixed'}`;
  if (kind === 'condition') {
    const p = s(config.point);
    const n = Number(config.consecutive) > 1 ? ` × ${s(config.consecutive)} in a row` : '';
    switch (config.kind) {
      case 'above':
      case 'below':
        return `${p} ${s(config.kind)} ${s(config.threshold)}${given(s(config.reset)) ? ` (reset ${s(config.reset)})` : ''}${n}`;
      case 'outside':
        return `${p} outside ${s(config.low)}–${s(config.high)}${given(s(config.hysteresis)) ? ` (± ${s(config.hysteresis)})` : ''}${n}`;
      case 'rate-of-change':
        return `${p} changing > ${s(config.maxPerHour)}/h${n}`;
      default:
        return p;
    }
  }
  return kind;
}
