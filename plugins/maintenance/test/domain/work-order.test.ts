import { describe, expect, it } from 'vitest';
import {
  PRIORITY_MATRIX,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TYPES,
  checkWorkOrderAction,
  checkWorkOrderTransition,
  classifyCompliance,
  completionChecks,
  criticalityFromScore,
  mtbfMttr,
  nextWorkOrderStatuses,
  priorityFor,
  workOrderActionsFrom,
  type WorkOrderStatus,
} from '../../src/domain/work-order.js';

/** The lifecycle, written out from the brief: every pair either is one of these edges or is illegal. */
const LEGAL: Record<WorkOrderStatus, WorkOrderStatus[]> = {
  requested: ['approved', 'cancelled'],
  approved: ['scheduled', 'in-progress', 'cancelled'],
  scheduled: ['in-progress', 'approved', 'cancelled'],
  'in-progress': ['on-hold', 'completed'],
  'on-hold': ['in-progress', 'cancelled'],
  completed: ['closed', 'in-progress'],
  closed: [],
  cancelled: [],
};

describe('work order lifecycle', () => {
  it('allows exactly the transitions of the table', () => {
    for (const from of WORK_ORDER_STATUSES) {
      expect(new Set(nextWorkOrderStatuses(from)), from).toEqual(new Set(LEGAL[from]));
      for (const to of WORK_ORDER_STATUSES) expect(checkWorkOrderTransition(from, to).ok, `${from} → ${to}`).toBe(LEGAL[from].includes(to));
    }
  });

  it('names the action of each edge', () => {
    const action = (from: WorkOrderStatus, to: WorkOrderStatus) => {
      const c = checkWorkOrderTransition(from, to);
      return c.ok ? c.transition.action : null;
    };
    expect(action('requested', 'approved')).toBe('approve');
    expect(action('approved', 'scheduled')).toBe('schedule');
    expect(action('scheduled', 'approved')).toBe('unschedule');
    expect(action('approved', 'in-progress')).toBe('start');
    expect(action('scheduled', 'in-progress')).toBe('start');
    expect(action('in-progress', 'on-hold')).toBe('hold');
    expect(action('on-hold', 'in-progress')).toBe('resume');
    expect(action('in-progress', 'completed')).toBe('complete');
    expect(action('completed', 'in-progress')).toBe('reopen');
    expect(action('completed', 'closed')).toBe('close');
    expect(action('on-hold', 'cancelled')).toBe('cancel');
  });

  it('explains a refusal with where the order may go', () => {
    expect(checkWorkOrderTransition('in-progress', 'cancelled')).toEqual({ ok: false, reason: 'illegal', from: 'in-progress', to: 'cancelled', allowed: ['on-hold', 'completed'] });
    expect(checkWorkOrderTransition('closed', 'in-progress')).toEqual({ ok: false, reason: 'final', from: 'closed', to: 'in-progress', allowed: [] });
    expect(checkWorkOrderTransition('approved', 'approved')).toMatchObject({ ok: false, reason: 'same-status' });
  });

  it('checks actions by name, for routes like POST …/start', () => {
    expect(checkWorkOrderAction('scheduled', 'start')).toMatchObject({ ok: true, transition: { from: 'scheduled', to: 'in-progress', event: 'started' } });
    expect(checkWorkOrderAction('requested', 'start')).toEqual({ ok: false, from: 'requested', action: 'start', allowedActions: ['approve', 'cancel'] });
    expect(workOrderActionsFrom('completed')).toEqual(['reopen', 'close']);
    expect(workOrderActionsFrom('cancelled')).toEqual([]);
  });

  it('has the four work order types', () => {
    expect(WORK_ORDER_TYPES).toEqual(['preventive', 'corrective', 'inspection', 'calibration']);
  });
});

