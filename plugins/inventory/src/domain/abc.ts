/**
 * ABC classification by annual consumption value (Pareto): items sorted by value, the ones making
 * up the first `aShare` of the total are A, the next `bShare` are B, the rest C. An item straddling
 * a boundary belongs to the class where its value starts, so the top item is always A.
 */
import { ZERO, dec, type Dec, type DecimalInput } from './money.js';

export type AbcClass = 'A' | 'B' | 'C';

export function classifyAbc<K>(items: { key: K; value: DecimalInput }[], aShare: DecimalInput = '0.8', bShare: DecimalInput = '0.15'): Map<K, { cls: AbcClass; share: Dec; cumulative: Dec }> {
  const rows = items.map((i) => ({ key: i.key, value: dec(i.value) })).sort((x, y) => y.value.comparedTo(x.value));
  const total = rows.reduce((s, r) => s.plus(r.value), ZERO);
  const a = dec(aShare);
  const ab = a.plus(dec(bShare));
  const out = new Map<K, { cls: AbcClass; share: Dec; cumulative: Dec }>();
  let before = ZERO;
  for (const r of rows) {
    const share = total.gt(0) ? r.value.div(total) : ZERO;
    // Where the item starts on the cumulative curve decides its class.
    const cls: AbcClass = r.value.lte(0) ? 'C' : before.lt(a) ? 'A' : before.lt(ab) ? 'B' : 'C';
    before = before.plus(share);
    out.set(r.key, { cls, share, cumulative: before });
  }
  return out;
}

/** Days between cycle counts per class. */
export interface CountIntervals {
  A: number;
  B: number;
  C: number;
}

/** The next date an item of this class is due for counting (ISO date), from its last count (or now if never). */
export function nextCountDue(cls: AbcClass, lastCounted: Date | null, intervals: CountIntervals, today: Date): string {
  if (!lastCounted) return today.toISOString().slice(0, 10);
  return new Date(lastCounted.getTime() + intervals[cls] * 86_400_000).toISOString().slice(0, 10);
}
