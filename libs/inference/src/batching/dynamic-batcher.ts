import { OverloadedError, ValidationError } from '@suite/platform';
import type { TensorSpec } from '../registry/card';
import { allocate, type TensorData, type TypedArray } from '../backend/tensor';

/** One request: a single row per input, without the batch dimension. */
export type Row = Record<string, TypedArray>;

export class DeadlineExceededError extends Error {
  readonly code = 'DEADLINE_EXCEEDED';
  constructor(model: string, waitedMs: number) {
    super(`Inference on ${model} missed its deadline (waited ${waitedMs.toFixed(1)} ms in the queue)`);
    this.name = 'DeadlineExceededError';
  }
}

export interface BatcherOptions {
  /** Most rows in one run. */
  maxBatch: number;
  /** Longest a request waits for others before its batch runs. */
  maxDelayMs: number;
  /** Requests waiting beyond this are refused at once (OverloadedError -> 429). */
  maxQueue: number;
  /** Inputs of variable length and their pad value; padded along the row's first axis. */
  pad?: Record<string, number | bigint>;
  /** Outputs trimmed back to a padded input's row length: output name -> input name. */
  trimOutputs?: Record<string, string>;
}

export interface BatchObserver {
  batch(size: number, runSeconds: number): void;
  request(latencySeconds: number): void;
  rejected(reason: 'queue_full' | 'deadline' | 'error'): void;
  rows?(feeds: Record<string, TensorData>, outputs: Record<string, TensorData>, n: number): void;
}

interface Pending {
  row: Row;
  resolve: (out: Row) => void;
  reject: (err: Error) => void;
  enqueuedAt: number;
  deadline: number; // 0 = none
  done: boolean;
}

interface InputLayout {
  spec: TensorSpec;
  /** elements per row for fixed-shape inputs; per step of the padded axis otherwise */
  unit: number;
  padded: boolean;
  padValue: number | bigint;
  /** Preallocated batch buffer, grown on demand for padded inputs. */
  buffer: TypedArray;
}

/**
 * Gathers concurrent single-row requests into one runtime call: a batch runs when `maxBatch` rows
 * wait or the oldest has waited `maxDelayMs`; while a batch runs, the next one gathers. Each row is
 * copied once into a preallocated buffer; results go back as views of the runtime's output arrays.
 */
export class DynamicBatcher {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private readonly layouts: InputLayout[];

