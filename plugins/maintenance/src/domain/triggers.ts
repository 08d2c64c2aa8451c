/**
 * Trigger kinds: what makes a maintenance plan generate work orders. The built-in kinds are
 * calendar, meter and condition; other plugins add kinds through the maintenance trigger-kind
 * extension point by implementing `TriggerKind`.
 *
 * A kind is a pure step function. The server keeps, per plan × asset, the plan's `config` and a
 * small JSON `state`; on each evaluation (the daily run, a new meter total, new gauge readings) it
 * calls `due(config, state, input)` and, in one transaction, inserts the returned work (unique on
 * plan × asset × `dueKey`, so a repeated evaluation inserts nothing new) and stores the returned
 * state.
 *
 * Note: `due` returns the next state along with the work (`{ work, state }`), not the work alone:
 * condition kinds are state machines, and for the others the state after generation (the last
 * generated due date or total) is best computed by the kind that defines it.
 */
import {
  type CalendarRule,
  type CalendarState,
  SEARCH_HORIZON_DAYS,
  calendarDueDates,
  dueWorkToGenerate,
  validateCalendarRule,
} from './calendar.js';
import { type ConditionReading, type ConditionRule, type ConditionState, evaluateCondition, initialConditionState, validateConditionRule } from './condition.js';
import { addDays, parseInstant, utcDateOf } from './dates.js';
import { dec, decText } from './decimal.js';
import { type MeterPlanState, type MeterRule, meterDueReached, nextMeterDue, validateMeterRule } from './meter.js';
import { type Issue, isRecord } from './types.js';

/** One work order a trigger wants to exist. */
export interface DueWork {
  /**
   * Identifies the due occurrence, the same every time it is computed: `2026-05-01` (calendar),
   * `meter:1250` (meter), `condition:2026-05-01T10:00:00Z` (condition). Stored unique per plan × asset.
   */
  dueKey: string;
  /** The due date, when the occurrence has one. */
  dueOn: string | null;
  /** Meter triggers: the due meter total (decimal string). */
  dueMeterValue?: string;
  /** Why the work order exists, as a sentence for the work order's history. */
  generateReason: string;
}

export interface TriggerInput {
  /** The evaluation day, `YYYY-MM-DD`. */
  today: string;
  /** Current cumulative totals (accepted usage) of the asset's meters, by point code. */
  meterTotals?: Readonly<Record<string, string>>;
  /** Gauge readings not yet evaluated, by point code, in any order. */
  readings?: Readonly<Record<string, readonly ConditionReading[]>>;
}

export interface TriggerResult<State> {
  work: DueWork[];
  /** The state to store (the same object when nothing changed). */
  state: State;
}

export interface TriggerKind<Config, State> {
  /** Unique id: `calendar`, `meter`, `condition`; other plugins prefix theirs (`acme.oil-analysis`). */
  kind: string;
  /** Shown in the plan editor. */
  title: string;
  /** Every problem of a plan's config at once (empty when usable). */
  validate(config: unknown): Issue[];
  /** The state of a new plan × asset pairing. */
  initialState(config: Config, today: string): State;
  /** The work to generate now, and the state after generating it. Pure. */
  due(config: Config, state: State, input: TriggerInput): TriggerResult<State>;
  /** The next due occurrences from `from` for the plan editor (dates, or for meters due totals). */
  preview?(config: Config, state: State, from: string, limit: number): string[];
}

export type AnyTriggerKind = TriggerKind<any, any>;

// ---------------------------------------------------------------------------------------------
// Calendar

function describeRecurrence(rule: CalendarRule): string {
  const r = rule.recurrence;
  if (r.type === 'cron') return `cron ${r.expression}`;
  return r.every === 1 ? `every ${r.unit}` : `every ${r.every} ${r.unit}s`;
}

export const calendarTrigger: TriggerKind<CalendarRule, CalendarState> = {
  kind: 'calendar',
  title: 'Calendar (every N days, weeks, months, years, or a cron rule)',
  validate: validateCalendarRule,
  initialState: (_config, today) => ({ startOn: today }),
  due(config, state, input) {
    const { generate, skipped } = dueWorkToGenerate(config, state, input.today);
    if (!generate.length) return { work: [], state };
    const what = `${describeRecurrence(config)}, ${config.mode}`;
    const work = generate.map((o, i): DueWork => {
      const parts = [`Due ${o.dueOn} (${what})`];
      if (o.shiftedFrom) parts.push(`moved from ${o.shiftedFrom} to the start of the next seasonal window`);
      if (o.overdue) parts.push('overdue when generated');
      else if (o.generateOn < o.dueOn) parts.push(`generated ${config.leadDays} day${config.leadDays === 1 ? '' : 's'} ahead`);
      if (i === 0 && skipped.count)
        parts.push(`${skipped.count} earlier missed due date${skipped.count === 1 ? '' : 's'} (${skipped.first}${skipped.count > 1 ? ` to ${skipped.last}` : ''}) not generated`);
      return { dueKey: o.dueOn, dueOn: o.dueOn, generateReason: `${parts.join('; ')}.` };
    });
    return { work, state: { ...state, lastGeneratedDueOn: generate[generate.length - 1].dueOn } };
  },
  preview: (config, state, from, limit) => calendarDueDates(config, state, from, addDays(from, SEARCH_HORIZON_DAYS), limit).map((o) => o.dueOn),
};

