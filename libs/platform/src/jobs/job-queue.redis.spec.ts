import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

const redisUrl = process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = join(__dirname, '..', '..', '..', '..');
const hasServer = !!(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);

function node(role: 'api' | 'worker', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(root, 'scripts', 'run-ts.cjs'), join(__dirname, '__fixtures__', 'job-node.ts'), role], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

const exited = (p: ChildProcess) => new Promise<number | null>((r) => (p.exitCode !== null ? r(p.exitCode) : p.on('exit', r)));

// Several processes can only share a database on a server; CI always has one (DATABASE_URL).
(hasServer ? describe : describe.skip)('jobs over BullMQ with two API processes and two workers', () => {
  let db: TestDatabase;
  const service = `jobtest${process.pid}`;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    const redis = new IORedis(redisUrl);
    const keys = await redis.keys(`bull:suite-${service}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.destroy();
  });

  it('does every job exactly once and loses none', async () => {
    const env = { DATABASE_URL: db.url as string, REDIS_URL: redisUrl, JOB_SERVICE: service, JOBS: '25', LOG_LEVEL: 'error' };
    const workers = [node('worker', env), node('worker', env)];
    await Promise.all(workers.map((w) => new Promise<void>((r) => w.stdout!.on('data', (d) => String(d).includes('worker ready') && r()))));
    const apis = [node('api', env), node('api', env)];
    expect(await Promise.all(apis.map(exited))).toEqual([0, 0]);

    const deadline = Date.now() + 60_000;
    let done = 0;
    while (Date.now() < deadline) {
      done = await db.prisma.job.count({ where: { kind: 'count', status: 'done' } });
      if (done === 50) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    workers.forEach((w) => w.kill('SIGTERM'));
    await Promise.all(workers.map(exited));

    expect(await db.prisma.job.count({ where: { kind: 'count' } })).toBe(50);
    expect(done).toBe(50);
    const executions = await db.prisma.auditEntry.groupBy({ by: ['subject'], where: { action: 'job.executed' }, _count: { _all: true } });
    expect(executions).toHaveLength(50);
    expect(executions.every((e) => e._count._all === 1)).toBe(true);
    const runners = await db.prisma.auditEntry.groupBy({ by: ['actor'], where: { action: 'job.executed' } });
    expect(runners.length).toBe(2); // both workers took a share
  }, 120_000);
});
