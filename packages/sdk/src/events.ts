import type { Static, TSchema } from '@sinclair/typebox';

/**
 * Which aggregate an event is about, so deliveries to one webhook keep that aggregate's events in
 * order. The key is `<type>:<payload[field]>`, e.g. `core.item:3f0c…`.
 */
export interface EventAggregate {
  /** The aggregate's kind, e.g. `core.item`. */
  readonly type: string;
  /** Payload field (a dotted path for nested ones) holding the aggregate's id, e.g. `id` or `itemId`. */
  readonly field: string;
}

export interface EventOptions {
  /** What happened, in one sentence; shown in the event catalogue (else the schema's own `description`). */
  description?: string;
  /**
   * How to find the aggregate in the payload. Default: type = the name without its last segment
   * (`core.item.updated` → `core.item`), field = `id`. `false`: the event belongs to no aggregate and
   * is delivered without ordering. A payload whose field is missing or null is not ordered either.
   */
  aggregate?: { type?: string; field?: string } | false;
}

/** A typed event: a dotted name owned by one plugin plus the TypeBox schema of its payload. */
export interface EventDefinition<S extends TSchema = TSchema> {
  readonly kind: 'event';
  /** `<plugin-id>.<noun>.<past-tense-verb>`, e.g. `core.item.created`. */
  readonly name: string;
  readonly schema: S;
  readonly description?: string;
  /** null when the event is declared without an aggregate. */
  readonly aggregate?: EventAggregate | null;
}

export type EventPayload<E> = E extends EventDefinition<infer S> ? Static<S> : never;

const EVENT_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export function defineEvent<S extends TSchema>(name: string, schema: S, options: EventOptions = {}): EventDefinition<S> {
  if (!EVENT_NAME.test(name)) {
    throw new Error(`Event name "${name}" must be dotted lower-case, e.g. "inventory.stock.moved"`);
  }
  const aggregate =
    options.aggregate === false
      ? null
      : Object.freeze({ type: options.aggregate?.type ?? name.slice(0, name.lastIndexOf('.')), field: options.aggregate?.field ?? 'id' });
  const description = options.description ?? (typeof schema.description === 'string' ? schema.description : undefined);
  return Object.freeze({ kind: 'event' as const, name, schema, aggregate, ...(description ? { description } : {}) });
}

/**
 * The aggregate key of one event's payload (`core.item:<id>`), or null when the event has no
 * aggregate or the payload lacks the field. Events defined before aggregates existed (no
 * `aggregate` member) get the default.
 */
export function aggregateKeyOf(event: Pick<EventDefinition, 'name' | 'aggregate'>, payload: unknown): string | null {
  const agg = event.aggregate === undefined ? { type: event.name.slice(0, event.name.lastIndexOf('.')), field: 'id' } : event.aggregate;
  if (!agg) return null;
  let v: unknown = payload;
  for (const part of agg.field.split('.')) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[part];
  }
  if (typeof v === 'string' ? v === '' : typeof v !== 'number') return null;
  return `${agg.type}:${v}`;
}

/** Whether an event name matches a subscription pattern: an exact name, `*` (everything) or `prefix.*` (every name under the prefix). */
export function eventMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** Metadata delivered with every event to a subscriber. */
export interface EventEnvelope<P = unknown> {
  /** Outbox sequence number, unique and increasing. */
  id: string;
  name: string;
  payload: P;
  /** Plugin that emitted the event. */
  source: string;
  /** UTC ISO timestamp of the transaction that emitted it. */
  occurredAt: string;
  /** Who caused it, if a person or token did. */
  actorId: string | null;
  /** How many times delivery to this subscriber was tried before (0 on the first try). */
  attempt: number;
}

export type EventHandler<P = unknown> = (event: EventEnvelope<P>) => Promise<void> | void;
