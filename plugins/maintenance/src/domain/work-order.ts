/**
 * Work orders: the lifecycle state machine, priority from asset criticality, the checklist checks
 * that gate completion, PM compliance, and MTBF / MTTR. Pure: no I/O, no clock.
 *
 * | action     | from                                     | to          |
 * |------------|------------------------------------------|-------------|
 * | approve    | requested                                | approved    |
 * | schedule   | approved                                 | scheduled   |
 * | unschedule | scheduled                                | approved    |
 * | start      | approved, scheduled                      | in-progress |
 * | hold       | in-progress                              | on-hold     |
 * | resume     | on-hold                                  | in-progress |
 * | complete   | in-progress                              | completed   |
 * | reopen     | completed                                | in-progress |
 * | close      | completed                                | closed      |
 * | cancel     | requested, approved, scheduled, on-hold  | cancelled   |
 *
 * Decisions:
 * - `start` from `approved` lets urgent work begin without being put on the schedule first.
 * - Work in progress is not cancelled directly: it is put on hold first, so the hold records why
 *   the work stopped (and the labour and parts already booked stay explained).
 * - `reopen` takes completed work back to in progress before it is closed (a failed sign-off);
 *   closing is the sign-off, and `closed` and `cancelled` are final.
 */
import { D, type Dec, decText, fixedText, tryDec } from './decimal.js';
import { MS_PER_HOUR, toDay, toInstant } from './dates.js';

