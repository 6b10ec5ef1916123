// Token bucket shared by the portal operations: the real portal throttles
// per user across all of them (roughly 20 calls/s), so one bucket models it.
import type { ThrottleOptions } from './options';

export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly ratePerSec: number;
  readonly burst: number;

  constructor(
    options: ThrottleOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.ratePerSec = options.ratePerSec;
    this.burst = options.burst ?? Math.max(1, options.ratePerSec);
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Take one token; false when the bucket is empty (the caller answers 429). */
  tryTake(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
