import type { Platform } from './kernel/platform.js';
import { SYSTEM_ACTOR } from './kernel/transaction.js';
import { createUser } from './modules/access/access.routes.js';
import { execute } from './kernel/sql.js';
import { hashPassword } from './modules/access/passwords.js';

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

/**
 * Command-line recovery and bootstrap: make `email` an active administrator with this password,
 * creating the user if needed. Ends the user's existing sessions. Audited as the command line.
 */
export async function upsertAdministrator(platform: Platform, input: { email: string; password: string; name?: string }): Promise<'created' | 'updated'> {
  const actor = { ...SYSTEM_ACTOR, label: 'command line' };
  return platform.context('core').transaction(actor, async (tx) => {
    const [role] = await tx.execute<{ id: string }>(`SELECT id FROM core_role WHERE name = 'Administrator' AND built_in`);
    const [user] = await tx.execute<{ id: string }>(`SELECT id FROM core_user WHERE lower(email) = lower($1) FOR UPDATE`, [input.email]);
    if (!user) {
      await createUser(tx, { email: input.email, password: input.password, name: input.name ?? 'Administrator', roleIds: [role.id] });
      return 'created';
    }
    await tx.execute(`UPDATE core_user SET password_hash = $2, active = true, updated_at = now() WHERE id = $1`, [user.id, await hashPassword(input.password)]);
    await tx.execute(`INSERT INTO core_user_role (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [user.id, role.id]);
    await tx.execute(`DELETE FROM core_session WHERE user_id = $1`, [user.id]);
    await tx.audit({ action: 'made-administrator', entityType: 'core.user', entityId: user.id, after: { email: input.email, active: true, role: 'Administrator' } });
    return 'updated';
  });
}
