import type { Migration } from '@quartermaster/sdk';

/** The Administrator role exists from the start so the first user can be bootstrapped into it. */
export const m0002BuiltInRoles: Migration = {
  name: '0002_builtin_roles',
  async up(db) {
    await db.execute(`INSERT INTO core_role (name, description, permissions, built_in)
      VALUES ('Administrator', 'Full access to every enabled plugin', '{*}', true) ON CONFLICT (name) DO NOTHING`);
  },
};
