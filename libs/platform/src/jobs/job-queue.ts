import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Database } from '../database/open-database';
import { NotFoundError, ValidationError } from '../errors/domain-errors';
import { DATABASE } from '../tokens';

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
 * answer `GET /api/jobs/:id`, and work left queued or running by a crashed process is picked up
 * again at start. In-process runner; the BullMQ runner (REDIS_URL) keeps the same contract.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('jobs');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly pending: string[] = [];
  private running = 0;
  private stopped = false;
  private idle: Array<() => void> = [];

  constructor(@Inject(DATABASE) private readonly db: Database) {}

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
    this.pending.push(job.id);
    this.pump();
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

  private async execute(id: string) {
    const job = await this.db.prisma.job.findUnique({ where: { id } });
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const handler = this.handlers.get(job.kind) as JobHandler;
    await this.db.prisma.job.update({ where: { id }, data: { status: 'running', startedAt: new Date() } });
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
