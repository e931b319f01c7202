import { ValidationError } from '@suite/platform';
import { z } from 'zod';

/** Parses a request part with a zod schema; a failure is a 400 naming each bad field. */
export function parseOr400<T extends z.ZodTypeAny>(schema: T, value: unknown, what = 'body'): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const errors = r.error.issues.map((i) => ({ path: [what, ...i.path].join('.'), message: i.message }));
    throw new ValidationError(`invalid ${what}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  return r.data;
}

/** page (1-based) and pageSize (1..500, default 50) from a query string. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export function pageArgs(q: { page: number; pageSize: number }) {
  return { skip: (q.page - 1) * q.pageSize, take: q.pageSize };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date')
  .transform((s) => new Date(s));
