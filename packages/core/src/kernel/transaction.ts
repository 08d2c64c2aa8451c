import type { MikroORM } from '@mikro-orm/core';
import { Value } from '@sinclair/typebox/value';
import type { Actor, AuditEntry, EventEnvelope, Transaction } from '@quartermaster/sdk';
import type { EventBus } from './events.js';
import { execute } from './sql.js';

export const SYSTEM_ACTOR: Actor = Object.freeze({
  type: 'system',
  userId: null,
  label: 'system',
  permissions: new Set(['*']),
}) as Actor;

/**
 * Build `transaction(actor, work)` for one plugin: the change, its audit rows and its outbox events
 * commit together or not at all; events reach subscribers only after the commit.
 */
export function transactionRunner(orm: MikroORM, bus: EventBus, pluginId: string, emits: ReadonlySet<string>) {
  return async function transaction<R>(actor: Actor, work: (tx: Transaction) => Promise<R>): Promise<R> {
    // A deadlock or serialisation failure rolled everything back, so running the work again is safe.
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(actor, work);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  };

  async function once<R>(actor: Actor, work: (tx: Transaction) => Promise<R>): Promise<R> {
    let committed: EventEnvelope[] = [];
    const result = await orm.em.fork().transactional(async (em) => {
      // Audit rows and outbox events are kept until the work is done and then written in one
      // statement, still inside the transaction: one round trip instead of one or two per row.
      const audits: AuditEntry[] = [];
      const events: { name: string; payload: unknown }[] = [];
      const tx: Transaction = {
        em,
        actor,
        execute: (sql, params) => execute(em, sql, params ?? []),
        async audit(entry) {
          audits.push(entry);
        },
        async emit(event, payload) {
          if (!emits.has(event.name)) {
            throw new Error(`Plugin "${pluginId}" emits "${event.name}" but does not declare it in events.emits`);
          }
          if (!Value.Check(event.schema, payload)) {
            const first = [...Value.Errors(event.schema, payload)][0];
            throw new Error(`Event "${event.name}" payload is invalid at ${first?.path || '(root)'}: ${first?.message}`);
          }
          events.push({ name: event.name, payload });
        },
      };
      const out = await work(tx);
      committed = await bus.writeJournal(em, pluginId, actor, audits, events);
      return out;
    });
    if (committed.length) bus.committed(committed);
    return result;
  }
}

const MAX_ATTEMPTS = 3;
function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  return code === '40001' || code === '40P01';
}
