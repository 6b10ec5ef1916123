// Clocks for tests: a manual one that only moves when told, and a fast one that runs real
// timers N times quicker (for flows that also talk to a server in real time).
import type { Clock } from '../../src/core/common/clock';

export class ManualClock implements Clock {
  private timers: { due: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  constructor(private time = Date.UTC(2026, 10, 23, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const id = ++this.seq;
    this.timers.push({ due: this.time + Math.max(ms, 0), fn, id });
    return () => (this.timers = this.timers.filter((t) => t.id !== id));
  }

  /** Moves time forward, firing due timers in order (and timers they set, if due). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.due > end) break;
      this.timers.shift();
      this.time = next.due;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.time = end;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

export function fastClock(speed: number): Clock {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * speed,
    setTimeout(fn, ms) {
      const h = setTimeout(fn, ms / speed);
      h.unref();
      return () => clearTimeout(h);
    },
  };
}
