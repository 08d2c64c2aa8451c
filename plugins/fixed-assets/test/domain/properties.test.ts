import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { CONVENTIONS, type DepreciationInput, type ScheduleRow, depreciationSchedule, depreciationUpTo, scheduledAccumulatedAt } from '../../src/domain/depreciation/index.js';

/** A small deterministic generator (mulberry32) so the cases are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(946);
const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
const money = () => new Decimal(Math.floor(next() * 10_000_000) + 100).div(100);

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function cases(): { name: string; input: DepreciationInput }[] {
  const out: { name: string; input: DepreciationInput }[] = [];
  const methods = ['straight-line', 'declining-balance', 'double-declining-balance', '150-declining-balance', 'sum-of-years-digits', 'macrs'] as const;
  for (const method of methods)
    for (const convention of method === 'macrs' ? (['half-year', 'mid-quarter'] as const) : CONVENTIONS)
      for (const fiscalYearStart of ['01-01', '07-01', '04-06'])
        for (const periodFrequency of ['year', 'month'] as const) {
          const cost = money();
          const salvage = method === 'macrs' ? new Decimal(0) : cost.times(pick([0, 0.05, 0.1, 0.333])).toDecimalPlaces(2);
          const placedInService = `20${pick(['19', '23', '24', '27'])}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
          const input: DepreciationInput = {
            method,
            cost: cost.toFixed(2),
            salvageValue: method === 'declining-balance' && salvage.isZero() ? cost.div(10).toFixed(2) : salvage.toFixed(2),
            convention,
            placedInService,
            fiscalYearStart,
            periodFrequency,
          };
          if (method === 'macrs') input.recoveryPeriodYears = pick([3, 5, 7, 10, 15, 20] as const);
          else input.usefulLifeYears = method === 'sum-of-years-digits' ? pick([1, 3, 5, 8]) : pick([1, 2.5, 3, 5, 7, 12]);
          if (method !== 'declining-balance' && method !== 'sum-of-years-digits' && method !== 'straight-line' && method !== 'macrs') input.switchToStraightLine = next() < 0.5;
          out.push({ name: `${method} ${convention} FY${fiscalYearStart} ${periodFrequency} ${placedInService} ${input.cost}/${input.salvageValue}`, input });
        }
  return out;
}

const depreciableBase = (input: DepreciationInput) => new Decimal(input.cost as string).minus(input.method === 'macrs' ? 0 : (input.salvageValue as string));

describe.each(cases())('schedule properties: $name', ({ input }) => {
  const rows: ScheduleRow[] = depreciationSchedule(input);
  const salvage = new Decimal(input.method === 'macrs' ? 0 : (input.salvageValue as string));

  it('sums exactly to the depreciable base (cost − salvage; MACRS: cost) and ends at salvage', () => {
    const sum = rows.reduce((a, r) => a.plus(r.amount), new Decimal(0));
    expect(sum.toFixed(2)).toBe(depreciableBase(input).toFixed(2));
    expect(rows.at(-1)!.bookValue).toBe(salvage.toFixed(2));
  });

  it('never goes below salvage; accumulated rises monotonically and is the running sum; amounts are not negative', () => {
    let running = new Decimal(0);
    for (const row of rows) {
      expect(new Decimal(row.amount).gte(0)).toBe(true);
      running = running.plus(row.amount);
      expect(row.accumulated).toBe(running.toFixed(2));
      expect(new Decimal(row.bookValue).gte(salvage)).toBe(true);
      expect(new Decimal(row.bookValue).plus(row.accumulated).toFixed(2)).toBe(new Decimal(input.cost as string).toFixed(2));
    }
  });

  it('has contiguous fiscal periods numbered from 1, the first containing the in-service date', () => {
    rows.forEach((row, i) => {
      expect(row.period).toBe(i + 1);
      if (i > 0) expect(row.periodStart).toBe(dayAfter(rows[i - 1].periodEnd));
      const [mm, dd] = input.fiscalYearStart!.split('-');
      if (input.periodFrequency === 'year') expect(row.periodStart.slice(5)).toBe(`${mm}-${dd}`);
      else expect(row.periodStart.slice(8)).toBe(dd);
    });
    expect(rows[0].periodStart <= input.placedInService! && input.placedInService! <= rows[0].periodEnd).toBe(true);
  });

  it("scheduledAccumulatedAt (what a period run posts up to) is the schedule's accumulated at every row end, between rows and outside the schedule", () => {
    const accumulatedAt = (date: string) => {
      let acc = '0.00';
      for (const r of rows) if (r.periodEnd <= date) acc = r.accumulated;
      return acc;
    };
    const dates = rows.flatMap((r) => [r.periodEnd, dayAfter(r.periodEnd), r.periodStart]);
    if (rows.length) dates.push('1990-01-01', '2199-12-31', dayAfter(dayAfter(rows[Math.floor(rows.length / 2)].periodStart)));
    for (const date of dates) expect(scheduledAccumulatedAt(input, date).toFixed(2), date).toBe(accumulatedAt(date));
  });

  it('depreciationUpTo at a period end is the accumulated depreciation of that row', () => {
    // Actual days count the last day of a period; under full-month a date counts nothing of its month, so the first
    // day of the next period closes the previous one. (Averaging conventions deem a date to be mid-period.)
    const closing = { 'actual-days': (row: ScheduleRow) => row.periodEnd, 'full-month': (row: ScheduleRow) => dayAfter(row.periodEnd) } as Record<string, (row: ScheduleRow) => string>;
    const dateFor = closing[input.convention!];
    if (!dateFor) return;
    for (const row of rows.slice(0, 30)) expect(depreciationUpTo(input, dateFor(row)).accumulated).toBe(row.accumulated);
  });
});

describe('monthly and yearly schedules agree', () => {
  it.each(cases().filter((c) => c.input.periodFrequency === 'month'))('$name: the months of each fiscal year add up to its yearly row', ({ input }) => {
    const months = depreciationSchedule(input);
    const years = depreciationSchedule({ ...input, periodFrequency: 'year' });
    const byYear = years.map((y) =>
      months
        .filter((m) => m.periodStart >= y.periodStart && m.periodEnd <= y.periodEnd)
        .reduce((a, m) => a.plus(m.amount), new Decimal(0))
        .toFixed(2),
    );
    expect(byYear).toEqual(years.map((y) => y.amount));
  });
});
