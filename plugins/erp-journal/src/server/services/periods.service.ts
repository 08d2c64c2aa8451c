/**
 * Closing periods. Everything through the last day of the closed period is closed: closing
 * `2026-10` closes it and every month before it. A period closes only when every entry of it and
 * before it is in the ERP — pushed and acknowledged — or, without an ERP target, exported as a file.
 * Only the latest closed period can be reopened. The close takes the control row FOR UPDATE, while
 * postings and bookings share-lock it: a close waits for postings in flight, and they see it after.
 */
import { ProblemError, postingPeriodGuards, type PostingPeriodGuard, type Transaction } from '@quartermaster/sdk';
import { PeriodClosed, PeriodReopened } from '../../shared/index.js';
import { decidePosting } from '../../domain/guard.js';
import { periodRange } from '../../domain/periods.js';
import type { ErpJournalOptions } from '../options.js';
import { closedThrough } from './journal.service.js';

export { postingPeriodGuards };

export function periodGuard(options: () => ErpJournalOptions): PostingPeriodGuard {
  return {
    id: 'erp-journal.periods',
    async check(tx, request) {
      const through = await closedThrough(tx, 'share');
      const rule = options().backDatedPostings?.[request.domain] ?? 'refuse';
      return decidePosting(through, request.effectiveAt, rule);
    },
  };
}

const problem = (type: string, title: string, detail: string, extensions: Record<string, unknown> = {}) => new ProblemError({ type: `erp-journal/${type}`, status: 409, title, detail, extensions: { field: 'period', ...extensions } });

export async function closePeriod(tx: Transaction, period: string, o: { pushRequired: boolean; today: string }) {
  const range = periodRange(period);
  const through = await closedThrough(tx, 'update');
  if (through && range.end <= through) throw problem('period-closed', 'Period already closed', `${period} is closed (everything through ${through} is)`, { period, closedThrough: through });
  if (range.end >= o.today) throw problem('period-not-over', 'Period not over', `${period} ends on ${range.end}; close it after that day`, { period });
  const waiting = await tx.execute<{ period: string; n: string }>(
    `SELECT period, count(*)::text AS n FROM erp_journal_entry
      WHERE entry_date <= $1::date AND push_status <> 'pushed' AND ($2::boolean OR exported_at IS NULL) GROUP BY period ORDER BY period`,
    [range.end, o.pushRequired],
  );
  if (waiting.length) {
    const n = waiting.reduce((a, w) => a + Number(w.n), 0);
    const how = o.pushRequired ? 'pushed to the ERP' : 'pushed to the ERP or exported';
    throw problem('period-not-exported', 'Entries not exported', `${n} entr${n === 1 ? 'y' : 'ies'} through ${range.end} ${n === 1 ? 'is' : 'are'} not yet ${how} (${waiting.map((w) => `${w.period}: ${w.n}`).join(', ')})`, {
      period,
      waiting: waiting.map((w) => ({ period: w.period, entries: Number(w.n) })),
    });
  }
  const [{ n }] = await tx.execute<{ n: string }>(`SELECT count(*)::text AS n FROM erp_journal_entry WHERE period = $1`, [period]);
  await tx.execute(`INSERT INTO erp_journal_period (period, closed_by_label, entries) VALUES ($1, $2, $3)`, [period, tx.actor.label, Number(n)]);
  await tx.execute(`UPDATE erp_journal_control SET closed_through = $1::date WHERE id = 1`, [range.end]);
  const payload = { period, closedThrough: range.end, entries: Number(n), closedBy: tx.actor.label };
  await tx.audit({ action: 'closed', entityType: 'erp-journal.period', entityId: period, before: { closedThrough: through }, after: payload });
  await tx.emit(PeriodClosed, payload);
  return payload;
}

export async function reopenPeriod(tx: Transaction, period: string) {
  const through = await closedThrough(tx, 'update');
  const [last] = await tx.execute<{ period: string }>(`SELECT period FROM erp_journal_period ORDER BY period DESC LIMIT 1`);
  if (!last || last.period !== period) {
    throw problem('not-last-closed', 'Not the last closed period', last ? `Only the last closed period, ${last.period}, can be reopened` : 'No period is closed', { period, lastClosed: last?.period ?? null });
  }
  await tx.execute(`DELETE FROM erp_journal_period WHERE period = $1`, [period]);
  const [prev] = await tx.execute<{ period: string }>(`SELECT period FROM erp_journal_period ORDER BY period DESC LIMIT 1`);
  const now = prev ? periodRange(prev.period).end : null;
  await tx.execute(`UPDATE erp_journal_control SET closed_through = $1::date WHERE id = 1`, [now]);
  const payload = { period, closedThrough: now, reopenedBy: tx.actor.label };
  await tx.audit({ action: 'reopened', entityType: 'erp-journal.period', entityId: period, before: { closedThrough: through }, after: payload });
  await tx.emit(PeriodReopened, payload);
  return payload;
}
