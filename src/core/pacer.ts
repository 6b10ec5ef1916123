// Client-side pacing for the Identity Center portal, which allows about 20 calls per second in
// all. Calls are spaced to the current rate; a throttled answer cuts the rate (multiplicative
// decrease) and successes win it back slowly (additive increase), so we sit at the limit
// instead of bouncing off it with 429s.
import { Clock, sleep, systemClock } from './clock';

export interface PacerOptions {
  /** Starting and maximum calls per second. */
  ratePerSec?: number;
  minRatePerSec?: number;
  clock?: Clock;
}

export class Pacer {
  private rate: number;
  private readonly maxRate: number;
  private readonly minRate: number;
  private nextSlot = 0;
  private readonly clock: Clock;

  constructor(options: PacerOptions = {}) {
    this.maxRate = options.ratePerSec ?? 20;
    this.minRate = options.minRatePerSec ?? 1;
    this.rate = this.maxRate;
    this.clock = options.clock ?? systemClock;
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Waits for this caller's slot. Slots are handed out in call order. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(this.nextSlot, now);
    this.nextSlot = slot + 1000 / this.rate;
    if (slot > now) await sleep(this.clock, slot - now, signal);
  }

  /** The service said "too many requests": slow down and leave a gap before the next call. */
  throttled(): void {
    this.rate = Math.max(this.rate * 0.7, this.minRate);
    this.nextSlot = Math.max(this.nextSlot, this.clock.now()) + 1000 / this.rate;
  }

  succeeded(): void {
    this.rate = Math.min(this.rate + 0.2, this.maxRate);
  }
}
