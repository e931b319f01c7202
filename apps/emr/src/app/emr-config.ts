import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { ServiceConfig } from '@suite/platform';
import { AddressAllowList } from '@suite/hl7';

/** A PEM file that must exist when the variable is set. */
const pemPath = z
  .string()
  .min(1)
  .refine((p) => existsSync(p), (p) => ({ message: `file not found: ${p}` }))
  .optional();

const allowList = z
  .string()
  .optional()
  .transform((spec, ctx) => {
    if (spec === undefined) return undefined;
    try {
      return AddressAllowList.parse(spec);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
      return z.NEVER;
    }
  });

/** The EMR service's own environment variables (validated at start with the base ones). */
export const emrEnv = {
  /** TCP port of the HL7 v2 MLLP listener (0 = any free port, for tests). */
  MLLP_PORT: z.coerce.number().int().min(0).max(65535).default(2575),
  MLLP_HOST: z.string().default('0.0.0.0'),
  /** Largest HL7 message accepted over MLLP, bytes. */
  MLLP_MAX_FRAME_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  /** A started MLLP frame must complete within this many ms. */
  MLLP_READ_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Source IPs / CIDR ranges allowed to connect over MLLP, comma-separated; unset = any address. */
  MLLP_ALLOW: allowList,
  /** PEM certificate and key: with both set the listener speaks MLLP over TLS. */
  MLLP_TLS_CERT: pemPath,
  MLLP_TLS_KEY: pemPath,
  /** PEM CA bundle that issues senders' client certificates (mutual TLS). */
  MLLP_TLS_CA: pemPath,
  MLLP_TLS_REQUIRE_CLIENT_CERT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Downstream MLLP endpoint for outbound ORU^R01 results, "host:port"; unset = no outbound. */
  EMR_DOWNSTREAM: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port')
    .optional(),
  /** PEM CA that issued EMR_DOWNSTREAM's certificate: set = outbound MLLP over TLS. */
  EMR_DOWNSTREAM_TLS_CA: pemPath,
  /** Client certificate and key for a downstream that requires mutual TLS. */
  EMR_DOWNSTREAM_TLS_CERT: pemPath,
  EMR_DOWNSTREAM_TLS_KEY: pemPath,
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
  MLLP_ALLOW?: AddressAllowList;
  MLLP_TLS_CERT?: string;
  MLLP_TLS_KEY?: string;
  MLLP_TLS_CA?: string;
  MLLP_TLS_REQUIRE_CLIENT_CERT: boolean;
  EMR_DOWNSTREAM?: string;
  EMR_DOWNSTREAM_TLS_CA?: string;
  EMR_DOWNSTREAM_TLS_CERT?: string;
  EMR_DOWNSTREAM_TLS_KEY?: string;
  EMR_OUTBOUND_MAX_ATTEMPTS: number;
  EMR_OUTBOUND_RETRY_MS: number;
  EMR_OUTBOUND_POLL_MS: number;
  EMR_DEID_SECRET?: string;
};

/** Names the application of this service in MSH-3 of what it sends. */
export const SENDING_APPLICATION = 'SUITE-EMR';
