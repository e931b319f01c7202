/**
 * One process of the scale-out test: `api` enqueues JOBS jobs then exits; `worker` works jobs
 * until told to stop. Each execution is recorded in the audit log, so the test can count them.
 */
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditService } from '../../audit/audit.service';
import { PlatformModule } from '../../platform.module';
import { JobQueue } from '../job-queue';

@Injectable()
class CountingJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
  ) {}
  onModuleInit() {
    this.jobs.register<{ n: number }, number>('count', async ({ n }, ctx) => {
      await new Promise((r) => setTimeout(r, 5 + (n % 7)));
      await this.audit.append({ actor: `pid:${process.pid}`, action: 'job.executed', subject: `job:${ctx.jobId}` });
      return n;
    });
  }
}

@Module({ imports: [PlatformModule.forRoot({ service: process.env.JOB_SERVICE ?? 'jobtest', defaultPort: 0 })], providers: [CountingJobs] })
class JobNodeModule {}

async function main() {
  const role = process.argv[2];
  if (role === 'api') process.env.JOB_WORKER = '0';
  const app = await NestFactory.createApplicationContext(JobNodeModule, { logger: ['error'] });
  await app.init();
  if (role === 'api') {
    const jobs = app.get(JobQueue);
    const count = Number(process.env.JOBS ?? 20);
    for (let i = 0; i < count; i++) await jobs.enqueue('count', { n: i });
    await app.close();
    process.exit(0);
  }
  process.stdout.write('worker ready\n');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
