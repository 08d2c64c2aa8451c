import type { Static, TSchema } from '@sinclair/typebox';

/** A typed event: a dotted name owned by one plugin plus the TypeBox schema of its payload. */
export interface EventDefinition<S extends TSchema = TSchema> {
  readonly kind: 'event';
  /** `<plugin-id>.<noun>.<past-tense-verb>`, e.g. `core.item.created`. */
  readonly name: string;
  readonly schema: S;
}

export type EventPayload<E> = E extends EventDefinition<infer S> ? Static<S> : never;

export function defineEvent<S extends TSchema>(name: string, schema: S): EventDefinition<S> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(name)) {
    throw new Error(`Event name "${name}" must be dotted lower-case, e.g. "inventory.stock.moved"`);
  }
  return Object.freeze({ kind: 'event' as const, name, schema });
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