describe('priority', () => {
  it('corrective work on a critical asset is urgent; criticality C PM is low', () => {
    expect(priorityFor('A', 'corrective')).toBe('urgent');
    expect(priorityFor('B', 'corrective')).toBe('high');
    expect(priorityFor('C', 'preventive')).toBe('low');
    expect(priorityFor('A', 'inspection')).toBe('medium');
  });

  it('a higher base priority raises it; a lower one does not lower it', () => {
    expect(priorityFor('C', 'preventive', 'high')).toBe('high');
    expect(priorityFor('A', 'preventive', 'low')).toBe('high');
  });

  it('an asset without criticality counts as B', () => {
    expect(priorityFor(null, 'corrective')).toBe(PRIORITY_MATRIX.corrective.B);
    expect(priorityFor(undefined, 'preventive')).toBe('medium');
  });

  it('maps a 1–5 risk score onto A/B/C', () => {
    expect([5, 4, 3, 2, 1].map(criticalityFromScore)).toEqual(['A', 'A', 'B', 'C', 'C']);
    expect(() => criticalityFromScore(6)).toThrow(RangeError);
  });
});

describe('completion checks', () => {
  it('blocks on unanswered required items and missing required readings; out-of-range readings fail without blocking', () => {
    const result = completionChecks([
      { id: '1', label: 'Guard fitted', kind: 'check', required: true, answer: 'pass' },
      { id: '2', label: 'Belt tension', kind: 'check', required: true },
      { id: '3', label: 'Oil level', kind: 'check', required: false },
      { id: '4', label: 'Bearing noise', kind: 'check', required: true, answer: 'fail' },
      { id: '5', label: 'Motor current', kind: 'reading', required: true, unit: 'A' },
      { id: '6', label: 'Oil temperature', kind: 'reading', required: true, value: '92.5', min: '20', max: '90', unit: '°C' },
      { id: '7', label: 'Pressure', kind: 'reading', required: false, value: '4,5' },
      { id: '8', label: 'Vibration', kind: 'reading', value: '2.8', min: '0', max: '2.8', unit: 'mm/s' },
      { id: '9', label: 'Notes', kind: 'text', required: true, text: '   ' },
      { id: '10', label: 'Not applicable here', kind: 'check', required: true, answer: 'n/a' },
      { id: '11', label: 'Supply voltage', kind: 'reading', value: '219.9', min: '220', max: '240', unit: 'V' },
    ]);
    expect(result).toEqual({
      canComplete: false,
      blocking: [
        { itemId: '2', label: 'Belt tension', reason: 'required check not answered' },
        { itemId: '5', label: 'Motor current', reason: 'required reading missing' },
        { itemId: '7', label: 'Pressure', reason: 'reading "4,5" is not a number' },
        { itemId: '9', label: 'Notes', reason: 'required text is empty' },
      ],
      failed: [
        { itemId: '4', label: 'Bearing noise', reason: 'answered fail' },
        { itemId: '6', label: 'Oil temperature', reason: 'reading 92.5 °C is above the maximum 90 °C' },
        { itemId: '11', label: 'Supply voltage', reason: 'reading 219.9 V is below the minimum 220 V' },
      ],
    });
  });

  it('a failed item alone does not block completion', () => {
    expect(completionChecks([{ id: '1', label: 'Leak test', kind: 'check', required: true, answer: 'fail' }])).toEqual({
      canComplete: true,
      blocking: [],
      failed: [{ itemId: '1', label: 'Leak test', reason: 'answered fail' }],
    });
    expect(completionChecks([])).toEqual({ canComplete: true, blocking: [], failed: [] });
  });
});

