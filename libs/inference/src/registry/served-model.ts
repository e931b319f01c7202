import type { BackendSession } from '../backend/inference-backend';
import type { TensorData } from '../backend/tensor';
import { DynamicBatcher, type BatcherOptions, type Row } from '../batching/dynamic-batcher';
import { DriftMonitor } from '../drift/drift-monitor';
import { batchSize, liveModels, modelInfo, rejections, requestDuration, runDuration, type ObservedModel } from '../metrics/inference-metrics';
import type { ModelCard } from './card';
import { ModelMonitor, type ModelAlert } from '../monitoring/model-monitor';

export interface ServeOptions extends Partial<BatcherOptions> {
  /** Default per-request deadline in ms (none when absent). */
  deadlineMs?: number;
  /** How often drift is judged against the monitoring thresholds. */
  monitorEveryMs?: number;
  onAlert?: (alert: ModelAlert) => void;
}

export type Precision = 'fp32' | 'int8';

/** Same decision: the same side of the threshold for one score, the same argmax for several. */
function agree(a: ArrayLike<number | bigint> | undefined, b: ArrayLike<number | bigint> | undefined, threshold: number): boolean {
  if (!a || !b || a.length !== b.length) return false;
  if (a.length === 1) return Number(a[0]) >= threshold === Number(b[0]) >= threshold;
  let ia = 0;
  let ib = 0;
  for (let i = 1; i < a.length; i++) {
    if (Number(a[i]) > Number(a[ia])) ia = i;
    if (Number(b[i]) > Number(b[ib])) ib = i;
  }
  return ia === ib;
}

/** A loaded model: batched single-row inference, direct batched runs, drift and metrics. */
export class ServedModel implements ObservedModel {
  readonly drift: DriftMonitor;
  readonly monitor: ModelMonitor;
  private readonly monitorTimer: NodeJS.Timeout;
  private readonly batcher: DynamicBatcher;
  private readonly maxBatch: number;

  constructor(
    readonly card: ModelCard,
    private readonly session: BackendSession,
    readonly precision: Precision,
    private readonly options: ServeOptions = {},
  ) {
    this.drift = new DriftMonitor(card);
    this.maxBatch = options.maxBatch ?? 256;
    const name = card.name;
    const latency = requestDuration.child(name);
    const run = runDuration.labels(name);
    const sizes = batchSize.labels(name);
    this.batcher = new DynamicBatcher(
      name,
      card.inputs,
      card.outputs,
      (feeds) => session.run(feeds),
      { maxBatch: this.maxBatch, maxDelayMs: options.maxDelayMs ?? 2, maxQueue: options.maxQueue ?? 4096, pad: options.pad, trimOutputs: options.trimOutputs },
      {
        batch: (n, s) => {
          sizes.observe(n);
          run.observe(s);
        },
        request: latency,
        rejected: (reason) => rejections.inc({ model: name, reason }),
        rows: (feeds, outputs, n) => this.drift.observeBatch(feeds, outputs, n),
      },
    );
    const heldout = card.metrics.heldout ?? {};
    const metric = ['precision', 'accuracy'].find((m) => m in heldout);
    this.monitor = new ModelMonitor(name, metric ? { metric, value: heldout[metric] } : undefined, undefined, options.onAlert);
    this.monitorTimer = setInterval(() => this.monitor.checkDrift(this.driftReport()), options.monitorEveryMs ?? 30_000).unref();
    modelInfo.set({ model: name, version: card.version, provider: session.provider, precision }, 1);
    liveModels.add(this);
  }

  get name() {
    return this.card.name;
  }
  get version() {
    return this.card.version;
  }
  get provider() {
    return this.session.provider;
  }
  get queueDepth() {
    return this.batcher.depth;
  }

  /** One row (no batch dimension); gathered with concurrent callers into one runtime call. */
  infer(row: Row, opts: { deadlineMs?: number } = {}): Promise<Row> {
    const result = this.batcher.submit(row, opts.deadlineMs ?? this.options.deadlineMs);
    if (this.shadow) void result.then((out) => this.mirror(row, out), () => undefined);
    return result;
  }

  private shadow?: ServedModel;
  private readonly shadowStats = { compared: 0, agreed: 0, failed: 0, skipped: 0 };

  /** A candidate that sees the same live rows as this model without affecting any answer. */
  attachShadow(shadow: ServedModel) {
    this.shadow = shadow;
  }

  /** Agreement of the shadow candidate with production on live traffic. */
  shadowReport() {
    if (!this.shadow) return null;
    const { compared, agreed, failed, skipped } = this.shadowStats;
    return { version: this.shadow.version, compared, agreed, agreement: compared ? agreed / compared : null, failed, skipped, drift: this.shadow.driftReport() };
  }

  private mirror(row: Row, production: Row) {
    const shadow = this.shadow as ServedModel;
    // production comes first: under load the shadow sheds its work instead of queueing it
    if (shadow.queueDepth > (this.options.maxBatch ?? 256)) {
      this.shadowStats.skipped++;
      return;
    }
    const output = this.card.evaluation?.output ?? this.card.outputs[0].name;
    shadow.batcher.submit(row).then(
      (out) => {
        this.shadowStats.compared++;
        if (agree(production[output], out[output], this.card.evaluation?.threshold ?? 0.5)) this.shadowStats.agreed++;
      },
      () => this.shadowStats.failed++,
    );
  }

  /** Many rows from one caller, in order: run directly in chunks of maxBatch (no queue). */
  inferMany(rows: Row[]): Promise<Row[]> {
    return this.batcher.runRows(rows);
  }

  /** Direct runtime call with caller-built batch tensors (no queue, no metrics). */
  runRaw(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    return this.session.run(feeds);
  }

  driftReport() {
    return this.drift.report();
  }

  async close() {
    clearInterval(this.monitorTimer);
    await this.shadow?.close();
    liveModels.delete(this);
    await this.session.release();
  }
}
