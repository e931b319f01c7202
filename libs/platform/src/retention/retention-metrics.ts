import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics';

export const retentionDeleted = new Counter({
  name: 'retention_records_deleted_total',
  help: 'Records deleted by retention sweeps (the policy\'s own table, not its children)',
  labelNames: ['policy'],
  registers: [metricsRegistry],
});

export const retentionHeld = new Gauge({
  name: 'retention_records_held',
  help: 'Records past their retention period kept under a legal hold, at the last sweep',
  labelNames: ['policy'],
  registers: [metricsRegistry],
});

export const retentionLastSweep = new Gauge({
  name: 'retention_last_sweep_timestamp_seconds',
  help: 'When the last retention sweep of the policy finished (unix seconds)',
  labelNames: ['policy'],
  registers: [metricsRegistry],
});

export const retentionFailures = new Counter({
  name: 'retention_sweep_failures_total',
  help: 'Retention sweeps of a policy that stopped on an error',
  labelNames: ['policy'],
  registers: [metricsRegistry],
});
