// Metrics of a cleanroom: named numbers (last write wins) and iteration benchmarks.

/** Min/avg/max of repeated measurements; min and max are null before the first iteration. */
export interface Benchmark {
  name: string;
  iterations: number;
  totalMs: number;
  avgMs: number;
  minMs: number | null;
  maxMs: number | null;
}

export function createBenchmark(name: string): Benchmark {
  return { name, iterations: 0, totalMs: 0, avgMs: 0, minMs: null, maxMs: null };
}

export function recordIteration(bench: Benchmark, ms: number): void {
  bench.iterations += 1;
  bench.totalMs += ms;
  bench.avgMs = bench.totalMs / bench.iterations;
  bench.minMs = bench.minMs === null ? ms : Math.min(bench.minMs, ms);
  bench.maxMs = bench.maxMs === null ? ms : Math.max(bench.maxMs, ms);
}

/** A name → number map; disabled instances ignore writes (benchmarking off). */
export class PerformanceMetrics {
  private readonly values = new Map<string, number>();

  constructor(readonly enabled: boolean) {}

  record(name: string, value: number): void {
    if (!this.enabled) return;
    if (!Number.isFinite(value)) throw new TypeError(`metric "${name}" must be a finite number, got ${String(value)}`);
    this.values.set(name, value);
  }

  add(name: string, delta: number): void {
    this.record(name, (this.values.get(name) ?? 0) + delta);
  }

  get(name: string): number | undefined {
    return this.values.get(name);
  }

  /** A plain object with the metrics sorted by name. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