  constructor(
    private readonly model: string,
    inputs: TensorSpec[],
    private readonly outputs: TensorSpec[],
    private readonly run: (feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>,
    private readonly options: BatcherOptions,
    private readonly observer: BatchObserver,
  ) {
    this.layouts = inputs.map((spec) => {
      const padded = options.pad ? spec.name in options.pad : false;
      const rest = spec.shape.slice(padded ? 2 : 1);
      if (rest.some((d) => typeof d !== 'number' || d < 0)) {
        throw new ValidationError(`Input ${spec.name} of ${model} has dynamic dimensions ${JSON.stringify(spec.shape)}; give a pad value for it`);
      }
      const unit = (rest as number[]).reduce((a, b) => a * b, 1);
      return { spec, unit, padded, padValue: options.pad?.[spec.name] ?? 0, buffer: allocate(spec.dtype, unit * options.maxBatch * (padded ? 64 : 1)) };
    });
  }

  get depth(): number {
    return this.queue.length;
  }

  submit(row: Row, deadlineMs?: number): Promise<Row> {
    if (this.queue.length >= this.options.maxQueue) {
      this.observer.rejected('queue_full');
      return Promise.reject(new OverloadedError(`Model ${this.model} queue is full (${this.options.maxQueue} waiting); retry later`));
    }
    const problem = this.problemWith(row);
    if (problem) return Promise.reject(new ValidationError(problem));
    return new Promise<Row>((resolve, reject) => {
      const now = performance.now();
      const item: Pending = { row, resolve, reject, enqueuedAt: now, deadline: deadlineMs ? now + deadlineMs : 0, done: false };
      this.queue.push(item);
      if (deadlineMs) {
        setTimeout(() => {
          if (item.done) return;
          item.done = true;
          this.observer.rejected('deadline');
          reject(new DeadlineExceededError(this.model, performance.now() - item.enqueuedAt));
        }, deadlineMs).unref();
      }
      this.schedule();
    });
  }

  private schedule() {
    if (this.inFlight) return;
    if (this.queue.length >= this.options.maxBatch) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs);
    }
  }

  private flush() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inFlight) return;
    // Requests whose deadline already fired are dropped here, before any work is spent on them.
    let take = 0;
    const batch: Pending[] = [];
    while (take < this.queue.length && batch.length < this.options.maxBatch) {
      const p = this.queue[take++];
      if (!p.done) batch.push(p);
    }
    this.queue = take === this.queue.length ? [] : this.queue.slice(take);
    if (!batch.length) return;
    this.inFlight = true;
    void this.execute(batch).finally(() => {
      this.inFlight = false;
      if (this.queue.length) {
        // what gathered during the run has waited long enough already
        if (this.queue.length >= this.options.maxBatch) this.flush();
        else setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Many rows from one caller, run directly in chunks of maxBatch (no queue, no per-row promise),
   * with metrics and drift as for queued work. Uses its own buffers, so it may overlap queued runs.
   */
  async runRows(rows: Row[]): Promise<Row[]> {
    for (const row of rows) {
      const problem = this.problemWith(row);
      if (problem) throw new ValidationError(problem);
    }
    const results: Row[] = [];
    for (let start = 0; start < rows.length; start += this.options.maxBatch) {
      const chunk = rows.slice(start, start + this.options.maxBatch);
      const { feeds, lengths } = this.collate(chunk, true);
      const t0 = performance.now();
      const out = await this.run(feeds);
      this.observer.batch(chunk.length, (performance.now() - t0) / 1000);
      this.observer.rows?.(feeds, out, chunk.length);
      for (let i = 0; i < chunk.length; i++) results.push(this.rowOf(out, chunk.length, i, lengths));
    }
    return results;
  }

  private problemWith(row: Row): string | undefined {
    for (const l of this.layouts) {
      const data = row[l.spec.name];
      if (!data) return `Missing input ${l.spec.name} for ${this.model}`;
      if (l.padded ? data.length % l.unit !== 0 : data.length !== l.unit) {
        return `Input ${l.spec.name} of ${this.model} has ${data.length} values; expected ${l.padded ? `a multiple of ${l.unit}` : l.unit}`;
      }
    }
    return undefined;
  }

  /** Copies rows into batch tensors (the preallocated buffers, or fresh ones), padding where asked. */
  private collate(rows: Row[], fresh: boolean): { feeds: Record<string, TensorData>; lengths: Record<string, Int32Array> } {
    const n = rows.length;
    const feeds: Record<string, TensorData> = {};
    const lengths: Record<string, Int32Array> = {};
    for (const l of this.layouts) {
      const name = l.spec.name;
      if (!l.padded) {
        const buf = fresh ? allocate(l.spec.dtype, n * l.unit) : l.buffer;
        for (let i = 0; i < n; i++) buf.set(rows[i][name] as never, i * l.unit);
        feeds[name] = { dtype: l.spec.dtype, dims: [n, ...(l.spec.shape.slice(1) as number[])], data: buf.subarray(0, n * l.unit) };
        continue;
      }
      const lens = new Int32Array(n);
      let maxLen = 1;
      for (let i = 0; i < n; i++) {
        lens[i] = rows[i][name].length / l.unit;
        if (lens[i] > maxLen) maxLen = lens[i];
      }
      const stride = maxLen * l.unit;
      let buf: TypedArray;
      if (fresh) buf = allocate(l.spec.dtype, n * stride);
      else {
        if (l.buffer.length < n * stride) l.buffer = allocate(l.spec.dtype, n * stride * 2);
        buf = l.buffer;
      }
      (buf as { fill(v: unknown, s: number, e: number): void }).fill(l.padValue, 0, n * stride);
      for (let i = 0; i < n; i++) buf.set(rows[i][name] as never, i * stride);
      feeds[name] = { dtype: l.spec.dtype, dims: [n, maxLen, ...(l.spec.shape.slice(2) as number[])], data: buf.subarray(0, n * stride) };
      lengths[name] = lens;
    }
    return { feeds, lengths };
  }

  /** Row i of a batch's outputs, as views; padded outputs trimmed back to the row's own length. */
  private rowOf(out: Record<string, TensorData>, n: number, i: number, lengths: Record<string, Int32Array>): Row {
    const trim = this.options.trimOutputs ?? {};
    const result: Row = {};
    for (const o of this.outputs) {
      const t = out[o.name];
      const per = t.data.length / n;
      const lens = trim[o.name] ? lengths[trim[o.name]] : undefined;
      result[o.name] = lens ? t.data.subarray(i * per, i * per + lens[i] * (per / t.dims[1])) : t.data.subarray(i * per, (i + 1) * per);
    }
    return result;
  }

  private async execute(batch: Pending[]) {
    const n = batch.length;
    const rows = new Array<Row>(n);
    for (let i = 0; i < n; i++) rows[i] = batch[i].row;
    const { feeds, lengths } = this.collate(rows, false);
    const started = performance.now();
    let out: Record<string, TensorData>;
    try {
      out = await this.run(feeds);
    } catch (err) {
      for (const p of batch) {
        if (p.done) continue;
        p.done = true;
        this.observer.rejected('error');
        p.reject(err as Error);
      }
      return;
    }
    const finished = performance.now();
    this.observer.batch(n, (finished - started) / 1000);
    this.observer.rows?.(feeds, out, n);
    for (let i = 0; i < n; i++) {
      const p = batch[i];
      if (p.done) continue;
      p.done = true;
      this.observer.request((finished - p.enqueuedAt) / 1000);
      p.resolve(this.rowOf(out, n, i, lengths));
    }
  }
}
