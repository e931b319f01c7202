import type { Registry } from 'prom-client';

/**
 * A Prometheus histogram for per-request hot paths: observe() is a bucket scan and two adds, with
 * no label hashing (prom-client's observe hashes labels on every call, which costs more than a
 * tiny model's inference). Exposed through prom-client's collector interface.
 */
export class FastHistogram {
  private readonly children = new Map<string, { counts: Float64Array; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly buckets: number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** A recorder bound to one label value. */
  child(labelValue: string): (value: number) => void {
    let c = this.children.get(labelValue);
    if (!c) {
      c = { counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.children.set(labelValue, c);
    }
    const child = c;
    const buckets = this.buckets;
    return (v: number) => {
      child.sum += v;
      child.count++;
      for (let i = 0; i < buckets.length; i++) {
        if (v <= buckets[i]) {
          child.counts[i]++;
          return;
        }
      }
    };
  }

  // --- prom-client collector interface ---
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly labelNames: string[] = [];
  reset() {
    this.children.clear();
  }
  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const [label, c] of this.children) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += c.counts[i];
        values.push({ labels: { [this.labelName]: label, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { [this.labelName]: label, le: '+Inf' }, value: c.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { [this.labelName]: label }, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { [this.labelName]: label }, value: c.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
