/**
 * What one service answered during the soak: every response's latency and status, by route and by
 * 10-second window, plus memory samples; and the summaries printed at the end.
 */

export interface MemorySample {
  /** seconds since the mixed traffic started */
  t: number;
  rssMb: number;
  heapMb: number;
  /** Buffers and other memory outside the JS heap that V8 accounts for */
  externalMb?: number;
  /** VmRSS of the child process from /proc, as a cross-check of the service's own gauge */
  procRssMb?: number;
}

export interface WindowStats {
  t: number;
  requests: number;
  rps: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** The q-quantile (0..1) of unsorted values, by nearest rank; 0 when empty. */
export function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx ? points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx : 0;
}

class Bucket {
  latencies: number[] = [];
  non2xx = 0;
  errors = 0;
  statuses: Record<number, number> = {};

  add(status: number, ms: number) {
    this.latencies.push(ms);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status < 200 || status >= 300) this.non2xx++;
  }
}

export class ServiceRecorder {
  private readonly total = new Bucket();
  private readonly routes = new Map<string, Bucket>();
  private window = new Bucket();
  private windowStart = Date.now();
  readonly windows: WindowStats[] = [];
  readonly memory: MemorySample[] = [];
  /** First non-2xx bodies, to say what went wrong */
  readonly failures: string[] = [];
  private startedAt = Date.now();

  constructor(readonly service: string) {}

  start() {
    this.startedAt = this.windowStart = Date.now();
  }

  elapsed() {
    return (Date.now() - this.startedAt) / 1000;
  }

  response(route: string, status: number, ms: number, body?: string) {
    this.total.add(status, ms);
    this.window.add(status, ms);
    let r = this.routes.get(route);
    if (!r) this.routes.set(route, (r = new Bucket()));
    r.add(status, ms);
    if ((status < 200 || status >= 300) && this.failures.length < 5) this.failures.push(`${route} ${status} ${(body ?? '').slice(0, 200)}`);
  }

  error(route: string, message: string) {
    this.total.errors++;
    this.window.errors++;
    const r = this.routes.get(route);
    if (r) r.errors++;
    if (this.failures.length < 5) this.failures.push(`${route} error ${message}`);
  }

  /** Closes the current window (called every sampling interval). */
  closeWindow() {
    const seconds = (Date.now() - this.windowStart) / 1000;
    if (seconds < 1 && !this.window.latencies.length && !this.window.errors) return; // the run ended right after a tick
    const w = this.window;
    this.windows.push({ t: round(this.elapsed(), 0), requests: w.latencies.length, rps: round(w.latencies.length / seconds), p99Ms: round(quantile(w.latencies, 0.99)), non2xx: w.non2xx, errors: w.errors });
    this.window = new Bucket();
    this.windowStart = Date.now();
  }

  sampleMemory(s: Omit<MemorySample, 't'>) {
    this.memory.push({ t: round(this.elapsed(), 0), ...s });
  }

  /**
   * Memory trend over the second half: least-squares RSS and heap slopes (MB/min), and how the RSS
   * peak and the RSS and heap floors (highest and lowest samples) moved from the second quarter to
   * the last one (MB/min). GC and allocator sawtooth tilts a slope over a few minutes either way; a
   * leak lifts the trend and the peaks together, and in the end the floors.
   */
  growth() {
    const T = this.elapsed();
    const half = this.memory.filter((m) => m.t >= T / 2);
    const q2 = this.memory.filter((m) => m.t >= T / 4 && m.t < T / 2);
    const q4 = this.memory.filter((m) => m.t >= (3 * T) / 4);
    const perMin = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? round((b - a) / (T / 2 / 60), 2) : 0);
    const max = (xs: number[]) => xs.reduce((p, x) => Math.max(p, x), -Infinity);
    const min = (xs: number[]) => xs.reduce((p, x) => Math.min(p, x), Infinity);
    const rss = (xs: MemorySample[]) => xs.map((m) => m.rssMb);
    const heap = (xs: MemorySample[]) => xs.map((m) => m.heapMb);
    return {
      samples: half.length,
      rssMbPerMin: round(slope(half.map((m) => ({ x: m.t / 60, y: m.rssMb }))), 2),
      heapMbPerMin: round(slope(half.map((m) => ({ x: m.t / 60, y: m.heapMb }))), 2),
      rssPeak: { secondQuarterMb: max(rss(q2)), lastQuarterMb: max(rss(q4)), mbPerMin: perMin(max(rss(q2)), max(rss(q4))) },
      rssFloor: { secondQuarterMb: min(rss(q2)), lastQuarterMb: min(rss(q4)), mbPerMin: perMin(min(rss(q2)), min(rss(q4))) },
      heapFloor: { secondQuarterMb: min(heap(q2)), lastQuarterMb: min(heap(q4)), mbPerMin: perMin(min(heap(q2)), min(heap(q4))) },
    };
  }

  summary(seconds: number) {
    const t = this.total;
    const requests = t.latencies.length;
    const byRoute = Object.fromEntries(
      [...this.routes].map(([route, b]) => [route, { requests: b.latencies.length, p50Ms: round(quantile(b.latencies, 0.5)), p99Ms: round(quantile(b.latencies, 0.99)), non2xx: b.non2xx, errors: b.errors }]),
    );
    return {
      requests,
      throughputRps: round(requests / seconds),
      latencyMs: { p50: round(quantile(t.latencies, 0.5)), p90: round(quantile(t.latencies, 0.9)), p99: round(quantile(t.latencies, 0.99)), max: round(t.latencies.reduce((m, x) => Math.max(m, x), 0)) },
      statuses: t.statuses,
      non2xx: t.non2xx,
      errors: t.errors,
      errorRate: requests + t.errors ? round((t.non2xx + t.errors) / (requests + t.errors), 5) : 0,
      byRoute,
    };
  }
}
