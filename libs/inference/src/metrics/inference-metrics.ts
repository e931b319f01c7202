import { metricsRegistry } from '@suite/platform';
import { Counter, Gauge, Histogram } from 'prom-client';
import { FastHistogram } from './fast-histogram';

export const requestDuration = new FastHistogram(
  'inference_request_duration_seconds',
  'Time from a request entering the queue to its result, per model',
  'model',
  [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  metricsRegistry,
);

export const runDuration = new Histogram({
  name: 'inference_run_duration_seconds',
  help: 'Runtime call duration per batch, per model',
  labelNames: ['model'],
  buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [metricsRegistry],
});

export const batchSize = new Histogram({
  name: 'inference_batch_size',
  help: 'Rows per runtime call, per model',
  labelNames: ['model'],
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
  registers: [metricsRegistry],
});

export const rejections = new Counter({
  name: 'inference_rejections_total',
  help: 'Requests refused: queue_full, deadline, error',
  labelNames: ['model', 'reason'],
  registers: [metricsRegistry],
});

/** What the scrape-time gauges read from each loaded model. */
export interface ObservedModel {
  readonly name: string;
  readonly queueDepth: number;
  driftReport(): { feature: string; kind: string; psi: number; observations: number }[];
}
export const liveModels = new Set<ObservedModel>();

export const queueDepth = new Gauge({
  name: 'inference_queue_depth',
  help: 'Requests waiting per model',
  labelNames: ['model'],
  registers: [metricsRegistry],
  collect() {
    for (const m of liveModels) this.set({ model: m.name }, m.queueDepth);
  },
});

export const drift = new Gauge({
  name: 'inference_drift_psi',
  help: 'Population stability index of a model input or output against its card reference',
  labelNames: ['model', 'feature', 'kind'],
  registers: [metricsRegistry],
  collect() {
    for (const m of liveModels) {
      for (const d of m.driftReport()) if (d.observations > 0) this.set({ model: m.name, feature: d.feature, kind: d.kind }, d.psi);
    }
  },
});

export const modelInfo = new Gauge({
  name: 'inference_model_info',
  help: 'Loaded models with version, execution provider and precision',
  labelNames: ['model', 'version', 'provider', 'precision'],
  registers: [metricsRegistry],
});
