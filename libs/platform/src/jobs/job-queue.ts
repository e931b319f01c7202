import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceConfig } from '../config/service-config';
import type { Database } from '../database/open-database';
import { NotFoundError, ValidationError } from '../errors/domain-errors';
import { DATABASE, SERVICE_CONFIG } from '../tokens';
import { BullmqTransport } from './bullmq-transport';

/** A job whose runner stopped heartbeating this long ago may be claimed again (crash recovery). */
const STALE_AFTER_MS = 60_000;

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  result?: unknown;
  error?: string | null;
  createdAt: Date;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

export interface JobContext {
  jobId: string;
  /** Reports progress in [0, 1]; stored at most every 250 ms. */
  progress(fraction: number): Promise<void>;
}

export type JobHandler<I = unknown, R = unknown> = (input: I, ctx: JobContext) => Promise<R>;

/**
 * Background work (imports, analyses, backtests). State lives in the Job table so any replica can
 * answer `GET /api/jobs/:id`. Without REDIS_URL jobs run in-process and those left queued or
 * running by a crashed process are picked up again at start; with REDIS_URL they go through a
 * BullMQ queue so workers on other machines (`npm run worker -- <service>`) share them. Either way
 * a runner claims a job with a conditional update first, so no job runs twice.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('jobs');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly pending: string[] = [];
  private running = 0;
  private stopped = false;
  private idle: Array<() => void> = [];

  private readonly bull?: BullmqTransport;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    if (config.REDIS_URL) {
      // API replicas enqueue; they also work jobs unless JOB_WORKER=0 (pure API nodes).
      const work = process.env.JOB_WORKER !== '0';
      this.bull = new BullmqTransport(config.REDIS_URL, `suite-${config.service}`, work ? (id) => this.execute(id) : undefined, Number(process.env.JOB_CONCURRENCY ?? 1));
    }
  }

  /** Concurrency of the in-process runner. */
  concurrency = 1;

  register<I, R>(kind: string, handler: JobHandler<I, R>): void {
    this.handlers.set(kind, handler as JobHandler);
  }

  async enqueue<I>(kind: string, input: I, opts: { id?: string } = {}): Promise<JobView> {
    if (!this.handlers.has(kind)) throw new ValidationError(`Unknown job kind ${kind}`);
    if (opts.id) {
      const existing = await this.db.prisma.job.findUnique({ where: { id: opts.id } });
      if (existing) return toView(existing);
    }
    const job = await this.db.prisma.job.create({ data: { id: opts.id, kind, status: 'queued', input: input as never } });
    if (this.bull) {
      await this.bull.add(kind, job.id);
    } else {
      this.pending.push(job.id);
      this.pump();
    }
    return toView(job);
  }

  async get(id: string): Promise<JobView> {
    const job = await this.db.prisma.job.findUnique({ where: { id } });
    if (!job) throw new NotFoundError(`No job ${id}`);
    return toView(job);
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  whenIdle(): Promise<void> {
    if (!this.running && !this.pending.length) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async onApplicationBootstrap() {
    if (this.bull) {
      // BullMQ re-delivers stalled jobs itself; only start consuming once handlers are registered.
      this.bull.start();
      return;
    }
    const leftover = await this.db.prisma.job.findMany({ where: { status: { in: ['queued', 'running'] } }, orderBy: { createdAt: 'asc' } });
    for (const job of leftover) {
      if (!this.handlers.has(job.kind)) continue;
      await this.db.prisma.job.update({ where: { id: job.id }, data: { status: 'queued' } });
      this.pending.push(job.id);
      this.logger.log(`Resuming job ${job.id} (${job.kind}) left by an earlier process`);
    }
    this.pump();
  }

  async onApplicationShutdown() {
    this.stopped = true;
    await this.bull?.close();
  }

  private pump() {
    while (!this.stopped && this.running < this.concurrency && this.pending.length) {
      const id = this.pending.shift() as string;
      this.running++;
      void this.execute(id).finally(() => {
        this.running--;
        if (!this.running && !this.pending.length) this.idle.splice(0).forEach((r) => r());
        this.pump();
      });
    }
  }

  /** Takes a job for this runner: queued, or running with a runner that stopped heartbeating. */
  private async claim(id: string): Promise<boolean> {
    const stale = new Date(Date.now() - STALE_AFTER_MS);
    const res = await this.db.prisma.job.updateMany({
      where: { id, OR: [{ status: 'queued' }, { status: 'running', heartbeatAt: { lt: stale } }] },
      data: { status: 'running', startedAt: new Date(), heartbeatAt: new Date(), attempts: { increment: 1 } },
    });
    return res.count === 1;
  }

  private async execute(id: string) {
    for (;;) {
      if (this.stopped) return;
      if (await this.claim(id)) break;
      // Running under another runner. BullMQ delivers a job again when its worker stopped renewing
      // the lock (a killed process), usually before our heartbeat looks stale: wait until it would,
      // and take the job over then, unless the runner is alive (heartbeat moves) and finishes it.
      const row = await this.db.prisma.job.findUnique({ where: { id }, select: { status: true, heartbeatAt: true } });
      if (!row || row.status !== 'running' || !row.heartbeatAt) return;
      const staleAt = row.heartbeatAt.getTime() + STALE_AFTER_MS + 1000;
      while (!this.stopped && Date.now() < staleAt) await new Promise((r) => setTimeout(r, 1000));
    }
    const job = await this.db.prisma.job.findUnique({ where: { id } });
    if (!job) return;
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      await this.db.prisma.job.update({ where: { id }, data: { status: 'failed', error: `No handler for job kind ${job.kind} in this process`, finishedAt: new Date() } });
      return;
    }
    const heartbeat = setInterval(() => {
      void this.db.prisma.job.update({ where: { id }, data: { heartbeatAt: new Date() } }).catch(() => undefined);
    }, STALE_AFTER_MS / 4).unref();
    try {
      await this.runHandler(id, job, handler);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async runHandler(id: string, job: { kind: string; input: unknown }, handler: JobHandler) {
    let lastWrite = 0;
    const ctx: JobContext = {
      jobId: id,
      progress: async (fraction) => {
        const now = Date.now();
        if (now - lastWrite < 250 && fraction < 1) return;
        lastWrite = now;
        await this.db.prisma.job.update({ where: { id }, data: { progress: Math.max(0, Math.min(1, fraction)) } });
      },
    };
    try {
      const result = await handler(job.input, ctx);
      await this.db.prisma.job.update({ where: { id }, data: { status: 'done', progress: 1, result: (result ?? null) as never, finishedAt: new Date() } });
    } catch (err) {
      this.logger.warn(`Job ${id} (${job.kind}) failed: ${(err as Error).message}`);
      await this.db.prisma.job
        .update({ where: { id }, data: { status: 'failed', error: (err as Error).message ?? String(err), finishedAt: new Date() } })
        .catch(() => undefined);
    }
  }
}

function toView(job: { id: string; kind: string; status: string; progress: number; result: unknown; error: string | null; createdAt: Date; startedAt: Date | null; finishedAt: Date | null }): JobView {
  return { id: job.id, kind: job.kind, status: job.status as JobStatus, progress: job.progress, result: job.result ?? undefined, error: job.error, createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt };
}
