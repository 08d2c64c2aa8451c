/**
 * Labour booked on work orders: whose rate applies, and what the time costs.
 *
 * The hourly rate is the technician's own (`maintenance_technician.hourly_rate`), else the rate of
 * the work order's team when the technician is a member of it, else the rate of the first (by name)
 * of the technician's teams that has one, else the option `defaultHourlyRate`. The cost is
 * minutes / 60 × rate, rounded half-even to the currency's minor unit (option `currencyMinorUnits`).
 */
import type { Db } from '@quartermaster/core';
import { D, dec, type Dec } from '../../domain/index.js';

export type RateSource = 'technician' | 'team' | 'default';

export async function hourlyRateFor(db: Db, userId: string | null, workOrderTeamId: string | null, defaultRate: string): Promise<{ rate: Dec; source: RateSource; teamId: string | null }> {
  if (userId) {
    const [row] = await db.execute<{ own: string | null; wo_team: string | null; any_team: string | null; any_team_id: string | null }>(
      `SELECT (SELECT hourly_rate::text FROM maintenance_technician WHERE user_id = $1) AS own,
              (SELECT t.hourly_rate::text FROM maintenance_team t JOIN maintenance_team_member m ON m.team_id = t.id WHERE t.id = $2 AND m.user_id = $1) AS wo_team,
              f.hourly_rate::text AS any_team, f.id AS any_team_id
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT t.id, t.hourly_rate FROM maintenance_team t JOIN maintenance_team_member m ON m.team_id = t.id
                             WHERE m.user_id = $1 AND t.hourly_rate IS NOT NULL ORDER BY lower(t.name), t.id LIMIT 1) f ON true`,
      [userId, workOrderTeamId],
    );
    if (row.own !== null) return { rate: dec(row.own), source: 'technician', teamId: null };
    if (row.wo_team !== null) return { rate: dec(row.wo_team), source: 'team', teamId: workOrderTeamId };
    if (row.any_team !== null) return { rate: dec(row.any_team), source: 'team', teamId: row.any_team_id };
  }
  return { rate: dec(defaultRate), source: 'default', teamId: null };
}

/** minutes / 60 × rate, rounded half-even to `minorUnits` decimals. */
export function labourCost(minutes: number, rate: Dec, minorUnits: number): Dec {
  return new D(minutes).div(60).times(rate).toDecimalPlaces(minorUnits, D.ROUND_HALF_EVEN);
}
