import IORedis from 'ioredis';
import { AMLWORLD_BAD_LINES as BAD_LINES, amlworldCsv } from './amlworld-file';
import { bearer, freePort, reportFacts, serviceStorage, startService, stopAllServices, waitFor, type ServiceProcess, type ServiceStorage } from './service-process';

/**
 * An AMLworld CSV import killed with SIGKILL while its background job is deciding rows, then the
 * service started again on the same database. Every transaction the API showed as stored before the
 * kill must still be there, once, with the same decision; the interrupted job must finish by itself;
 * sending the same file again must add nothing, since row ids derive from the file's hash and line.
 * Both job transports: in-process (jobs left running are re-queued at start) and BullMQ over Redis
 * (the stalled job is delivered again once its lock expires, and taken over once its heartbeat is old).
 */
jest.setTimeout(300_000);

interface Job {
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  error?: string | null;
  result?: { rows: number; decided: number; duplicates: number; badLines: number; alerts: number };
}

/** A Redis logical database of this test's own, so no other test's worker shares its BullMQ queue. */
const redisUrl = `${(process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/${8 + (process.pid % 8)}`;

const transports = [
  { transport: 'in-process', rows: 10_000, redis: undefined },
  { transport: 'bullmq', rows: 5_000, redis: redisUrl },
];

describe.each(transports)('AML CSV import killed mid-job ($transport jobs)', ({ transport, rows: VALID_ROWS, redis }) => {
  let storage: ServiceStorage;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let svc: ServiceProcess;

  beforeAll(async () => {
    storage = await serviceStorage(`aml-import-${transport}`);
    port = await freePort();
    env = storage.env({ AML_PORT: String(port), AML_DEMO_SEED: 'false', ...(redis ? { REDIS_URL: redis } : {}) });
  });

  afterAll(async () => {
    await stopAllServices();
    await storage?.destroy();
    if (redis) {
      const r = new IORedis(redis);
      const keys = await r.keys('bull:suite-aml:*');
      if (keys.length) await r.del(...keys);
      r.disconnect();
    }
  });

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${svc.url}${path}`, { headers: bearer });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  /** Every imported transaction the API lists now, id -> decision. */
  async function storedDecisions(): Promise<Map<string, string>> {
    const seen = new Map<string, string>();
    for (let page = 1; ; page++) {
      const p = await get<{ items: { id: string; decision: string }[]; total: number }>(`/api/transactions?source=csv&pageSize=500&page=${page}`);
      for (const t of p.items) seen.set(t.id, t.decision);
      if (p.items.length < 500) return seen;
    }
  }

  const total = async (path: string) => (await get<{ total: number }>(`${path}${path.includes('?') ? '&' : '?'}pageSize=1`)).total;

  const upload = async (csv: string) => {
    const res = await fetch(`${svc.url}/api/transactions/import?filename=fault.csv`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/octet-stream' }, body: csv });
    expect(res.status).toBe(202);
    return ((await res.json()) as { jobId: string }).jobId;
  };

  const finished = (jobId: string) =>
    waitFor(
      `job ${jobId} to finish`,
      async () => {
        const job = await get<Job>(`/api/jobs/${jobId}`);
        return job.status === 'done' || job.status === 'failed' ? job : undefined;
      },
      200_000,
      250,
    );

  it('keeps every stored row once, finishes the interrupted job after restart, and a re-import adds nothing', async () => {
    const csv = amlworldCsv(VALID_ROWS);
    svc = await startService('aml', port, env);
    const jobId = await upload(csv);

    // kill once some rows are decided and stored, while the job is still running
    await waitFor('the first decided rows', async () => ((await total('/api/transactions?source=csv')) >= 1000 ? true : undefined), 90_000, 50);
    const acknowledged = await storedDecisions();
    const jobAtKill = await get<Job>(`/api/jobs/${jobId}`);
    await svc.stop('SIGKILL');
    expect(jobAtKill.status).toBe('running'); // the kill really interrupted the job
    expect(acknowledged.size).toBeGreaterThanOrEqual(1000);
    expect(acknowledged.size).toBeLessThan(VALID_ROWS);

    const restartedAt = Date.now();
    svc = await startService('aml', port, env);
    const readyAfterS = (Date.now() - restartedAt) / 1000;
    const afterRestart = await storedDecisions();
    const lost = [...acknowledged.keys()].filter((id) => !afterRestart.has(id));
    const changed = [...acknowledged].filter(([id, d]) => afterRestart.has(id) && afterRestart.get(id) !== d);

    // the interrupted job is run again by the new process (how depends on the transport)
    const resumed = await finished(jobId);
    const jobFinishedAfterS = (Date.now() - restartedAt) / 1000;
    expect({ status: resumed.status, error: resumed.error ?? null }).toEqual({ status: 'done', error: null });
    expect(resumed.result?.rows).toBe(VALID_ROWS);
    expect(resumed.result?.badLines).toBe(BAD_LINES.length);
    expect((resumed.result?.decided ?? 0) + (resumed.result?.duplicates ?? 0)).toBe(VALID_ROWS);
    // rows stored before the kill are recognised as already decided, not decided again
    const storedAtKill = resumed.result?.duplicates ?? 0;
    expect(storedAtKill).toBeGreaterThanOrEqual(acknowledged.size);
    // the progress a client saw was the share decided (stored at most every 250 ms: it may lag)
    expect(jobAtKill.progress).toBeGreaterThan(0);
    expect(jobAtKill.progress).toBeLessThanOrEqual(storedAtKill / VALID_ROWS + 0.02);
    const afterResume = await storedDecisions();

    // the client, unsure, sends the same file again
    const again = await finished(await upload(csv));
    expect({ status: again.status, error: again.error ?? null }).toEqual({ status: 'done', error: null });
    expect(again.result).toMatchObject({ rows: VALID_ROWS, decided: 0, duplicates: VALID_ROWS, badLines: BAD_LINES.length, alerts: 0 });
    const final = await storedDecisions();
    const totalAfter = await total('/api/transactions?source=csv');
    // one alert per flagged transaction, none doubled by the rerun
    const flagged = (await total('/api/transactions?source=csv&decision=REVIEW')) + (await total('/api/transactions?source=csv&decision=BLOCK'));
    const alerts = await total('/api/alerts');

    reportFacts(`aml-import-kill-${transport}`, {
      transport,
      validRows: VALID_ROWS,
      badLines: BAD_LINES.length,
      storedBeforeKill: acknowledged.size,
      jobProgressAtKill: jobAtKill.progress,
      restartReadySeconds: readyAfterS,
      storedRightAfterRestart: afterRestart.size,
      lostAfterRestart: lost.length,
      decisionsChanged: changed.length,
      interruptedJob: { status: resumed.status, finishedSecondsAfterRestart: jobFinishedAfterS, decided: resumed.result?.decided, duplicates: resumed.result?.duplicates },
      storedAfterResume: afterResume.size,
      reimport: again.result,
      finalCount: totalAfter,
      finalDistinct: final.size,
      flaggedTransactions: flagged,
      alerts,
    });
    expect(lost).toEqual([]);
    expect(changed).toEqual([]);
    expect(afterResume.size).toBe(VALID_ROWS);
    expect(final.size).toBe(VALID_ROWS);
    expect(totalAfter).toBe(VALID_ROWS);
    expect(alerts).toBe(flagged);
    await svc.stop('SIGTERM');
  });
});
