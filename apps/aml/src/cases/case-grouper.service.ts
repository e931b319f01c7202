import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { alertPriority, type CasePriority, chooseCase, maxPriority, type OpenCaseView, slaDueAt } from '@suite/aml';
import { AuditService, DATABASE, type Database } from '@suite/platform';
import { randomUUID } from 'node:crypto';

/** Alerts are filed into cases this long after they are committed, gathered into one pass. */
const DEBOUNCE_MS = 100;
const PASS_LIMIT = 5000;

type CaseRow = OpenCaseView & { slaDueAt: Date; isNew: boolean; title: string; alertIds: string[] };

/**
 * Files new alerts (caseId null) into cases, off the decision path: each alert joins the most
 * recently active open case of one of its accounts, or opens one with a priority and SLA. One pass
 * handles every waiting alert in one transaction, then writes one audit entry per case it opened
 * or changed, so a burst of alerts costs a few audit appends, not one per alert.
 */
@Injectable()
export class CaseGrouper implements OnApplicationShutdown {
  private readonly log = new Logger('cases');
  private timer?: NodeJS.Timeout;
  /** Passes run one after another; each flush queues a drain behind the ones before it. */
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  /** Asks for a pass soon (debounced). */
  schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((e) => this.log.error(`case grouping failed: ${(e as Error).message}`));
    }, DEBOUNCE_MS);
  }

  /**
   * Files every alert committed before the call (and any found meanwhile); resolves with the
   * number filed by this call's drain (tests, imports, seeding, shutdown).
   */
  flush(): Promise<number> {
    const run = this.chain.then(() => this.drain());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.pass();
      total += n;
      if (n < PASS_LIMIT) return total;
    }
  }

  private async pass(): Promise<number> {
    const alerts = await this.db.prisma.amlAlert.findMany({ where: { caseId: null }, orderBy: [{ createdAt: 'asc' }, { transactionId: 'asc' }], take: PASS_LIMIT });
    if (!alerts.length) return 0;
    const accounts = [...new Set(alerts.flatMap((a) => a.accounts))];
    const open = await this.db.prisma.amlCase.findMany({ where: { status: { not: 'closed' }, accounts: { hasSome: accounts } } });
    const views: CaseRow[] = open.map((c) => ({ id: c.id, accounts: c.accounts, typologies: c.typologies, lastAlertAt: c.lastAlertAt, priority: c.priority as CasePriority, slaDueAt: c.slaDueAt, isNew: false, title: c.title, alertIds: [] }));
    const touched = new Set<CaseRow>();
    const assignment: Array<{ id: string; caseId: string }> = [];
    for (const a of alerts) {
      const g = { decision: a.decision as 'REVIEW' | 'BLOCK', score: a.score, typologies: a.typologies, accounts: a.accounts, at: a.createdAt };
      const priority = alertPriority(g);
      let c = chooseCase(g, views) as CaseRow | null;
      if (c) {
        c.accounts = [...new Set([...c.accounts, ...a.accounts])];
        c.typologies = [...new Set([...c.typologies, ...a.typologies])];
        if (a.createdAt > c.lastAlertAt) c.lastAlertAt = a.createdAt;
        const p = maxPriority(c.priority, priority);
        if (p !== c.priority) {
          c.priority = p;
          const due = slaDueAt(p, a.createdAt);
          if (due < c.slaDueAt) c.slaDueAt = due;
        }
      } else {
        c = { id: randomUUID(), accounts: [...a.accounts], typologies: [...a.typologies], lastAlertAt: a.createdAt, priority, slaDueAt: slaDueAt(priority, a.createdAt), isNew: true, title: `${a.typologies.join(', ')} around ${a.accounts[0]}`, alertIds: [] };
        views.push(c);
      }
      c.alertIds.push(a.id);
      touched.add(c);
      assignment.push({ id: a.id, caseId: c.id });
    }
    const list = [...touched];
    const created = list.filter((c) => c.isNew);
    const changed = list.filter((c) => !c.isNew);
    await this.db.prisma.$transaction(async (tx) => {
      if (created.length) {
        await tx.amlCase.createMany({
          data: created.map((c) => ({ id: c.id, title: c.title, status: 'open', priority: c.priority, accounts: c.accounts, typologies: c.typologies, slaDueAt: c.slaDueAt, lastAlertAt: c.lastAlertAt })),
        });
      }
      if (changed.length) {
        await tx.$executeRawUnsafe(
          `UPDATE "AmlCase" c SET "accounts" = u."accounts", "typologies" = u."typologies", "lastAlertAt" = u."lastAlertAt", "priority" = u."priority", "slaDueAt" = u."slaDueAt", "updatedAt" = now()
           FROM json_populate_recordset(NULL::"AmlCase", $1::json) u WHERE c."id" = u."id"`,
          JSON.stringify(changed.map((c) => ({ id: c.id, accounts: c.accounts, typologies: c.typologies, lastAlertAt: c.lastAlertAt, priority: c.priority, slaDueAt: c.slaDueAt }))),
        );
      }
      // only alerts still unfiled: a concurrent pass in another replica cannot file one twice
      await tx.$executeRawUnsafe(
        `UPDATE "AmlAlert" a SET "caseId" = u."caseId" FROM json_populate_recordset(NULL::"AmlAlert", $1::json) u WHERE a."id" = u."id" AND a."caseId" IS NULL`,
        JSON.stringify(assignment),
      );
    });
    for (const c of list) {
      await this.audit.append({ actor: 'system', action: c.isNew ? 'case.opened' : 'case.alerts_added', subject: `case:${c.id}`, detail: { alerts: c.alertIds, priority: c.priority, slaDueAt: c.slaDueAt } });
    }
    return alerts.length;
  }

  async onApplicationShutdown() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.chain;
  }
}
