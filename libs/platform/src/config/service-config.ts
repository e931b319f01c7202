import { z } from 'zod';

export const InferenceDevice = z.enum(['auto', 'cpu', 'cuda']);

/** Variables every service reads. A service adds its own with `extend`. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  /** longest wait (ms) for a PostgreSQL connection and for each query's answer; 0: no limit */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(60_000),
  DATA_DIR: z.string().default('.data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  DEMO_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  INFERENCE_DEVICE: InferenceDevice.default('auto'),
  MODELS_DIR: z.string().optional(),
  SESSION_TTL_MINUTES: z.coerce.number().int().positive().default(480),
  BODY_LIMIT: z.string().default('10mb'),
  /** requests per second per client (bearer credential or address); 0 turns limiting off */
  RATE_LIMIT_RPS: z.coerce.number().nonnegative().default(300),
  RATE_LIMIT_BURST: z.coerce.number().positive().default(600),
  /** refuse to start when the audit chain does not verify */
  AUDIT_VERIFY_ON_START: z.enum(['off', 'warn', 'strict']).default('warn'),
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;

export interface ServiceConfig extends BaseEnv {
  service: string;
  port: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

const portSchema = z.coerce.number().int().min(0).max(65535); // 0 = any free port (tests)

/**
 * Reads and validates the environment once at start-up. The port comes from `<SERVICE>_PORT`,
 * then `PORT`, then the service's default; anything invalid stops the service naming the variable.
 */
export function loadServiceConfig<S extends z.ZodRawShape = Record<string, never>>(
  service: string,
  defaultPort: number,
  extra?: S,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig & z.infer<z.ZodObject<S>> {
  const schema = extra ? baseEnvSchema.extend(extra) : baseEnvSchema;
  const portVar = `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
  const problems: { variable: string; message: string }[] = [];
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ variable: String(issue.path[0]), message: issue.message });
  }
  const portSource = env[portVar] !== undefined ? portVar : env.PORT !== undefined ? 'PORT' : undefined;
  const port = portSchema.safeParse(portSource ? env[portSource] : defaultPort);
  if (!port.success) problems.push({ variable: portSource ?? portVar, message: 'must be a port number (0-65535)' });
  if (problems.length) throw new ConfigError(problems);
  return { ...(parsed.data as object), service, port: port.data } as ServiceConfig & z.infer<z.ZodObject<S>>;
}
