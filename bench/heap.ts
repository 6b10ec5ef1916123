// Peak heap growth of the current process while a scenario runs. Sampled every 50 ms, so it is the
// peak of live data plus garbage not yet collected: an upper bound of what the listing keeps.

export interface HeapResult {
  peakGrowthBytes: number;
  /** Growth still there after a full GC at the end (live data), when gc is exposed. */
  retainedBytes?: number;
  /** False when node was started without --expose-gc: the baseline then includes old garbage. */
  gcBeforeStart: boolean;
}

export function sampleHeap(intervalMs = 50): { stop(): HeapResult } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.(); // a second pass collects what the first one's finalizers freed
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      gc?.();
      const retainedBytes = gc ? process.memoryUsage().heapUsed - base : undefined;
      return { peakGrowthBytes: peak - base, retainedBytes, gcBeforeStart: gc !== undefined };
    },
  };
}