export const WORK_ORDER_STATUSES = ['requested', 'approved', 'scheduled', 'in-progress', 'on-hold', 'completed', 'closed', 'cancelled'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
export const WORK_ORDER_TYPES = ['preventive', 'corrective', 'inspection', 'calibration'] as const;
export type WorkOrderType = (typeof WORK_ORDER_TYPES)[number];
export const WORK_ORDER_ACTIONS = ['approve', 'schedule', 'unschedule', 'start', 'hold', 'resume', 'complete', 'reopen', 'close', 'cancel'] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

export interface WorkOrderTransition {
  action: WorkOrderAction;
  from: WorkOrderStatus;
  to: WorkOrderStatus;
  /** Past-tense event name (`approved`, `put-on-hold` …), also the history entry's type. */
  event: string;
}

const t = (action: WorkOrderAction, from: WorkOrderStatus, to: WorkOrderStatus, event: string): WorkOrderTransition => Object.freeze({ action, from, to, event });

/** Every legal transition. Anything not listed here is illegal. */
export const WORK_ORDER_TRANSITIONS: readonly WorkOrderTransition[] = Object.freeze([
  t('approve', 'requested', 'approved', 'approved'),
  t('schedule', 'approved', 'scheduled', 'scheduled'),
  t('unschedule', 'scheduled', 'approved', 'unscheduled'),
  t('start', 'approved', 'in-progress', 'started'),
  t('start', 'scheduled', 'in-progress', 'started'),
  t('hold', 'in-progress', 'on-hold', 'put-on-hold'),
  t('resume', 'on-hold', 'in-progress', 'resumed'),
  t('complete', 'in-progress', 'completed', 'completed'),
  t('reopen', 'completed', 'in-progress', 'reopened'),
  t('close', 'completed', 'closed', 'closed'),
  ...(['requested', 'approved', 'scheduled', 'on-hold'] as const).map((from) => t('cancel', from, 'cancelled', 'cancelled')),
]);

export const isWorkOrderStatus = (s: unknown): s is WorkOrderStatus => (WORK_ORDER_STATUSES as readonly unknown[]).includes(s);
export const isWorkOrderType = (s: unknown): s is WorkOrderType => (WORK_ORDER_TYPES as readonly unknown[]).includes(s);

/** `closed` and `cancelled` are history: nothing moves them. */
export const FINAL_WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = ['closed', 'cancelled'];
export const isFinalWorkOrderStatus = (s: WorkOrderStatus): boolean => FINAL_WORK_ORDER_STATUSES.includes(s);
/** Open work: not yet completed (what backlogs, overdue checks and "one open PM" rules look at). */
export const OPEN_WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = ['requested', 'approved', 'scheduled', 'in-progress', 'on-hold'];

/** Statuses reachable from `from` in one step. */
export function nextWorkOrderStatuses(from: WorkOrderStatus): WorkOrderStatus[] {
  return [...new Set(WORK_ORDER_TRANSITIONS.filter((x) => x.from === from).map((x) => x.to))];
}

/** Actions available from `from` (for the buttons a page shows). */
export function workOrderActionsFrom(from: WorkOrderStatus): WorkOrderAction[] {
  return WORK_ORDER_ACTIONS.filter((a) => WORK_ORDER_TRANSITIONS.some((x) => x.from === from && x.action === a));
}

export type WorkOrderTransitionCheck =
  | { ok: true; transition: WorkOrderTransition }
  | {
      ok: false;
      /** `same-status`: already there. `final`: closed or cancelled. `illegal`: no such edge. */
      reason: 'same-status' | 'final' | 'illegal';
      from: WorkOrderStatus;
      to: WorkOrderStatus;
      /** Where the work order may go from here. */
      allowed: WorkOrderStatus[];
    };

/** May a work order in `from` move to `to`? */
export function checkWorkOrderTransition(from: WorkOrderStatus, to: WorkOrderStatus): WorkOrderTransitionCheck {
  const allowed = nextWorkOrderStatuses(from);
  if (from === to) return { ok: false, reason: 'same-status', from, to, allowed };
  const edge = WORK_ORDER_TRANSITIONS.find((x) => x.from === from && x.to === to);
  if (!edge) return { ok: false, reason: isFinalWorkOrderStatus(from) ? 'final' : 'illegal', from, to, allowed };
  return { ok: true, transition: edge };
}

export type WorkOrderActionCheck =
  | { ok: true; transition: WorkOrderTransition }
  | { ok: false; from: WorkOrderStatus; action: WorkOrderAction; allowedActions: WorkOrderAction[] };

/** May this action be taken on a work order in `from`? (For routes named by action: POST …/approve.) */
export function checkWorkOrderAction(from: WorkOrderStatus, action: WorkOrderAction): WorkOrderActionCheck {
  const edge = WORK_ORDER_TRANSITIONS.find((x) => x.from === from && x.action === action);
  return edge ? { ok: true, transition: edge } : { ok: false, from, action, allowedActions: workOrderActionsFrom(from) };
}

// ---------------------------------------------------------------------------------------------
// Priority

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Asset criticality on the ABC scale of maintenance criticality analysis: A — a failure stops
 * production or endangers people or compliance; B — costly, but there is a work-around; C — run to
 * failure is acceptable. Three classes rather than 1–5 because that is what planners assign
 * consistently (and what the ranking is used for: three bands of response), and a five-point score
 * from a risk matrix maps onto it (5–4 → A, 3 → B, 2–1 → C) with `criticalityFromScore`.
 */
export const CRITICALITIES = ['A', 'B', 'C'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/**
 * Priority by work order type and criticality. Corrective work on an A asset is urgent (it is down
 * or about to be); planned work is one step below corrective; inspections one step below planned,
 * because they only find work. Calibration ranks with preventive work: an overdue calibration on a
 * critical instrument puts product quality at risk.
 */
export const PRIORITY_MATRIX: Readonly<Record<WorkOrderType, Readonly<Record<Criticality, Priority>>>> = Object.freeze({
  corrective: { A: 'urgent', B: 'high', C: 'medium' },
  preventive: { A: 'high', B: 'medium', C: 'low' },
  calibration: { A: 'high', B: 'medium', C: 'low' },
  inspection: { A: 'medium', B: 'low', C: 'low' },
});

/** Map a 1–5 risk score (5 = most critical) onto A/B/C. */
export function criticalityFromScore(score: number): Criticality {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError(`criticality score must be 1–5, got ${score}`);
  return score >= 4 ? 'A' : score === 3 ? 'B' : 'C';
}

const rank = (p: Priority) => PRIORITIES.indexOf(p);

/**
 * The priority of a new work order: the matrix's priority for the asset's criticality and the work
 * order type, raised to `basePriority` when that is higher (a requester or plan may ask for more
 * urgency, but criticality is a floor: a PM on an A asset is never low). An asset without a
 * criticality counts as B.
 */
export function priorityFor(criticality: Criticality | null | undefined, type: WorkOrderType, basePriority?: Priority | null): Priority {
  const fromMatrix = PRIORITY_MATRIX[type][criticality ?? 'B'];
  return basePriority && rank(basePriority) > rank(fromMatrix) ? basePriority : fromMatrix;
}

// ---------------------------------------------------------------------------------------------
// Checklists

export type ChecklistItem =
  | { id: string; label: string; kind: 'check'; required?: boolean; answer?: 'pass' | 'fail' | 'n/a' | null }
  | { id: string; label: string; kind: 'reading'; required?: boolean; value?: string | null; min?: string | null; max?: string | null; unit?: string | null }
  | { id: string; label: string; kind: 'text'; required?: boolean; text?: string | null };

export interface ChecklistFinding {
  itemId: string;
  label: string;
  reason: string;
}

export interface CompletionCheck {
  /** Nothing blocks completion. */
  canComplete: boolean;
  /** What must be done before the work order can be completed. */
  blocking: ChecklistFinding[];
  /** Items that failed (answered fail, reading out of range): recorded, they do not block, but may call for follow-up work. */
  failed: ChecklistFinding[];
}

/**
 * What stands between a work order and completion.
 * - Blocks: a required check not answered (pass, fail and n/a are answers); a required reading
 *   missing; a required text empty; any reading that is not a number.
 * - Fails without blocking: a check answered `fail`; a reading below `min` or above `max` (both
 *   inclusive limits). Finding a fault is a result of the work, not a reason it cannot finish.
 */
export function completionChecks(checklist: readonly ChecklistItem[]): CompletionCheck {
  const blocking: ChecklistFinding[] = [];
  const failed: ChecklistFinding[] = [];
  for (const item of checklist) {
    const finding = (reason: string) => ({ itemId: item.id, label: item.label, reason });
    switch (item.kind) {
      case 'check':
        if (item.answer === 'fail') failed.push(finding('answered fail'));
        else if (item.required && !item.answer) blocking.push(finding('required check not answered'));
        break;
      case 'text':
        if (item.required && !item.text?.trim()) blocking.push(finding('required text is empty'));
        break;
      case 'reading': {
        const unit = item.unit ? ` ${item.unit}` : '';
        if (item.value === null || item.value === undefined || item.value.trim() === '') {
          if (item.required) blocking.push(finding('required reading missing'));
          break;
        }
        const value = tryDec(item.value);
        if (!value) {
          blocking.push(finding(`reading ${JSON.stringify(item.value)} is not a number`));
          break;
        }
        const min = item.min != null ? tryDec(item.min) : undefined;
        const max = item.max != null ? tryDec(item.max) : undefined;
        if (min && value.lt(min)) failed.push(finding(`reading ${decText(value)}${unit} is below the minimum ${decText(min)}${unit}`));
        else if (max && value.gt(max)) failed.push(finding(`reading ${decText(value)}${unit} is above the maximum ${decText(max)}${unit}`));
        break;
      }
    }
  }
  return { canComplete: blocking.length === 0, blocking, failed };
}

// ---------------------------------------------------------------------------------------------
// PM compliance

export type ComplianceStatus = 'on-time' | 'late' | 'missed' | 'open' | 'upcoming';

/**
 * PM compliance of one due occurrence.
 * - Completed on or before `dueOn + graceDays`: on-time (early counts as on time); later: late.
 * - Not completed: upcoming before the due date; open from the due date to the end of the grace
 *   period; missed once the grace period is over (it becomes late if it is done after all).
 */
export function classifyCompliance(dueOn: string, completedOn: string | null | undefined, graceDays: number, today: string): ComplianceStatus {
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new RangeError(`graceDays must be a whole number ≥ 0, got ${graceDays}`);
  const deadline = toDay(dueOn) + graceDays;
  if (completedOn) return toDay(completedOn) <= deadline ? 'on-time' : 'late';
  const t = toDay(today);
  if (t < toDay(dueOn)) return 'upcoming';
  return t <= deadline ? 'open' : 'missed';
}

// ---------------------------------------------------------------------------------------------
// Reliability

export interface FailureRecord {
  /** ISO instants. `restoredAt` null: still down. */
  failedAt: string;
  restoredAt?: string | null;
}

export interface ReliabilityFigures {
  /** Failures that began in the period. */
  failures: number;
  /** Of those, the ones restored (the MTTR sample). */
  repaired: number;
  periodHours: string;
  /** Down time inside the period (overlapping failures counted once, clipped to the period). */
  downtimeHours: string;
  uptimeHours: string;
  /** Uptime / failures; null without failures. */
  mtbfHours: string | null;
  /** Mean of restoredAt − failedAt of the repaired failures; null when none was repaired. */
  mttrHours: string | null;
  /** Uptime / period, 4 places. */
  availability: string;
}

/**
 * MTBF and MTTR over a period [periodStart, periodEnd).
 *
 * - A failure belongs to the period when it began in it.
 * - Downtime is the union of [failedAt, restoredAt) of all failures (also ones that began before the
 *   period), clipped to the period; a failure not yet restored is down until the period end.
 * - Uptime = period − downtime; MTBF = uptime / failures in the period (operating time between
 *   failures, the repairs excluded).
 * - MTTR = the mean full repair time of the period's failures that were restored (a repair running
 *   past the period end counts whole: it is one repair).
 * Hours are decimal, rounded half-up to `decimals` places (default 2) only at the end.
 *
 * Worked example: 1000 h period, 3 failures repaired in 2 h, 4 h and 6 h: downtime 12 h, uptime
 * 988 h; MTTR = 12 / 3 = 4.00 h; MTBF = 988 / 3 = 329.33 h; availability 988 / 1000 = 0.9880.
 */
export function mtbfMttr(failures: readonly FailureRecord[], periodStart: string, periodEnd: string, decimals = 2): ReliabilityFigures {
  const start = toInstant(periodStart);
  const end = toInstant(periodEnd);
  if (end <= start) throw new RangeError('periodEnd must be after periodStart');
  const spans = failures.map((f) => {
    const from = toInstant(f.failedAt);
    const to = f.restoredAt ? toInstant(f.restoredAt) : null;
    if (to !== null && to < from) throw new RangeError(`restoredAt ${f.restoredAt} is before failedAt ${f.failedAt}`);
    return { from, to };
  });
  const inPeriod = spans.filter((s) => s.from >= start && s.from < end);
  const repaired = inPeriod.filter((s) => s.to !== null);

  // Union of down spans clipped to the period.
  const clipped = spans
    .map((s) => ({ from: Math.max(s.from, start), to: Math.min(s.to ?? end, end) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
  let downMs = 0;
  let coveredTo = -Infinity;
  for (const s of clipped) {
    const from = Math.max(s.from, coveredTo);
    if (s.to > from) downMs += s.to - from;
    coveredTo = Math.max(coveredTo, s.to);
  }
  const hours = (ms: number): Dec => new D(ms).div(MS_PER_HOUR);
  const period = hours(end - start);
  const down = hours(downMs);
  const up = period.minus(down);
  const repairTotal = hours(repaired.reduce((sum, s) => sum + (s.to! - s.from), 0));
  return {
    failures: inPeriod.length,
    repaired: repaired.length,
    periodHours: fixedText(period, decimals),
    downtimeHours: fixedText(down, decimals),
    uptimeHours: fixedText(up, decimals),
    mtbfHours: inPeriod.length ? fixedText(up.div(inPeriod.length), decimals) : null,
    mttrHours: repaired.length ? fixedText(repairTotal.div(repaired.length), decimals) : null,
    availability: fixedText(up.div(period), 4),
  };
}