// ---------------------------------------------------------------------------------------------
// Meter

export type MeterTriggerConfig = MeterRule & {
  /** The asset's meter point code (`hours`, `odometer`). */
  meter: string;
};

export const meterTrigger: TriggerKind<MeterTriggerConfig, MeterPlanState> = {
  kind: 'meter',
  title: 'Meter (every N units of use)',
  validate(config) {
    const issues = validateMeterRule(config);
    if (isRecord(config) && (typeof config.meter !== 'string' || config.meter.trim() === '')) issues.push({ field: 'meter', message: 'must name the meter point' });
    return issues;
  },
  initialState: () => ({}),
  due(config, state, input) {
    const total = input.meterTotals?.[config.meter];
    if (total === undefined) return { work: [], state };
    const check = meterDueReached(config, state, total);
    if (!check.due) return { work: [], state };
    const parts = [`${config.meter} at ${decText(dec(total))} reached due ${check.dueTotal} (every ${decText(dec(config.every))}, ${config.mode}`];
    parts[0] += config.leadUnits && !dec(config.leadUnits).isZero() ? `, ${decText(dec(config.leadUnits))} ahead)` : ')';
    if (check.skippedCount) parts.push(`${check.skippedCount} earlier due total${check.skippedCount === 1 ? '' : 's'} passed without a work order`);
    return {
      work: [{ dueKey: `meter:${check.dueTotal}`, dueOn: null, dueMeterValue: check.dueTotal, generateReason: `${parts.join('; ')}.` }],
      state: { ...state, lastGeneratedDueTotal: check.dueTotal },
    };
  },
  /** The next due totals (`from` does not apply to meters). Floating plans assume each job is done at its due total. */
  preview(config, state, _from, limit) {
    const first = dec(nextMeterDue(config, state));
    const every = dec(config.every);
    return Array.from({ length: Math.max(0, limit) }, (_, k) => decText(first.plus(every.times(k))));
  },
};

// ---------------------------------------------------------------------------------------------
// Condition

export type ConditionTriggerConfig = ConditionRule & {
  /** The asset's gauge point code (`bearing-temp`). */
  point: string;
};

export const conditionTrigger: TriggerKind<ConditionTriggerConfig, ConditionState> = {
  kind: 'condition',
  title: 'Condition (gauge above, below, outside a range, or changing too fast)',
  validate(config) {
    const issues = validateConditionRule(config);
    if (isRecord(config) && (typeof config.point !== 'string' || config.point.trim() === '')) issues.push({ field: 'point', message: 'must name the gauge point' });
    return issues;
  },
  initialState: () => initialConditionState(),
  /** Readings are taken in time order (sorted here); ones not after the state's last reading are ignored. */
  due(config, state, input) {
    const readings = [...(input.readings?.[config.point] ?? [])].sort((a, b) => (parseInstant(a.readAt) ?? 0) - (parseInstant(b.readAt) ?? 0));
    const work: DueWork[] = [];
    let current = state;
    for (const reading of readings) {
      const result = evaluateCondition(config, current, reading);
      current = result.state;
      if (result.fired) {
        const at = current.lastAt!;
        work.push({ dueKey: `condition:${at}`, dueOn: utcDateOf(parseInstant(at)!), generateReason: `${config.point} at ${at}: ${result.reason}.` });
      }
    }
    return { work, state: current };
  },
};

export const BUILTIN_TRIGGER_KINDS: readonly AnyTriggerKind[] = Object.freeze([calendarTrigger, meterTrigger, conditionTrigger]);

// ---------------------------------------------------------------------------------------------
// Registry

const KIND_ID = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

export interface TriggerRegistry {
  /** Add a kind; throws on a duplicate or malformed id, or after `freeze()`. */
  register(kind: AnyTriggerKind): void;
  get(kind: string): AnyTriggerKind | undefined;
  list(): AnyTriggerKind[];
  /** After phase 1 of loading nothing more is registered. */
  freeze(): void;
  readonly frozen: boolean;
}

/** A registry holding the built-in kinds (or `initial`), to which plugins add theirs. */
export function createTriggerRegistry(initial: readonly AnyTriggerKind[] = BUILTIN_TRIGGER_KINDS): TriggerRegistry {
  const kinds = new Map<string, AnyTriggerKind>();
  let frozen = false;
  const registry: TriggerRegistry = {
    register(kind) {
      if (frozen) throw new Error(`trigger kind '${kind.kind}' registered after the registry was frozen`);
      if (typeof kind.kind !== 'string' || !KIND_ID.test(kind.kind)) throw new Error(`trigger kind id '${kind.kind}' must be lower-case words with dashes, dot-separated`);
      if (kinds.has(kind.kind)) throw new Error(`trigger kind '${kind.kind}' is already registered`);
      kinds.set(kind.kind, kind);
    },
    get: (kind) => kinds.get(kind),
    list: () => [...kinds.values()],
    freeze() {
      frozen = true;
    },
    get frozen() {
      return frozen;
    },
  };
  for (const kind of initial) registry.register(kind);
  return registry;
}
