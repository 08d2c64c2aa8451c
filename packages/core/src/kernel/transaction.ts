import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Value } from '@sinclair/typebox/value';
import { aggregateKeyOf, type Actor, type AuditEntry, type EventEnvelope, type Transaction } from '@quartermaster/sdk';
import type { EventBus } from './events.js';
import { execute } from './sql.js';

export const SYSTEM_ACTOR: Actor = Object.freeze({
  type: 'system',
  userId: null,
  label: 'system',
  permissions: new Set(['*']),
}) as Actor;

/** What one plugin did in a transaction: written to the journal, under its own name, when the work is done. */
interface Part {
  pluginId: string;
  actor: Actor;
  audits: AuditEntry[];
  events: { name: string; payload: unknown; aggregate: string | null }[];
}

/** The parts of the database transaction a Transaction belongs to (hidden, so only the core can join one). */
const PARTS = Symbol('quartermaster.transaction.parts');

/** A plugin's view of a database transaction: its audit records and events are its own part of the journal. */
function transactionView(em: EntityManager, actor: Actor, pluginId: string, emits: ReadonlySet<string>, parts: Part[]): Transaction {
  const part: Part = { pluginId, actor, audits: [], events: [] };
  parts.push(part);
  const tx: Transaction = {
    em,
    actor,
    execute: (sql, params) => execute(em, sql, params ?? []),
    async audit(entry) {
      part.audits.push(entry);
    },
    async emit(event, payload) {
      if (!emits.has(event.name)) {
        throw new Error(`Plugin "${pluginId}" emits "${event.name}" but does not declare it in events.emits`);
      }
      if (!Value.Check(event.schema, payload)) {
        const first = [...Value.Errors(event.schema, payload)][0];
        throw new Error(`Event "${event.name}" payload is invalid at ${first?.path || '(root)'}: ${first?.message}`);
      }
      part.events.push({ name: event.name, payload, aggregate: aggregateKeyOf(event, payload) });
    },
  };
  Object.defineProperty(tx, PARTS, { value: parts, enumerable: false });
  return tx;
}

/**
 * Build `transaction(actor, work)` for one plugin: the change, its audit rows and its outbox events
 * commit together or not at all; events reach subscribers only after the commit. `join(tx, work)`
 * lets a plugin's service do its part inside a caller's transaction (another plugin's): its audit
 * records and events carry its own plugin id and are checked against its own declarations.
 */
export function transactionRunner(orm: MikroORM, bus: EventBus, pluginId: string, emits: ReadonlySet<string>) {
  async function transaction<R>(actor: Actor, work: (tx: Transaction) => Promise<R>): Promise<R> {
    // A deadlock or serialisation failure rolled everything back, so running the work again is safe.
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(actor, work);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  async function once<R>(actor: Actor, work: (tx: Transaction) => Promise<R>): Promise<R> {
    const committed: EventEnvelope[] = [];
    const result = await orm.em.fork().transactional(async (em) => {
      // Audit rows and outbox events are kept until the work is done and then written in one
      // statement per plugin taking part, still inside the transaction.
      const parts: Part[] = [];
      const out = await work(transactionView(em, actor, pluginId, emits, parts));
      for (const p of parts) committed.push(...(await bus.writeJournal(em, p.pluginId, p.actor, p.audits, p.events)));
      return out;
    });
    if (committed.length) bus.committed(committed);
    return result;
  }

  async function join<R>(tx: Transaction, work: (tx: Transaction) => Promise<R>): Promise<R> {
    const parts = (tx as unknown as { [PARTS]?: Part[] })[PARTS];
    if (!parts) throw new Error(`Plugin "${pluginId}" joined something that is not a transaction from ctx.transaction`);
    return work(transactionView(tx.em as EntityManager, tx.actor, pluginId, emits, parts));
  }

  return { transaction, join };
}

const MAX_ATTEMPTS = 3;
function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  return code === '40001' || code === '40P01';
}
