import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { ServiceConfig } from '../config/service-config';
import type { Database } from '../database/open-database';
import { JobQueue, type JobView } from '../jobs/job-queue';
import { DATABASE, SERVICE_CONFIG } from '../tokens';
import { loadRetentionSettings, type RetentionSettings } from './retention-config';
import type { RetentionPolicy } from './retention-policy';
import { auditSubject, RetentionSweeper, type PolicySweep } from './retention-sweeper';

export const RETENTION_POLICIES = Symbol('RETENTION_POLICIES');

/**
 * Runs the service's retention policies: a sweep at start and every
 * RETENTION_SWEEP_INTERVAL_MINUTES, as a job of the platform JobQueue whose id is the time slot,
 * so several replicas (or workers) share one sweep per slot instead of racing.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('retention');
  private readonly settings: RetentionSettings;
  private readonly sweeper: RetentionSweeper;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<PolicySweep[]>;
  readonly jobKind: string;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(RETENTION_POLICIES) private readonly policies: RetentionPolicy[],
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
  ) {
    this.settings = loadRetentionSettings(policies);
    this.sweeper = new RetentionSweeper(db, audit, policies, {
      batchSize: this.settings.batchSize,
      periods: this.settings.periods,
      log: (msg) => this.log.error(msg),
      stopped: () => this.stopped,
    });
    // one kind per service: services sharing one database never run each other's sweeps
    this.jobKind = `retention.sweep.${config.service}`;
    jobs.register<{ requestedBy?: string }, PolicySweep[]>(this.jobKind, (input) => this.sweep(input?.requestedBy));
  }

  onApplicationBootstrap() {
    if (process.env.SUITE_ROLE === 'worker') return; // workers run the jobs; API replicas schedule them
    const enabled = this.sweeper.enabled();
    if (!enabled.length) return;
    this.log.log(`retention: ${enabled.map((p) => `${p.name} ${this.settings.periods.get(p.name)} days`).join(', ')}; sweep every ${this.settings.intervalMinutes} min`);
    void this.schedule();
    this.timer = setInterval(() => void this.schedule(), this.settings.intervalMinutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Enqueues this time slot's sweep (a no-op when another replica already did). */
  async schedule(): Promise<JobView | undefined> {
    const slot = Math.floor(Date.now() / (this.settings.intervalMinutes * 60_000));
    try {
      return await this.jobs.enqueue(this.jobKind, {}, { id: `retention-${this.config.service}-${slot}` });
    } catch (err) {
      // the unique job id lost a race with another replica: that replica's job is this slot's sweep
      this.log.debug(`retention slot ${slot} not enqueued here: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** An extra sweep now, on an admin's request (audited with the requester). */
  async request(requestedBy: string): Promise<JobView> {
    return this.jobs.enqueue(this.jobKind, { requestedBy });
  }

  /** Runs one sweep in this process; concurrent callers share it. */
  sweep(requestedBy?: string): Promise<PolicySweep[]> {
    if (!this.running) {
      this.running = this.sweeper.sweep(new Date(), requestedBy).finally(() => (this.running = undefined));
    }
    return this.running;
  }

  /** Policies, their periods and each one's last sweep (from the audit log, so any replica's counts). */
  async describe() {
    const policies = await Promise.all(
      this.policies.map(async (p) => {
        const periodDays = this.settings.periods.get(p.name) ?? 0;
        const last = await this.db.prisma.auditEntry.findFirst({
          where: { subject: auditSubject(p.name), action: { in: ['retention.sweep', 'retention.sweep_failed'] } },
          orderBy: { seq: 'desc' },
        });
        return {
          name: p.name,
          description: p.description,
          table: p.table,
          timestampColumn: p.timestampColumn,
          periodVariable: p.periodVariable,
          periodDays,
          keepForever: periodDays === 0,
          hold: p.hold?.description ?? null,
          deletedWith: [...(p.children ?? []).map((c) => c.table), ...(p.cascades ?? [])],
          lastSweep: last ? { at: last.at, ...(last.detail as object) } : null,
        };
      }),
    );
    return { intervalMinutes: this.settings.intervalMinutes, batchSize: this.settings.batchSize, policies };
  }
}
