import { describe, expect, it } from 'vitest';
import { ASSET_STATUSES, DISPOSAL_KINDS, type AssetStatus } from '../../src/shared/constants.js';
import { BOOKABLE_STATUSES, TRANSITIONS, checkTransition, disposalKindsFrom, nextStatuses } from '../../src/domain/lifecycle.js';

/**
 * The lifecycle table, written out: every (from, to) pair either has exactly these outcomes or is
 * illegal. The lifecycle: ordered → received → in service → (checked out / in maintenance
 * / in transit, each returning to in service) → retired → disposed.
 */
const LEGAL: Record<AssetStatus, AssetStatus[]> = {
  ordered: ['received', 'disposed'],
  received: ['in-service', 'disposed'],
  'in-service': ['checked-out', 'in-maintenance', 'in-transit', 'retired', 'disposed'],
  'checked-out': ['in-service', 'disposed'],
  'in-maintenance': ['in-service', 'disposed'],
  'in-transit': ['in-service', 'disposed'],
  retired: ['in-service', 'disposed'],
  disposed: [],
};

describe('lifecycle state machine', () => {
  it('allows exactly the transitions of the table', () => {
    for (const from of ASSET_STATUSES) {
      expect(new Set(nextStatuses(from)), from).toEqual(new Set(LEGAL[from]));
      for (const to of ASSET_STATUSES) {
        if (to === 'disposed') continue; // needs a kind, below
        const check = checkTransition(from, to);
        expect(check.ok, `${from} → ${to}`).toBe(LEGAL[from].includes(to));
      }
    }
  });

  it('names the event and the operation of each transition', () => {
    const byPair = (from: AssetStatus, to: AssetStatus) => {
      const c = checkTransition(from, to, to === 'disposed' ? 'lost' : undefined);
      if (!c.ok) throw new Error(`${from} → ${to} should be legal`);
      return [c.transition.action, c.transition.event, c.transition.via];
    };
    expect(byPair('ordered', 'received')).toEqual(['receive', 'received', 'transition']);
    expect(byPair('received', 'in-service')).toEqual(['place-in-service', 'placed-in-service', 'transition']);
    expect(byPair('in-service', 'checked-out')).toEqual(['check-out', 'checked-out', 'custody']);
    expect(byPair('checked-out', 'in-service')).toEqual(['check-in', 'checked-in', 'custody']);
    expect(byPair('in-service', 'in-maintenance')).toEqual(['start-maintenance', 'maintenance-started', 'transition']);
    expect(byPair('in-maintenance', 'in-service')).toEqual(['end-maintenance', 'maintenance-ended', 'transition']);
    expect(byPair('in-service', 'in-transit')).toEqual(['dispatch', 'dispatched', 'transition']);
    expect(byPair('in-transit', 'in-service')).toEqual(['arrive', 'arrived', 'transition']);
    expect(byPair('in-service', 'retired')).toEqual(['retire', 'retired', 'transition']);
    expect(byPair('retired', 'in-service')).toEqual(['reinstate', 'reinstated', 'transition']);
    expect(byPair('retired', 'disposed')).toEqual(['dispose', 'disposed', 'disposal']);
    expect(byPair('checked-out', 'disposed')).toEqual(['write-off', 'disposed', 'disposal']);
  });

  it('sells, scraps and donates only retired assets; writes off lost and stolen ones from anywhere in use', () => {
    expect(disposalKindsFrom('retired')).toEqual(['sold', 'scrapped', 'donated', 'lost', 'stolen']);
    for (const s of ['in-service', 'checked-out', 'in-maintenance', 'in-transit'] as const) expect(disposalKindsFrom(s), s).toEqual(['lost', 'stolen']);
    expect(disposalKindsFrom('received')).toEqual(['lost', 'stolen', 'returned']);
    expect(disposalKindsFrom('ordered')).toEqual(['returned']);
    expect(disposalKindsFrom('disposed')).toEqual([]);

    const sale = checkTransition('in-service', 'disposed', 'sold');
    expect(sale).toEqual({ ok: false, reason: 'disposal-kind', from: 'in-service', to: 'disposed', allowed: LEGAL['in-service'], allowedKinds: ['lost', 'stolen'] });
    expect(checkTransition('retired', 'disposed')).toMatchObject({ ok: false, reason: 'disposal-kind' });
    expect(checkTransition('retired', 'disposed', 'returned')).toMatchObject({ ok: false, reason: 'disposal-kind', allowedKinds: ['sold', 'scrapped', 'donated', 'lost', 'stolen'] });
    for (const kind of DISPOSAL_KINDS) expect(checkTransition('disposed', 'disposed', kind)).toMatchObject({ ok: false, reason: 'same-status' });
  });

  it('says why an illegal transition is refused and where the asset may go instead', () => {
    expect(checkTransition('in-service', 'in-service')).toEqual({ ok: false, reason: 'same-status', from: 'in-service', to: 'in-service', allowed: LEGAL['in-service'] });
    expect(checkTransition('ordered', 'in-service')).toEqual({ ok: false, reason: 'illegal', from: 'ordered', to: 'in-service', allowed: ['received', 'disposed'] });
    // The spells away from service never chain.
    expect(checkTransition('checked-out', 'in-maintenance')).toMatchObject({ ok: false, reason: 'illegal' });
    expect(checkTransition('in-maintenance', 'in-transit')).toMatchObject({ ok: false, reason: 'illegal' });
    expect(checkTransition('retired', 'checked-out')).toMatchObject({ ok: false, reason: 'illegal' });
    // Nothing leaves disposed.
    for (const to of ASSET_STATUSES) expect(checkTransition('disposed', to).ok).toBe(false);
  });

  it('has one event name per transition, and no status unreachable from ordered', () => {
    for (const x of TRANSITIONS) expect(x.event, `${x.action}`).toMatch(/^[a-z]+(-[a-z]+)*$/);
    const seen = new Set<AssetStatus>(['ordered']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const x of TRANSITIONS) {
        if (seen.has(x.from) && !seen.has(x.to)) {
          seen.add(x.to);
          changed = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...ASSET_STATUSES].sort());
  });

  it('books only assets that are or will be back in service', () => {
    expect([...BOOKABLE_STATUSES].sort()).toEqual(['checked-out', 'in-maintenance', 'in-service', 'in-transit']);
  });
});
