import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per process, shared by the platform, the inference library and the domain. */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

export function initMetrics(service: string): Registry {
  if (!defaultsCollected) {
    metricsRegistry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: metricsRegistry });
    defaultsCollected = true;
  }
  return metricsRegistry;
}

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});
