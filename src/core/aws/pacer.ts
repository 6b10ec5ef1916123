// Client-side pacing for an AWS API with a rate limit: the Identity Center portal (about 20 calls
// per second in all), CloudTrail LookupEvents (2 per second per account and region). Calls are spaced to the current rate; throttling cuts the rate (at most once per second,
// since answers to calls already in flight report the same congestion) and successes win it
// back gradually, so we sit at the limit instead of bouncing off it with 429s.
import { Clock, sleep, systemClock } from '../common/clock';

/** Missed slots a late caller may still take (the portal's bucket holds about 20 calls). */
export const CATCH_UP_SLOTS = 4;

export interface PacerOptions {
  /** Starting and maximum calls per second. */
  ratePerSec?: number;
  minRatePerSec?: number;
  /** Missed slots a late caller may still take (default CATCH_UP_SLOTS); 0 for a service with a shallow bucket. */
  catchUpSlots?: number;
  clock?: Clock;
}

export class Pacer {
  private rate: number;
  private readonly maxRate: number;
  private readonly minRate: number;
  private nextSlot = 0;
  private lastCut = -Infinity;
  private readonly clock: Clock;
  private readonly catchUpSlots: number;

  constructor(options: PacerOptions = {}) {
    this.maxRate = options.ratePerSec ?? 20;
    this.minRate = options.minRatePerSec ?? 1;
    this.rate = this.maxRate;
    this.clock = options.clock ?? systemClock;
    this.catchUpSlots = options.catchUpSlots ?? CATCH_UP_SLOTS;
  }

  get currentRate(): number {
    return this.rate;
  }

  /**
   * Waits for this caller's slot. Slots are handed out in call order, except that an urgent call
   * (someone is waiting for it) goes at once and pushes the queued background calls back one slot.
   */
  async acquire(signal?: AbortSignal, urgent = false): Promise<void> {
    const now = this.clock.now();
    if (urgent) {
      this.yieldSlot();
      return;
    }
    // Slots nobody took because every caller was late (a busy event loop handled answers late) are
    // made up, at most CATCH_UP_SLOTS of them: a short burst the portal's bucket saved up meanwhile,
    // so the long-run rate stays the pacer's instead of losing every stall.
    const interval = 1000 / this.rate;
    const slot = Math.max(this.nextSlot, now - this.catchUpSlots * interval);
    this.nextSlot = slot + interval;
    if (slot > now) await sleep(this.clock, slot - now, signal);
  }

  /** A call made elsewhere (a role switch) takes one slot of the portal's budget: background calls leave it free. */
  yieldSlot(): void {
    this.nextSlot = Math.max(this.nextSlot, this.clock.now()) + 1000 / this.rate;
  }

  /** The service said "too many requests": slow down and leave a gap before the next call. */
  throttled(): void {
    const now = this.clock.now();
    this.nextSlot = Math.max(this.nextSlot, now) + 1000 / this.rate;
    if (now - this.lastCut < 1000) return;
    this.lastCut = now;
    this.rate = Math.max(this.rate * 0.75, this.minRate);
  }

  succeeded(): void {
    this.rate = Math.min(this.rate * 1.02, this.maxRate);
  }
}
