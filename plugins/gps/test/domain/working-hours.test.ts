import { describe, expect, it } from 'vitest';
import { WorkingHoursError, isWithinWorkingHours, localDateTime, validateWorkingHours, type WorkingHours } from '../../src/domain/working-hours.js';

/**
 * Berlin follows EU summer time (Directive 2000/84/EC, Articles 2–3): summer time (CEST, UTC+2)
 * begins at 01:00 UTC on the last Sunday of March and ends at 01:00 UTC on the last Sunday of
 * October; otherwise CET, UTC+1. In 2026 those Sundays are 29 March and 25 October
 * (1 March 2026 is a Sunday, so are the 29th; 1 October is a Thursday, so the 25th is a Sunday).
 * 4 May 2026 and 5 January 2026 are Mondays (1 January 2026 is a Thursday).
 */
const office: WorkingHours = {
  timeZone: 'Europe/Berlin',
  days: {
    mon: [['07:00', '18:00']],
    tue: [['07:00', '18:00']],
    wed: [['07:00', '18:00']],
    thu: [['07:00', '18:00']],
    fri: [['07:00', '18:00']],
    sat: [['08:00', '12:00']],
  },
  holidays: ['2026-12-25'],
};

function error(fn: () => unknown): WorkingHoursError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WorkingHoursError) return e;
    throw e;
  }
  throw new Error('expected a WorkingHoursError');
}

describe('localDateTime', () => {
  it('gives Berlin wall-clock time in summer (UTC+2) and winter (UTC+1)', () => {
    expect(localDateTime('2026-05-04T05:00:00Z', 'Europe/Berlin')).toEqual({ date: '2026-05-04', weekday: 'mon', minuteOfDay: 420, time: '07:00:00' });
    expect(localDateTime('2026-01-05T05:00:00Z', 'Europe/Berlin')).toEqual({ date: '2026-01-05', weekday: 'mon', minuteOfDay: 360, time: '06:00:00' });
  });

  it('rolls the date and weekday over local midnight', () => {
    // 23:30 UTC Sunday 3 May = 01:30 CEST Monday 4 May.
    expect(localDateTime('2026-05-03T23:30:00Z', 'Europe/Berlin')).toMatchObject({ date: '2026-05-04', weekday: 'mon', time: '01:30:00' });
    // Midnight itself is 00:00, not 24:00.
    expect(localDateTime('2026-05-03T22:00:00Z', 'Europe/Berlin')).toMatchObject({ date: '2026-05-04', minuteOfDay: 0, time: '00:00:00' });
  });

  it('handles half-hour zones (Asia/Kolkata, UTC+5:30, no DST)', () => {
    expect(localDateTime('2026-05-04T01:30:00Z', 'Asia/Kolkata')).toMatchObject({ date: '2026-05-04', time: '07:00:00' });
  });

  it('rejects unknown zones and zone-less instants', () => {
    expect(error(() => localDateTime('2026-05-04T05:00:00Z', 'Mars/Olympus_Mons'))).toMatchObject({ code: 'time-zone', field: 'timeZone' });
    expect(error(() => localDateTime('2026-05-04T07:00:00', 'Europe/Berlin'))).toMatchObject({ code: 'instant' });
    expect(error(() => localDateTime('Monday morning', 'Europe/Berlin'))).toMatchObject({ code: 'instant' });
  });
});

