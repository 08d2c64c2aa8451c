import { describe, expect, it } from 'vitest';
import * as domain from '../../src/domain/index.js';

describe('domain entry point', () => {
  it('exports the API the server codes against', () => {
    const functions = [
      'parseCron',
      'validateCalendarRule',
      'nextCalendarDue',
      'calendarDueDates',
      'dueWorkToGenerate',
      'addInterval',
      'assessReading',
      'assessReadingInSeries',
      'assessMeterSeries',
      'nextMeterDue',
      'meterDueReached',
      'forecastMeterDue',
      'evaluateCondition',
      'evaluateConditionSeries',
      'createTriggerRegistry',
      'checkWorkOrderTransition',
      'checkWorkOrderAction',
      'priorityFor',
      'completionChecks',
      'classifyCompliance',
      'mtbfMttr',
      'assessCalibration',
      'nextCalibrationDue',
      'calibrationStatus',
    ] as const;
    for (const name of functions) expect(typeof domain[name], name).toBe('function');
    expect(domain.WORK_ORDER_TYPES).toEqual(['preventive', 'corrective', 'inspection', 'calibration']);
    expect(domain.BUILTIN_TRIGGER_KINDS.map((k) => k.kind)).toEqual(['calendar', 'meter', 'condition']);
  });
});
