import { AUTHENTICATED } from './auth.js';

/**
 * What is wrong with a route's access declaration, or null: every route says `config.public` or a
 * `config.permission` that is declared (or the built-in `authenticated`). The boot refuses such a
 * route; `validate-plugin` reports it without booting.
 */
export function routePermissionProblem(config: { permission?: string; public?: boolean } | undefined, isDeclared: (permission: string) => boolean): string | null {
  const cfg = config ?? {};
  if (cfg.public) return null;
  if (!cfg.permission) return 'declares no permission (config.permission or config.public)';
  if (cfg.permission !== AUTHENTICATED && !isDeclared(cfg.permission)) return `needs permission "${cfg.permission}", which no enabled plugin declares`;
  return null;
}
