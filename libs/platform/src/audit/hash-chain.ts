import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  at: Date;
  actor: string;
  action: string;
  subject: string;
  reason?: string | null;
  detail?: unknown;
}

/** Canonical JSON (sorted keys) so the same entry always hashes the same, in any process. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  return JSON.stringify(value);
}

/** hash_n = sha256(hash_{n-1} || canonical(entry_n)): changing or removing any entry breaks every later hash. */
export function chainHash(prevHash: string, record: AuditRecord): string {
  const body = canonicalJson({
    at: record.at.toISOString(),
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    reason: record.reason ?? null,
    detail: record.detail ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
