import { describe, expect, it } from 'vitest';
import { assessCalibration, calibrationStatus, nextCalibrationDue, validateCalibrationPoints } from '../../src/domain/calibration.js';

describe('assessCalibration', () => {
  it('a pressure gauge adjusted at 5 bar: passes as left, failed as found', () => {
    const result = assessCalibration([
      // error +0.02 ≤ 0.05: in.
      { nominal: '0', asFound: '0.02', tolerance: { plusMinus: '0.05' } },
      // as found +0.07 > 0.05: out; adjusted, as left +0.01: in.
      { nominal: '5', asFound: '5.07', asLeft: '5.01', tolerance: { plusMinus: '0.05' } },
      // error −0.05, exactly the limit: in.
      { nominal: '10', asFound: '9.95', tolerance: { plusMinus: '0.05' } },
    ]);
    expect(result).toEqual({
      pass: true,
      asFoundFailed: true,
      adjusted: true,
      points: [
        { nominal: '0', tolerance: '0.05', asFound: { value: '0.02', error: '0.02', inTolerance: true }, asLeft: null, inTolerance: true },
        {
          nominal: '5',
          tolerance: '0.05',
          asFound: { value: '5.07', error: '0.07', inTolerance: false },
          asLeft: { value: '5.01', error: '0.01', inTolerance: true },
          inTolerance: true,
        },
        { nominal: '10', tolerance: '0.05', asFound: { value: '9.95', error: '-0.05', inTolerance: true }, asLeft: null, inTolerance: true },
      ],
    });
  });

  it('percent of nominal: 1 % of 200 is ±2, so 202.5 fails and, not adjusted, the calibration fails', () => {
    const result = assessCalibration([{ nominal: '200', asFound: '202.5', tolerance: { percent: '1' } }]);
    expect(result).toMatchObject({ pass: false, asFoundFailed: true, adjusted: false });
    expect(result.points[0]).toMatchObject({ tolerance: '2', asFound: { error: '2.5', inTolerance: false } });
  });

  it('percent of a negative nominal uses its size: 0.5 % of −40 °C is ±0.2', () => {
    expect(assessCalibration([{ nominal: '-40', asFound: '-40.2', tolerance: { percent: '0.5' } }]).points[0]).toMatchObject({
      tolerance: '0.2',
      asFound: { error: '-0.2', inTolerance: true },
    });
  });

  it('decimal, not binary: 0.8 − 0.7 is exactly the ±0.1 limit (doubles say 0.10000000000000009)', () => {
    expect(assessCalibration([{ nominal: '0.7', asFound: '0.8', tolerance: { plusMinus: '0.1' } }]).pass).toBe(true);
  });

  it('an adjustment that does not bring the point back fails', () => {
    expect(assessCalibration([{ nominal: '5', asFound: '5.2', asLeft: '5.06', tolerance: { plusMinus: '0.05' } }])).toMatchObject({ pass: false, asFoundFailed: true, adjusted: true });
  });

  it('no points: no pass', () => {
    expect(assessCalibration([])).toEqual({ pass: false, asFoundFailed: false, adjusted: false, points: [] });
  });

  it('validates points', () => {
    expect(validateCalibrationPoints([{ nominal: 'x', asFound: '1', asLeft: 'y', tolerance: { plusMinus: '-1' } }, { nominal: '1', asFound: '1', tolerance: {} }])).toEqual([
      { field: '[0].nominal', message: 'must be a decimal number' },
      { field: '[0].asLeft', message: 'must be a decimal number' },
      { field: '[0].tolerance.plusMinus', message: 'must be a decimal number ≥ 0' },
      { field: '[1].tolerance', message: 'must be { plusMinus } or { percent }' },
    ]);
    expect(() => assessCalibration([{ nominal: 'x', asFound: '1', tolerance: { plusMinus: '1' } }])).toThrow(RangeError);
  });
});

describe('nextCalibrationDue', () => {
  it('clamps to the month end', () => {
    expect(nextCalibrationDue('2026-01-31', { n: 1, unit: 'month' })).toBe('2026-02-28');
    expect(nextCalibrationDue('2024-01-31', { n: 1, unit: 'month' })).toBe('2024-02-29');
    expect(nextCalibrationDue('2024-02-29', { n: 1, unit: 'year' })).toBe('2025-02-28');
    expect(nextCalibrationDue('2026-03-15', { n: 6, unit: 'month' })).toBe('2026-09-15');
  });

  it('counts days: 90 days from Jan 1 2026 is Apr 1 (Jan 31 is +30, Feb 28 +58, Mar 31 +89)', () => {
    expect(nextCalibrationDue('2026-01-01', { n: 90, unit: 'day' })).toBe('2026-04-01');
  });
});

describe('calibrationStatus', () => {
  // Due May 10, warned 14 days ahead: from Apr 26.
  it.each([
    ['2026-04-25', 'current'],
    ['2026-04-26', 'due-soon'],
    ['2026-05-10', 'due-soon'],
    ['2026-05-11', 'overdue'],
  ] as const)('today %s → %s', (today, status) => {
    expect(calibrationStatus('2026-05-10', today, 14)).toBe(status);
  });

  it('never calibrated', () => {
    expect(calibrationStatus(null, '2026-05-10', 14)).toBe('never');
  });
});
