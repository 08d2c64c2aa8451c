/**
 * Slows password guessing: counts failed sign-ins per account and per client address in a sliding
 * window. Kept in memory, so each server process counts on its own (documented; a shared store can
 * replace it behind the same interface).
 */
export interface ThrottleLimits {
  windowMs: number;
  perAccount: number;
  perAddress: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perAccount: 10, perAddress: 100 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before trying again, or 0 when a sign-in may be attempted now. */
  retryAfter(account: string, address: string): number {
    const a = this.recent(`a:${account.toLowerCase()}`);
    const b = this.recent(`i:${address}`);
    const waits: number[] = [];
    if (a.length >= this.limits.perAccount) waits.push(a[a.length - this.limits.perAccount] + this.limits.windowMs - this.now());
    if (b.length >= this.limits.perAddress) waits.push(b[b.length - this.limits.perAddress] + this.limits.windowMs - this.now());
    return waits.length ? Math.max(1, Math.ceil(Math.max(...waits) / 1000)) : 0;
  }

  fail(account: string, address: string) {
    for (const key of [`a:${account.toLowerCase()}`, `i:${address}`]) this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 100_000) this.prune();
  }

  /** A successful sign-in clears the account's count (not the address's). */
  succeed(account: string) {
    this.failures.delete(`a:${account.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  private prune() {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