describe('isWithinWorkingHours', () => {
  it('includes the start and excludes the end of a range (summer, CEST)', () => {
    expect(isWithinWorkingHours('2026-05-04T04:59:59Z', office)).toBe(false); // 06:59:59
    expect(isWithinWorkingHours('2026-05-04T05:00:00Z', office)).toBe(true); // 07:00
    expect(isWithinWorkingHours('2026-05-04T15:59:59Z', office)).toBe(true); // 17:59:59
    expect(isWithinWorkingHours('2026-05-04T16:00:00Z', office)).toBe(false); // 18:00
  });

  it('shifts with DST: 05:30 UTC is 07:30 in May (inside) but 06:30 in January (outside)', () => {
    expect(isWithinWorkingHours('2026-05-04T05:30:00Z', office)).toBe(true);
    expect(isWithinWorkingHours('2026-01-05T05:30:00Z', office)).toBe(false);
    expect(isWithinWorkingHours('2026-01-05T06:00:00Z', office)).toBe(true); // 07:00 CET
  });

  it('reads the weekday in the zone: Saturday morning only, Sunday never', () => {
    expect(isWithinWorkingHours('2026-05-09T06:00:00Z', office)).toBe(true); // Sat 08:00
    expect(isWithinWorkingHours('2026-05-09T10:00:00Z', office)).toBe(false); // Sat 12:00
    expect(isWithinWorkingHours('2026-05-10T08:00:00Z', office)).toBe(false); // Sun 10:00
    // Friday 22:30 UTC is already Saturday 00:30 in Berlin: closed.
    expect(isWithinWorkingHours('2026-05-08T22:30:00Z', office)).toBe(false);
  });

  it('closes on holidays given as local dates', () => {
    expect(isWithinWorkingHours('2026-12-25T09:00:00Z', office)).toBe(false); // Friday, Christmas Day
    expect(isWithinWorkingHours('2026-12-24T09:00:00Z', office)).toBe(true); // Thursday
  });

  it('skips wall times that do not exist on the spring-forward night (29 March 2026)', () => {
    const sundayNight: WorkingHours = { timeZone: 'Europe/Berlin', days: { sun: [['02:30', '03:30']] } };
    expect(isWithinWorkingHours('2026-03-29T00:59:59Z', sundayNight)).toBe(false); // 01:59:59 CET
    expect(isWithinWorkingHours('2026-03-29T01:00:00Z', sundayNight)).toBe(true); // 03:00 CEST (02:xx never happens)
    expect(isWithinWorkingHours('2026-03-29T01:30:00Z', sundayNight)).toBe(false); // 03:30 CEST
  });

  it('counts the repeated hour twice on the fall-back night (25 October 2026)', () => {
    const sundayNight: WorkingHours = { timeZone: 'Europe/Berlin', days: { sun: [['02:00', '03:00']] } };
    expect(isWithinWorkingHours('2026-10-24T23:59:59Z', sundayNight)).toBe(false); // 01:59:59 CEST
    expect(isWithinWorkingHours('2026-10-25T00:00:00Z', sundayNight)).toBe(true); // 02:00 CEST
    expect(isWithinWorkingHours('2026-10-25T00:30:00Z', sundayNight)).toBe(true); // 02:30 CEST
    expect(isWithinWorkingHours('2026-10-25T01:30:00Z', sundayNight)).toBe(true); // 02:30 CET, again
    expect(isWithinWorkingHours('2026-10-25T02:00:00Z', sundayNight)).toBe(false); // 03:00 CET
  });

  it('supports ranges past midnight, owned by the day they start', () => {
    const nights: WorkingHours = { timeZone: 'Europe/Berlin', days: { mon: [['22:00', '06:00']] }, holidays: [] };
    expect(isWithinWorkingHours('2026-05-04T19:59:00Z', nights)).toBe(false); // Mon 21:59
    expect(isWithinWorkingHours('2026-05-04T21:00:00Z', nights)).toBe(true); // Mon 23:00
    expect(isWithinWorkingHours('2026-05-05T03:59:00Z', nights)).toBe(true); // Tue 05:59
    expect(isWithinWorkingHours('2026-05-05T04:00:00Z', nights)).toBe(false); // Tue 06:00
    expect(isWithinWorkingHours('2026-05-05T21:00:00Z', nights)).toBe(false); // Tue 23:00 — no Tuesday shift
    // A holiday on the Monday cancels the whole night shift, also its Tuesday tail.
    const holiday = { ...nights, holidays: ['2026-05-04'] };
    expect(isWithinWorkingHours('2026-05-04T21:00:00Z', holiday)).toBe(false);
    expect(isWithinWorkingHours('2026-05-05T03:00:00Z', holiday)).toBe(false);
    // A holiday on the Tuesday does not cancel the tail of Monday's shift.
    expect(isWithinWorkingHours('2026-05-05T03:00:00Z', { ...nights, holidays: ['2026-05-05'] })).toBe(true);
  });

  it('accepts 24:00 as the end of the day and several ranges per day', () => {
    const split: WorkingHours = { timeZone: 'Europe/Berlin', days: { fri: [['06:00', '12:00'], ['13:00', '24:00']] } };
    expect(isWithinWorkingHours('2026-05-08T10:30:00Z', split)).toBe(false); // Fri 12:30, lunch
    expect(isWithinWorkingHours('2026-05-08T11:00:00Z', split)).toBe(true); // Fri 13:00
    expect(isWithinWorkingHours('2026-05-08T21:59:00Z', split)).toBe(true); // Fri 23:59
    expect(isWithinWorkingHours('2026-05-08T22:00:00Z', split)).toBe(false); // Sat 00:00
  });

  it('works in other zones (America/New_York, EDT = UTC−4 in May)', () => {
    const ny: WorkingHours = { ...office, timeZone: 'America/New_York' };
    expect(isWithinWorkingHours('2026-05-04T11:00:00Z', ny)).toBe(true); // 07:00 EDT
    expect(isWithinWorkingHours('2026-05-04T10:59:00Z', ny)).toBe(false); // 06:59 EDT
  });

  it('treats a schedule without days as never working', () => {
    expect(isWithinWorkingHours('2026-05-04T10:00:00Z', { timeZone: 'UTC', days: {} })).toBe(false);
  });
});

describe('validateWorkingHours', () => {
  it('converts ranges to minutes', () => {
    expect(validateWorkingHours(office).mon).toEqual([{ start: 420, end: 1080 }]);
    expect(validateWorkingHours(office).sun).toEqual([]);
  });

  it('rejects malformed schedules, naming the field', () => {
    const bad = (days: unknown, extra: object = {}) => error(() => validateWorkingHours({ timeZone: 'Europe/Berlin', days: days as WorkingHours['days'], ...extra }));
    expect(bad({ mon: [['7:00', '18:00']] })).toMatchObject({ code: 'time-range', field: 'days.mon[0]' });
    expect(bad({ mon: [['07:00', '25:00']] })).toMatchObject({ code: 'time-range' });
    expect(bad({ mon: [['07:00', '24:30']] })).toMatchObject({ code: 'time-range' });
    expect(bad({ mon: [['24:00', '06:00']] })).toMatchObject({ code: 'time-range' });
    expect(bad({ mon: [['07:00', '07:00']] })).toMatchObject({ code: 'time-range' });
    expect(bad({ mon: [['07:00']] })).toMatchObject({ code: 'time-range' });
    expect(bad({ mon: [['07:60', '08:00']] })).toMatchObject({ code: 'time-range' });
    expect(bad({ monday: [['07:00', '18:00']] })).toMatchObject({ code: 'weekday', field: 'days.monday' });
    expect(bad({}, { holidays: ['2026-02-30'] })).toMatchObject({ code: 'holiday', field: 'holidays[0]' });
    expect(bad({}, { holidays: ['25.12.2026'] })).toMatchObject({ code: 'holiday' });
    expect(bad({}, { timeZone: 'Europe/Atlantis' })).toMatchObject({ code: 'time-zone' });
  });
});
