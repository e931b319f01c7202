import { bearer, freePort, reportFacts, serviceStorage, startService, stopAllServices, waitFor, type ServiceProcess, type ServiceStorage } from './service-process';

/**
 * An AMLworld CSV import killed with SIGKILL while its background job is deciding rows, then the
 * service started again on the same database. Every transaction the API showed as stored before the
 * kill must still be there, once, with the same decision; the interrupted job must finish by itself
 * (the in-process queue re-queues jobs left running at start); sending the same file again must add
 * nothing, since row ids derive from the file's hash and line.
 */
jest.setTimeout(240_000);

const VALID_ROWS = 16_000;
/** Lines the parser refuses (bad date, unknown currency): counted as bad lines, never stored. */
const BAD_LINES = ['2022/09/31 00:20,010,8000EBD31,011,8000EBD32,100,US Dollar,100,US Dollar,ACH,0', '2022/09/01 00:22,001,8000F5340,001,8000F5341,12.5,Doubloon,12.5,US Dollar,Cash,0'];

/** A time-ordered AMLworld file: VALID_ROWS transfers among 400 accounts, plus the bad lines. */
function amlworldCsv(): string {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const accounts = Array.from({ length: 400 }, (_, i) => [String(1 + (i % 40)).padStart(3, '0'), (0x8000a0000 + i * 7919).toString(16).toUpperCase()]);
  const lines = ['Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering'];
  for (let i = 0; i < VALID_ROWS; i++) {
    const minute = Math.floor(i / 3);
    const day = 1 + Math.floor(minute / 1440);
    const ts = `2022/09/${String(day).padStart(2, '0')} ${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const [fb, fa] = accounts[Math.floor(rnd() * accounts.length)];
    const [tb, ta] = accounts[Math.floor(rnd() * accounts.length)];
    const amount = (10 + rnd() * 9000).toFixed(2);
    lines.push(`${ts},${fb},${fa},${tb},${ta},${amount},US Dollar,${amount},US Dollar,${rnd() < 0.5 ? 'ACH' : 'Wire'},0`);
    if (i === 100 || i === 9000) lines.push(BAD_LINES[i === 100 ? 0 : 1]);
  }
  return lines.join('\n') + '\n';
}

interface Job {
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  error?: string | null;
  result?: { rows: number; decided: number; duplicates: number; badLines: number; alerts: number };
}

describe('AML CSV import killed mid-job', () => {
  let storage: ServiceStorage;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let svc: ServiceProcess;

  beforeAll(async () => {
    storage = await serviceStorage('aml-import');
    port = await freePort();
    env = storage.env({ AML_PORT: String(port), AML_DEMO_SEED: 'false' });
  });

  afterAll(async () => {
    await stopAllServices();
    await storage?.destroy();
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
      150_000,
      250,
    );

  it('keeps every stored row once, finishes the interrupted job after restart, and a re-import adds nothing', async () => {
    const csv = amlworldCsv();
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

    // the in-process queue re-queues a job left running by a dead process and runs it again
    const resumed = await finished(jobId);
    expect({ status: resumed.status, error: resumed.error ?? null }).toEqual({ status: 'done', error: null });
    expect(resumed.result?.rows).toBe(VALID_ROWS);
    expect(resumed.result?.badLines).toBe(BAD_LINES.length);
    expect((resumed.result?.decided ?? 0) + (resumed.result?.duplicates ?? 0)).toBe(VALID_ROWS);
    // rows stored before the kill are recognised as already decided, not decided again
    expect(resumed.result?.duplicates).toBeGreaterThanOrEqual(acknowledged.size);
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

    reportFacts('aml-import-kill', {
      validRows: VALID_ROWS,
      badLines: BAD_LINES.length,
      storedBeforeKill: acknowledged.size,
      jobProgressAtKill: jobAtKill.progress,
      restartReadySeconds: readyAfterS,
      storedRightAfterRestart: afterRestart.size,
      lostAfterRestart: lost.length,
      decisionsChanged: changed.length,
      interruptedJob: { status: resumed.status, decided: resumed.result?.decided, duplicates: resumed.result?.duplicates },
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
