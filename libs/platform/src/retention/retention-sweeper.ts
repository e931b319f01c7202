import type { AuditService } from '../audit/audit.service';
import type { Database } from '../database/open-database';
import { retentionDeleted, retentionFailures, retentionHeld, retentionLastSweep } from './retention-metrics';
import { sqlIdentifier as q, type RetentionPolicy } from './retention-policy';

/** What one sweep of one policy did; also the audit entry's detail. */
export interface PolicySweep {
  policy: string;
  periodDays: number;
  /** Records older than this were expired. */
  cutoff: string;
  deleted: number;
  /** Rows deleted from child tables, per table. */
  children: Record<string, number>;
  /** Counts reported by afterCommit (e.g. files removed). */
  outside: Record<string, number>;
  /** Expired records kept under the legal hold. */
  held: number;
  batches: number;
  error?: string;
}

export const RETENTION_ACTOR = 'system:retention';
export const auditSubject = (policy: string) => `retention:${policy}`;

/**
 * Deletes what the policies say has expired, in bounded batches, each in its own transaction
 * (children first, then the records; cascades do the rest), and writes one audit entry per policy
 * per sweep. Held records are never selected, so batches always make progress.
 */
export class RetentionSweeper {
  private readonly columnKind = new Map<string, 'timestamp' | 'timestamptz'>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly policies: RetentionPolicy[],
    private readonly options: { batchSize: number; periods: Map<string, number>; log?: (msg: string) => void; stopped?: () => boolean },
  ) {}

  /** Policies with a period (0 or unset = kept forever, never swept). */
  enabled(): RetentionPolicy[] {
    return this.policies.filter((p) => (this.options.periods.get(p.name) ?? 0) > 0);
  }

  /** One sweep over every enabled policy; a failing policy does not stop the others. */
  async sweep(now = new Date(), requestedBy?: string): Promise<PolicySweep[]> {
    const results: PolicySweep[] = [];
    for (const policy of this.enabled()) {
      if (this.options.stopped?.()) break;
      results.push(await this.sweepPolicy(policy, now, requestedBy));
    }
    return results;
  }

  async sweepPolicy(policy: RetentionPolicy, now: Date, requestedBy?: string): Promise<PolicySweep> {
    const periodDays = this.options.periods.get(policy.name) ?? 0;
    const cutoff = new Date(now.getTime() - periodDays * 86_400_000);
    const result: PolicySweep = { policy: policy.name, periodDays, cutoff: cutoff.toISOString(), deleted: 0, children: {}, outside: {}, held: 0, batches: 0 };
    try {
      const { expired, cutoffParam } = await this.expiredCondition(policy, cutoff);
      for (;;) {
        if (this.options.stopped?.()) break;
        const n = await this.deleteBatch(policy, expired, cutoffParam, result);
        if (n < this.options.batchSize) break;
      }
      if (policy.hold) {
        const rows = await this.db.prisma.$queryRawUnsafe<Array<{ n: bigint | number }>>(
          `SELECT count(*) AS n FROM ${q(policy.table)} r WHERE ${expired} AND (${policy.hold.sql})`,
          cutoffParam,
        );
        result.held = Number(rows[0]?.n ?? 0);
      }
      retentionHeld.set({ policy: policy.name }, result.held);
    } catch (err) {
      result.error = (err as Error).message;
      retentionFailures.inc({ policy: policy.name });
      this.options.log?.(`retention sweep of ${policy.name} failed after ${result.deleted} deletions: ${result.error}`);
    }
    retentionLastSweep.set({ policy: policy.name }, Date.now() / 1000);
    await this.audit.append({
      actor: RETENTION_ACTOR,
      action: result.error ? 'retention.sweep_failed' : 'retention.sweep',
      subject: auditSubject(policy.name),
      reason: requestedBy ? `requested by ${requestedBy}` : undefined,
      detail: { ...result, hold: policy.hold?.description },
    });
    return result;
  }

  /** One transaction: pick up to batchSize expired, unheld records, delete their children, then them. */
  private async deleteBatch(policy: RetentionPolicy, expired: string, cutoffParam: string, result: PolicySweep): Promise<number> {
    const hold = policy.hold ? ` AND NOT (${policy.hold.sql})` : '';
    let collected: unknown;
    const deleted = await this.db.prisma.$transaction(
      async (tx) => {
        // SKIP LOCKED: a replica sweeping at the same moment takes other rows instead of waiting
        const rows = await tx.$queryRawUnsafe<Array<{ key: string }>>(
          `SELECT r.${q(policy.key)} AS key FROM ${q(policy.table)} r WHERE ${expired}${hold} LIMIT ${this.options.batchSize} FOR UPDATE OF r SKIP LOCKED`,
          cutoffParam,
        );
        const keys = rows.map((r) => String(r.key));
        if (!keys.length) return 0;
        if (policy.beforeDelete) collected = await policy.beforeDelete(tx, keys);
        for (const child of policy.children ?? []) {
          const n = await tx.$executeRawUnsafe(`DELETE FROM ${q(child.table)} WHERE ${q(child.column)} = ANY($1::text[])`, keys);
          result.children[child.table] = (result.children[child.table] ?? 0) + n;
        }
        return tx.$executeRawUnsafe(`DELETE FROM ${q(policy.table)} WHERE ${q(policy.key)} = ANY($1::text[])`, keys);
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    if (!deleted) return 0;
    result.batches++;
    result.deleted += deleted;
    retentionDeleted.inc({ policy: policy.name }, deleted);
    if (policy.afterCommit) {
      try {
        const counts = await policy.afterCommit(collected);
        for (const [k, v] of Object.entries(counts ?? {})) result.outside[k] = (result.outside[k] ?? 0) + v;
      } catch (err) {
        result.outside.failures = (result.outside.failures ?? 0) + 1;
        this.options.log?.(`retention ${policy.name}: clean-up after commit failed: ${(err as Error).message}`);
      }
    }
    return deleted;
  }

  /**
   * The "older than the cutoff" condition over alias r. Prisma stores DateTime as `timestamp`
   * (UTC, no zone) unless the schema says Timestamptz; the cutoff is cast to the column's own type
   * so the comparison never depends on the session time zone.
   */
  private async expiredCondition(policy: RetentionPolicy, cutoff: Date): Promise<{ expired: string; cutoffParam: string }> {
    let kind = this.columnKind.get(policy.name);
    if (!kind) {
      const rows = await this.db.prisma.$queryRawUnsafe<Array<{ data_type: string }>>(
        `SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`,
        policy.table,
        policy.timestampColumn,
      );
      const type = rows[0]?.data_type;
      if (type === 'timestamp without time zone') kind = 'timestamp';
      else if (type === 'timestamp with time zone') kind = 'timestamptz';
      else throw new Error(`${policy.table}.${policy.timestampColumn} is ${type ? `a ${type} column, not a timestamp` : 'not a column of the database'}`);
      this.columnKind.set(policy.name, kind);
    }
    const iso = cutoff.toISOString();
    return { expired: `r.${q(policy.timestampColumn)} < $1::${kind}`, cutoffParam: kind === 'timestamp' ? iso.replace('Z', '') : iso };
  }
}