describe('PM compliance', () => {
  // Due May 10 with 3 days' grace: on time up to May 13.
  it.each([
    ['2026-05-08', '2026-05-20', 'on-time'],
    ['2026-05-13', '2026-05-20', 'on-time'],
    ['2026-05-14', '2026-05-20', 'late'],
    [null, '2026-05-09', 'upcoming'],
    [null, '2026-05-10', 'open'],
    [null, '2026-05-13', 'open'],
    [null, '2026-05-14', 'missed'],
  ] as const)('completed %s, today %s → %s', (completedOn, today, status) => {
    expect(classifyCompliance('2026-05-10', completedOn, 3, today)).toBe(status);
  });

  it('without grace, done the day after is late', () => {
    expect(classifyCompliance('2026-05-10', '2026-05-11', 0, '2026-05-11')).toBe('late');
  });
});

describe('MTBF and MTTR', () => {
  it('3 failures in a 1,000 h period, repaired in 2, 4 and 6 h: MTTR 4 h, MTBF (1,000 − 12) / 3 = 329.33 h', () => {
    // 1,000 h after 2026-01-01T00:00Z = 41 days 16 h → 2026-02-11T16:00Z.
    const figures = mtbfMttr(
      [
        { failedAt: '2026-01-05T08:00:00Z', restoredAt: '2026-01-05T10:00:00Z' }, // 2 h
        { failedAt: '2026-01-20T00:00:00Z', restoredAt: '2026-01-20T04:00:00Z' }, // 4 h
        { failedAt: '2026-02-02T12:00:00Z', restoredAt: '2026-02-02T18:00:00Z' }, // 6 h
      ],
      '2026-01-01T00:00:00Z',
      '2026-02-11T16:00:00Z',
    );
    // Downtime 2 + 4 + 6 = 12 h; uptime 988 h; MTTR 12 / 3 = 4; MTBF 988 / 3 = 329.333…; availability 988 / 1000.
    expect(figures).toEqual({
      failures: 3,
      repaired: 3,
      periodHours: '1000.00',
      downtimeHours: '12.00',
      uptimeHours: '988.00',
      mtbfHours: '329.33',
      mttrHours: '4.00',
      availability: '0.9880',
    });
  });

  it('clips to the period, merges overlaps, and keeps unrestored failures out of MTTR', () => {
    // Period: one day, 24 h.
    // A: 22:00 the day before → 02:00: began before the period (not counted), 2 h down inside it.
    // B: 10:00 → 13:00 (3 h) and C: 12:00 → 14:00 (2 h) overlap: 10:00–14:00 is 4 h down.
    // D: 20:00, not restored: down to the end of the period, 4 h.
    // Downtime 2 + 4 + 4 = 10 h, uptime 14 h; failures B, C, D = 3 → MTBF 14 / 3 = 4.666… → 4.67.
    // Repaired: B (3 h), C (2 h) → MTTR 2.5 h. Availability 14 / 24 = 0.58333… → 0.5833.
    const figures = mtbfMttr(
      [
        { failedAt: '2025-12-31T22:00:00Z', restoredAt: '2026-01-01T02:00:00Z' },
        { failedAt: '2026-01-01T10:00:00Z', restoredAt: '2026-01-01T13:00:00Z' },
        { failedAt: '2026-01-01T12:00:00Z', restoredAt: '2026-01-01T14:00:00Z' },
        { failedAt: '2026-01-01T20:00:00Z', restoredAt: null },
      ],
      '2026-01-01T00:00:00Z',
      '2026-01-02T00:00:00Z',
    );
    expect(figures).toEqual({
      failures: 3,
      repaired: 2,
      periodHours: '24.00',
      downtimeHours: '10.00',
      uptimeHours: '14.00',
      mtbfHours: '4.67',
      mttrHours: '2.50',
      availability: '0.5833',
    });
  });

  it('no failures: no MTBF or MTTR, full availability', () => {
    expect(mtbfMttr([], '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toMatchObject({ failures: 0, mtbfHours: null, mttrHours: null, availability: '1.0000' });
  });

  it('refuses a repair that ends before it began', () => {
    expect(() => mtbfMttr([{ failedAt: '2026-01-01T10:00:00Z', restoredAt: '2026-01-01T09:00:00Z' }], '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toThrow(RangeError);
  });
});
