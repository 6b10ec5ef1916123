// How often the Accounts tree redraws its account list while pages arrive. VS Code asks for every
// root row again on each redraw, converts and serializes them in one go on the extension host's
// thread: ~30 ms per 1,000 rows on a busy 2-core machine, so at 10,000 accounts the 100 ms change
// batches kept that thread busy for the whole listing. The pause between redraws grows with the
// list (a tenth of a millisecond per account, 100 ms to 1 s), so redrawing takes a bounded share
// of the time: the first change shows at once, the ones during a pause are drawn together after it.
import type { Clock } from '../common/clock';

export const MIN_REDRAW_GAP_MS = 100;
export const MAX_REDRAW_GAP_MS = 1_000;

/** The pause after a redraw of `rows` rows before the next one. */
export function redrawGapMs(rows: number): number {
  return Math.min(MAX_REDRAW_GAP_MS, Math.max(MIN_REDRAW_GAP_MS, Math.round(rows / 10)));
}

export class RedrawPacer {
  private cancelTimer: (() => void) | undefined;
  private pending = false;

  /** `redraw` draws and returns how many rows it drew. */
  constructor(
    private readonly clock: Clock,
    private readonly redraw: () => number,
  ) {}

  /** A redraw now, or at the end of the current pause (once, however many were asked for). */
  request(): void {
    if (this.cancelTimer) {
      this.pending = true;
      return;
    }
    this.draw();
  }

  dispose(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.pending = false;
  }

  private draw(): void {
    const rows = this.redraw();
    this.cancelTimer = this.clock.setTimeout(() => {
      this.cancelTimer = undefined;
      if (!this.pending) return;
      this.pending = false;
      this.draw();
    }, redrawGapMs(rows));
  }
}
