import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

/**
 * Carries job ids over Redis with BullMQ; the job's state and result stay in PostgreSQL. The
 * BullMQ job id is our job id, so enqueueing the same job twice is a no-op.
 */
export class BullmqTransport {
  private readonly connection: IORedis;
  private readonly queue: Queue;
  private worker?: Worker;

  constructor(
    url: string,
    private readonly name: string,
    private readonly run: ((jobId: string) => Promise<void>) | undefined,
    private readonly concurrency: number,
  ) {
    this.connection = new IORedis(url, { maxRetriesPerRequest: null });
    this.queue = new Queue(name, { connection: this.connection });
  }

  add(kind: string, jobId: string) {
    return this.queue.add(kind, { jobId }, { jobId, removeOnComplete: 1000, removeOnFail: 5000, attempts: 3, backoff: { type: 'exponential', delay: 1000 } });
  }

  start() {
    if (!this.run || this.worker) return;
    const run = this.run;
    this.worker = new Worker(this.name, async (job) => run((job.data as { jobId: string }).jobId), {
      connection: this.connection.duplicate(),
      concurrency: this.concurrency,
    });
  }

  async close() {
    await this.worker?.close();
    await this.queue.close();
    this.connection.disconnect();
  }
}
