import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { aggregateKeyOf, defineEvent, eventMatches } from '../src/events.js';

describe('defineEvent', () => {
  it('defaults the aggregate to the name without its verb and the payload id', () => {
    const e = defineEvent('fixed-assets.asset.disposed', Type.Object({ id: Type.String() }));
    expect(e.aggregate).toEqual({ type: 'fixed-assets.asset', field: 'id' });
    expect(aggregateKeyOf(e, { id: 'a1' })).toBe('fixed-assets.asset:a1');
  });

  it('takes a description, or the schema description, and a declared aggregate (a dotted path for nested fields)', () => {
    const e = defineEvent('inventory.move.posted', Type.Object({ line: Type.Object({ itemId: Type.String() }) }, { description: 'A move was posted.' }), {
      aggregate: { type: 'core.item', field: 'line.itemId' },
    });
    expect(e.description).toBe('A move was posted.');
    expect(aggregateKeyOf(e, { line: { itemId: 'i9' } })).toBe('core.item:i9');
    expect(defineEvent('a.b.c', Type.Object({}), { description: 'Own words' }).description).toBe('Own words');
  });

  it('has no key when the event is unordered or the payload lacks the field', () => {
    const unordered = defineEvent('gps.positions.pruned', Type.Object({ deleted: Type.Integer() }), { aggregate: false });
    expect(unordered.aggregate).toBeNull();
    expect(aggregateKeyOf(unordered, { id: 'x' })).toBeNull();
    const e = defineEvent('inventory.stock.out', Type.Object({ itemId: Type.String() }));
    expect(aggregateKeyOf(e, { itemId: 'x' })).toBeNull();
    expect(aggregateKeyOf(e, { id: null })).toBeNull();
    expect(aggregateKeyOf(e, { id: '' })).toBeNull();
    expect(aggregateKeyOf(e, { id: 42 })).toBe('inventory.stock:42');
    // Events built by hand before aggregates existed get the default.
    expect(aggregateKeyOf({ name: 'core.item.created' }, { id: 'u' })).toBe('core.item:u');
  });
});

describe('eventMatches', () => {
  it('matches exact names, prefixes ending in .* and *', () => {
    expect(eventMatches('core.item.created', 'core.item.created')).toBe(true);
    expect(eventMatches('core.item.created', 'core.item.updated')).toBe(false);
    expect(eventMatches('inventory.*', 'inventory.move.posted')).toBe(true);
    expect(eventMatches('core.item.*', 'core.item.updated')).toBe(true);
    expect(eventMatches('core.item.*', 'core.items.updated')).toBe(false);
    expect(eventMatches('inventory.*', 'inventory-extra.move.posted')).toBe(false);
    expect(eventMatches('*', 'gps.geofence.entered')).toBe(true);
  });
});
