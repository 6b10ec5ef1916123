// Refusal log lines of the credential endpoint, bounded per minute so a flood of bad requests
// cannot flood the log as well: past the bound they are counted and summarised in one line.
import type { Clock } from '../common/clock';
import type { Logger } from '../common/log';

export class RefusalLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly prefix: string,
    private readonly maxPerMinute: number,
  ) {}

  line(text: string): void {
    const now = this.clock.now();
    if (now - this.windowStart >= 60_000) {
      this.flush();
      this.windowStart = now;
      this.logged = 0;
    }
    if (this.logged >= this.maxPerMinute) {
      this.suppressed++;
      return;
    }
    this.logged++;
    this.log.warn(`${this.prefix} ${text}`);
  }

  flush(): void {
    if (this.suppressed > 0) {
      this.log.warn(`${this.prefix} ${this.suppressed} more refusals in the last minute were not logged`);
      this.suppressed = 0;
    }
  }
}
