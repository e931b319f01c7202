import { z } from 'zod';

/** The AML service's own environment variables (validated with the platform's at start-up). */
export const AML_ENV = {
  /** A sanctions list to load at start when none is stored (FollowTheMoney JSON lines or CSV). */
  AML_SANCTIONS_LIST: z.string().optional(),
  /** Seed the demo bank (users, transactions, alerts) when the database is empty; off in production. */
  AML_DEMO_SEED: z.enum(['true', 'false']).default('true'),
  /** Days of stored history replayed into the feature windows at start (in-memory state). */
  AML_REPLAY_DAYS: z.coerce.number().int().min(0).default(30),
  /** The reporting institution's id written into SARs. */
  AML_REPORTING_ENTITY: z.string().default('DEMO-BANK-001'),
};

export interface AmlConfig {
  AML_SANCTIONS_LIST?: string;
  AML_DEMO_SEED: 'true' | 'false';
  AML_REPLAY_DAYS: number;
  AML_REPORTING_ENTITY: string;
  REDIS_URL?: string;
  NODE_ENV: 'development' | 'production' | 'test';
  DEMO_PASSWORD?: string;
  DATA_DIR: string;
}
