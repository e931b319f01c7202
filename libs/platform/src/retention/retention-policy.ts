import type { Prisma } from '../generated/prisma/client';

/** Rows of another table that belong to a record and go with it (deleted first, same transaction). */
export interface RetentionChild {
  table: string;
  /** Column of `table` holding the record's key. */
  column: string;
}

/**
 * What one service keeps for a limited time: records of `table` whose `timestampColumn` is older
 * than the period in `periodVariable` (days; unset or 0 = kept forever) are deleted, except those
 * under a legal hold. Keys are text columns (every id in this schema is).
 */
export interface RetentionPolicy<Collected = unknown> {
  /** Stable name, `<service>.<records>`: metrics label, audit subject `retention:<name>`. */
  name: string;
  /** What is deleted, in the domain's words (shown by GET /api/admin/retention). */
  description: string;
  /** Environment variable holding the period in days, e.g. RETENTION_EMR_NOTES_DAYS. */
  periodVariable: string;
  table: string;
  key: string;
  timestampColumn: string;
  /**
   * Records kept whatever their age: an SQL condition over the record, aliased `r`
   * (e.g. `EXISTS (SELECT 1 FROM "AmlSar" s WHERE s."caseId" = r.id)`). Written by the domain,
   * never built from input.
   */
  hold?: { description: string; sql: string };
  /** Tables without a foreign key to the record whose rows must go with it, deleted before it. */
  children?: RetentionChild[];
  /**
   * Tables that a foreign key with ON DELETE CASCADE empties with the record (documentation for
   * the admin endpoint; the database does the work).
   */
  cascades?: string[];
  /** Inside the delete transaction, before anything is deleted: gathers what `afterCommit` needs. */
  beforeDelete?(tx: Prisma.TransactionClient, keys: string[]): Promise<Collected>;
  /**
   * After the batch committed, for what lives outside the database (stored files). Returns counts
   * to report, e.g. `{ files: 12 }`. A failure here is logged and counted, never rolled back.
   */
  afterCommit?(collected: Collected): Promise<Record<string, number> | void>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The audit chain is evidence: no retention policy may touch it. */
const PROTECTED_TABLES = new Set(['AuditEntry']);

/** Quotes a checked SQL identifier. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain SQL identifier`);
  return `"${name}"`;
}

/** Checks the policies of one service; a mistake here is a programming error caught at start-up. */
export function validatePolicies(policies: RetentionPolicy[]): RetentionPolicy[] {
  const names = new Set<string>();
  for (const p of policies) {
    const where = `retention policy ${p.name}`;
    if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/.test(p.name)) throw new Error(`${where}: name must look like "<service>.<records>"`);
    if (names.has(p.name)) throw new Error(`${where}: registered twice`);
    names.add(p.name);
    if (!/^RETENTION_[A-Z0-9_]+_DAYS$/.test(p.periodVariable)) throw new Error(`${where}: periodVariable must look like RETENTION_<...>_DAYS`);
    for (const id of [p.table, p.key, p.timestampColumn, ...(p.children ?? []).flatMap((c) => [c.table, c.column])]) sqlIdentifier(id);
    for (const t of [p.table, ...(p.children ?? []).map((c) => c.table), ...(p.cascades ?? [])]) {
      if (PROTECTED_TABLES.has(t)) throw new Error(`${where}: the audit log is never deleted by retention`);
    }
  }
  return policies;
}
