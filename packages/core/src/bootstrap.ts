import type { Platform } from './kernel/platform.js';
import { SYSTEM_ACTOR } from './kernel/transaction.js';
import { createUser } from './modules/access/access.routes.js';
import { execute } from './kernel/sql.js';

/**
 * Create the first administrator if the platform has no users yet. Idempotent: returns false and
 * changes nothing once any user exists.
 */
export async function ensureAdministrator(platform: Platform, input: { email: string; password: string; name?: string }): Promise<boolean> {
  return platform.context('core').transaction(SYSTEM_ACTOR, async (tx) => {
    // Serialise concurrent first starts.
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('core.bootstrap-admin'))`);
    const [any] = await tx.execute(`SELECT 1 FROM core_user LIMIT 1`);
    if (any) return false;
    const [role] = await tx.execute<{ id: string }>(`SELECT id FROM core_role WHERE name = 'Administrator' AND built_in`);
    await createUser(tx, { email: input.email, password: input.password, name: input.name ?? 'Administrator', roleIds: [role.id] });
    return true;
  });
}

export async function userCount(platform: Platform): Promise<number> {
  const [row] = await execute<{ n: string }>(platform.orm.em.fork(), `SELECT count(*) AS n FROM core_user`);
  return Number(row.n);
}
