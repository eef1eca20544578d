import { HttpError } from "./http-error.js";

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window attempt counters for login and recovery, per account and per client IP. In memory: each
 * process limits on its own (a multi-process deployment multiplies the limits by the process count).
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly maxPerAccount: number,
    private readonly maxPerIp: number,
  ) {}

  /** Counts one attempt; throws 429 with Retry-After when either limit is already used up. */
  hit(ip: string, account: string): void {
    const now = Date.now();
    if (this.windows.size > 100_000) this.prune(now);
    const checks: [string, number][] = [
      [`ip:${ip}`, this.maxPerIp],
      [`account:${account}`, this.maxPerAccount],
    ];
    for (const [key, max] of checks) {
      const window = this.current(key, now);
      if (window.count >= max) {
        const retryAfter = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
        throw new HttpError("RATE_LIMITED", "too many attempts, try again later", {
          "retry-after": String(retryAfter),
        });
      }
    }
    for (const [key] of checks) this.current(key, now).count += 1;
  }

  /** A successful login clears the account counter (the IP counter keeps running). */
  succeeded(account: string): void {
    this.windows.delete(`account:${account}`);
  }

  private current(key: string, now: number): Window {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    return window;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
