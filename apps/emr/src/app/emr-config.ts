import { z } from 'zod';
import type { ServiceConfig } from '@suite/platform';

/** The EMR service's own environment variables (validated at start with the base ones). */
export const emrEnv = {
  /** TCP port of the HL7 v2 MLLP listener (0 = any free port, for tests). */
  MLLP_PORT: z.coerce.number().int().min(0).max(65535).default(2575),
  MLLP_HOST: z.string().default('0.0.0.0'),
  /** Largest HL7 message accepted over MLLP, bytes. */
  MLLP_MAX_FRAME_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  /** A started MLLP frame must complete within this many ms. */
  MLLP_READ_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Downstream MLLP endpoint for outbound ORU^R01 results, "host:port"; unset = no outbound. */
  EMR_DOWNSTREAM: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port')
    .optional(),
  EMR_OUTBOUND_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  /** First retry delay; doubles per attempt. */
  EMR_OUTBOUND_RETRY_MS: z.coerce.number().int().positive().default(1000),
  EMR_OUTBOUND_POLL_MS: z.coerce.number().int().positive().default(500),
  /** Key for de-identification surrogates; required in production. */
  EMR_DEID_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
};

export type EmrConfig = ServiceConfig & {
  MLLP_PORT: number;
  MLLP_HOST: string;
  MLLP_MAX_FRAME_BYTES: number;
  MLLP_READ_TIMEOUT_MS: number;
  EMR_DOWNSTREAM?: string;
  EMR_OUTBOUND_MAX_ATTEMPTS: number;
  EMR_OUTBOUND_RETRY_MS: number;
  EMR_OUTBOUND_POLL_MS: number;
  EMR_DEID_SECRET?: string;
};

/** Names the application of this service in MSH-3 of what it sends. */
export const SENDING_APPLICATION = 'SUITE-EMR';
