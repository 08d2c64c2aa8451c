import type { Actor, PluginContext, Transaction } from '@quartermaster/sdk';

/** What reads and writes need. */
export type Db = Pick<Transaction, 'execute'>;

/** The connector acting on its own (booking events it was told about). */
export const CONNECTOR_ACTOR: Actor = { type: 'system', userId: null, label: 'erp-journal', permissions: new Set() };

/** Read in a short transaction of its own (the SDK gives plugins SQL only through transactions). */
export const read = <R>(ctx: PluginContext<any>, work: (db: Db) => Promise<R>): Promise<R> => ctx.transaction(CONNECTOR_ACTOR, (tx) => work(tx));
