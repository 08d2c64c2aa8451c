/**
 * The chart of accounts maps a role (inventory, COGS, …) to an account number, optionally per
 * category and per site. The most specific mapping wins: category + site, then category, then site,
 * then the role's default — which always exists, so every line finds an account.
 */
import type { AccountRole } from '../shared/constants.js';

export interface AccountMapping {
  role: AccountRole;
  categoryId: string | null;
  siteId: string | null;
  account: string;
}

export class MissingAccountError extends Error {}

export function accountFor(chart: readonly AccountMapping[], role: AccountRole, categoryId: string | null, siteId: string | null): string {
  const candidates = chart.filter((m) => m.role === role);
  const pick = (c: string | null, s: string | null) => candidates.find((m) => m.categoryId === c && m.siteId === s);
  const found =
    (categoryId && siteId ? pick(categoryId, siteId) : undefined) ??
    (categoryId ? pick(categoryId, null) : undefined) ??
    (siteId ? pick(null, siteId) : undefined) ??
    pick(null, null);
  if (!found) throw new MissingAccountError(`no default account for the role ${role}`);
  return found.account;
}
