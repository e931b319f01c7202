import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '../database/open-database';
import { DATABASE } from '../tokens';
import { chainHash, GENESIS_HASH, type AuditRecord } from './hash-chain';

/** Serialises appends across processes sharing one database, so the chain never forks. */
const AUDIT_LOCK_KEY = 72707370;

export interface AuditInput {
  actor: string;
  action: string;
  subject: string;
  reason?: string;
  detail?: unknown;
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  /** seq of the first entry whose hash or link does not verify */
  brokenAt?: string;
  problem?: string;
}

/** The append-only, hash-chained audit log: every state change and every read of sensitive data. */
@Injectable()
export class AuditService {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async append(input: AuditInput): Promise<{ seq: string; hash: string }> {
    return this.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
      const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
      const prevHash = last?.hash ?? GENESIS_HASH;
      // Millisecond precision: what PostgreSQL stores is exactly what was hashed.
      const record: AuditRecord = { ...input, at: new Date(Math.floor(Date.now())) };
      const hash = chainHash(prevHash, record);
      const row = await tx.auditEntry.create({
        data: { at: record.at, actor: input.actor, action: input.action, subject: input.subject, reason: input.reason, detail: (input.detail ?? undefined) as never, prevHash, hash },
      });
      return { seq: row.seq.toString(), hash };
    });
  }

  async list(filter: { subject?: string; subjectPrefix?: string; actor?: string; action?: string; skip?: number; take?: number }) {
    const where = {
      subject: filter.subject ?? (filter.subjectPrefix ? { startsWith: filter.subjectPrefix } : undefined),
      actor: filter.actor,
      action: filter.action,
    };
    const [items, total] = await Promise.all([
      this.db.prisma.auditEntry.findMany({ where, orderBy: { seq: 'asc' }, skip: filter.skip ?? 0, take: Math.min(filter.take ?? 100, 1000) }),
      this.db.prisma.auditEntry.count({ where }),
    ]);
    return { items: items.map((e) => ({ ...e, seq: e.seq.toString() })), total };
  }

  /** Walks the whole chain in seq order, recomputing every hash and link. */
  async verify(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let cursor: bigint | undefined;
    let entries = 0;
    for (;;) {
      const page = await this.db.prisma.auditEntry.findMany({
        where: cursor === undefined ? {} : { seq: { gt: cursor } },
        orderBy: { seq: 'asc' },
        take: 1000,
      });
      if (!page.length) return { ok: true, entries };
      for (const e of page) {
        if (e.prevHash !== prevHash) return { ok: false, entries, brokenAt: e.seq.toString(), problem: 'link to the previous entry does not match' };
        const expected = chainHash(prevHash, { at: e.at, actor: e.actor, action: e.action, subject: e.subject, reason: e.reason, detail: e.detail });
        if (expected !== e.hash) return { ok: false, entries, brokenAt: e.seq.toString(), problem: 'entry content does not match its hash' };
        prevHash = e.hash;
        entries++;
        cursor = e.seq;
      }
    }
  }
}
