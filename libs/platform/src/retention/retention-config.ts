import { z } from 'zod';
import { ConfigError } from '../config/service-config';
import type { RetentionPolicy } from './retention-policy';

export interface RetentionSettings {
  /** Minutes between sweeps (RETENTION_SWEEP_INTERVAL_MINUTES). */
  intervalMinutes: number;
  /** Records deleted per transaction (RETENTION_BATCH_SIZE). */
  batchSize: number;
  /** Period in days per policy name; 0 = kept forever. */
  periods: Map<string, number>;
}

const days = z.coerce.number({ invalid_type_error: 'must be a number of days' }).int('must be a whole number of days').nonnegative('must be 0 (keep forever) or more days');
const blankIsUnset = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

/** Reads the retention variables; a bad value stops the service naming the variable. */
export function loadRetentionSettings(policies: RetentionPolicy[], env: NodeJS.ProcessEnv = process.env): RetentionSettings {
  const problems: { variable: string; message: string }[] = [];
  const read = (variable: string, schema: z.ZodType<number>, fallback: number): number => {
    const raw = blankIsUnset(env[variable]);
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push({ variable, message: parsed.error.issues[0]?.message ?? 'is invalid' });
    return fallback;
  };
  const intervalMinutes = read('RETENTION_SWEEP_INTERVAL_MINUTES', z.coerce.number().positive('must be a positive number of minutes'), 60);
  const batchSize = read('RETENTION_BATCH_SIZE', z.coerce.number().int().min(1).max(100_000), 500);
  const periods = new Map(policies.map((p) => [p.name, read(p.periodVariable, days, 0)]));
  if (problems.length) throw new ConfigError(problems);
  return { intervalMinutes, batchSize, periods };
}
