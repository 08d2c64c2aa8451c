/**
 * The closed-period rule for postings of other plugins (inventory moves): a posting dated on or
 * before the last closed day is refused, or — when that is the domain's rule — re-dated to the
 * first instant of the first open period (00:00 UTC of the day after the last closed day).
 */
import type { PostingDateDecision } from '@quartermaster/sdk';
import { firstOpenDay, isClosed, periodOf } from './periods.js';

export type BackDatedRule = 'refuse' | 'redate';

export function decidePosting(closedThrough: string | null, effectiveAt: string, rule: BackDatedRule): PostingDateDecision {
  if (!isClosed(effectiveAt, closedThrough)) return { action: 'accept' };
  const period = periodOf(effectiveAt);
  const through = closedThrough!;
  if (rule === 'refuse') return { action: 'refuse', period, reason: `the accounting period ${period} is closed (closed through ${through}); post it in ${periodOf(firstOpenDay(through))} or later` };
  const open = firstOpenDay(through);
  return { action: 'redate', period, effectiveAt: `${open}T00:00:00.000Z`, reason: `the accounting period ${period} is closed (closed through ${through}): posted on ${open}, the first day of the open period` };
}
