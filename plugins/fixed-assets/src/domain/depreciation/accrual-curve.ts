/**
 * The accrual curve: how much depreciation has accrued (exactly, before any rounding) at any point
 * of an asset's life. Every time-based method is reduced to a list of segments, each accruing its
 * amount evenly between two points of the fiscal time line; a schedule row, a disposal-date
 * catch-up or a month inside a year are all just the difference of the curve at two points.
 *
 * The fiscal time line: x = j + f, where j counts fiscal years from the one the asset was placed in
 * service in (j = 0) and f ∈ [0, 1) is the fraction of fiscal year j already gone — in twelfths for
 * the month-based conventions, in days / days-in-that-year for 'actual-days'.
 */
import { D, type Dec, ZERO, max, min } from '../money.js';

export interface Segment {
  from: Dec;
  to: Dec;
  amount: Dec;
}

export class AccrualCurve {
  /**
   * When the segments follow one another without overlapping (every method builds them so), the
   * accrual before each segment, for a binary search instead of a walk over all of them: a run over
   * a large register evaluates the curve at every month end of every asset.
   */
  private readonly before: Dec[] | undefined;

  constructor(readonly segments: Segment[]) {
    const ordered = segments.every((s, i) => i === 0 || segments[i - 1].to.lte(s.from));
    if (ordered) {
      let total = ZERO;
      this.before = segments.map((s) => {
        const b = total;
        total = total.plus(s.amount);
        return b;
      });
    }
  }

  /** Depreciation accrued from the start of life up to point x. */
  at(x: Dec): Dec {
    const segments = this.segments;
    if (this.before) {
      // The last segment starting before x: everything before it has accrued in full.
      let lo = 0;
      let hi = segments.length - 1;
      if (hi < 0 || x.lte(segments[0].from)) return ZERO;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (x.gt(segments[mid].from)) lo = mid;
        else hi = mid - 1;
      }
      const { from, to, amount } = segments[lo];
      return x.gte(to) ? this.before[lo].plus(amount) : this.before[lo].plus(amount.times(x.minus(from)).div(to.minus(from)));
    }
    let total = ZERO;
    for (const { from, to, amount } of segments) {
      if (x.lte(from)) continue;
      total = x.gte(to) ? total.plus(amount) : total.plus(amount.times(x.minus(from)).div(to.minus(from)));
    }
    return total;
  }

  /** Depreciation accrued between two points. */
  between(a: Dec, b: Dec): Dec {
    return this.at(b).minus(this.at(a));
  }

  /** The point where the last segment ends: the end of the asset's life. */
  get end(): Dec {
    return this.segments.reduce<Dec>((e, s) => max(e, s.to), ZERO);
  }
}

/**
 * Life years laid on the time line: life year k runs from x0 + k − 1 for its length (1, or the
 * fraction left of a fractional life) and accrues amounts[k] evenly. This is how a textbook splits
 * a life year that straddles two fiscal years (Kieso, "Depreciation and Partial Periods").
 */
export function lifeYearSegments(x0: Dec, lengths: Dec[], amounts: Dec[]): Segment[] {
  let from = x0;
  return amounts.map((amount, k) => {
    const to = from.plus(lengths[k]);
    const segment = { from, to, amount };
    from = to;
    return segment;
  });
}

/** Lengths of the life years of a life of `life` years: whole years, then the fraction left (2.5 → 1, 1, 0.5). */
export function lifeYearLengths(life: Dec): Dec[] {
  const lengths: Dec[] = [];
  let left = life;
  while (left.gt(0)) {
    const length = min(left, new D(1));
    lengths.push(length);
    left = left.minus(length);
  }
  return lengths;
}

/**
 * The fiscal-year pieces of the interval [x0, xEnd): for each fiscal year touched, where the asset's
 * time in it starts and ends. Declining balance and MACRS work per fiscal (tax) year on these.
 */
export function fiscalYearPieces(x0: Dec, xEnd: Dec): { year: number; from: Dec; to: Dec }[] {
  const pieces: { year: number; from: Dec; to: Dec }[] = [];
  for (let j = x0.floor().toNumber(); xEnd.gt(j); j++) {
    const from = max(x0, new D(j));
    const to = min(xEnd, new D(j + 1));
    if (to.gt(from)) pieces.push({ year: j, from, to });
  }
  return pieces;
}
