import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureAdministrator, type Platform } from '@quartermaster/core';
import type { ServerConfig } from './config.js';

export interface AdminLogin {
  email: string;
  /** Known only when this start created the account, or it was given in the environment. */
  password?: string;
  created: boolean;
  /** Where a generated password was written. */
  file?: string;
}

/**
 * First start: create the administrator from QM_ADMIN_EMAIL / QM_ADMIN_PASSWORD, or generate a
 * password and keep it in `<data dir>/initial-admin.txt` (mode 600) so it can be found again.
 */
export async function bootstrapAdmin(platform: Platform, config: ServerConfig): Promise<AdminLogin> {
  const file = join(config.dataDir, 'initial-admin.txt');
  const email = config.adminEmail ?? 'admin@quartermaster.local';
  const password = config.adminPassword ?? randomBytes(12).toString('base64url');
  const created = await ensureAdministrator(platform, { email, password });
  if (created && !config.adminPassword) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `email=${email}\npassword=${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return { email, password, created, file };
  }
  if (created) return { email, password, created };
  if (!config.adminPassword && existsSync(file)) {
    const saved = Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
    return { email: saved.email ?? email, password: saved.password, created: false, file };
  }
  return { email, password: config.adminPassword, created: false };
}
