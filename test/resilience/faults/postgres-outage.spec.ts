import { createPrivatePostgres, type PrivatePostgres } from './private-postgres';
import { bearer, freePort, reportFacts, serviceStorage, startService, stopAllServices, waitFor, type ServiceProcess, type ServiceStorage } from './service-process';

/**
 * The AML service on a PostgreSQL server of the test's own, which is crashed (`pg_ctl stop -m
 * immediate`) and started again while the service keeps running. Readiness must turn red with a
 * reason, requests that need the database must fail promptly as problem+json while the process
 * stays up, and once the server is back the same process must be ready and take writes again.
 */
jest.setTimeout(150_000);

/** No request may take longer than this while the database is down (a hang fails the test). */
const REQUEST_BOUND_MS = 20_000;
/** The service's own bound on each database wait (DATABASE_TIMEOUT_MS; 60 s by default), kept short here. */
const DATABASE_TIMEOUT_MS = '3000';

const transaction = (id: string) => ({
  id,
  timestamp: '2022-09-01T10:15:00Z',
  fromBank: '010',
  fromAccount: '8000EBD30',
  toBank: '011',
  toAccount: '8000F4580',
  amountPaid: 950,
  paymentCurrency: 'US Dollar',
  amountReceived: 950,
  receivingCurrency: 'US Dollar',
  paymentFormat: 'ACH',
});

describe('PostgreSQL crashed and restarted under a running service', () => {
  let pg: PrivatePostgres;
  let storage: ServiceStorage;
  let svc: ServiceProcess;
  let port: number;

  beforeAll(async () => {
    pg = createPrivatePostgres(await freePort());
    pg.start();
    storage = await serviceStorage('pg-outage', { useDatabaseUrl: false }); // the private cluster instead
    port = await freePort();
  });

  afterAll(async () => {
    await stopAllServices();
    pg?.destroy();
    await storage?.destroy();
  });

  /** One request with a bound: resolves with status, content type, body and time taken. */
  async function timed(path: string, init: RequestInit = {}) {
    const t0 = Date.now();
    try {
      const res = await fetch(`${svc.url}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
      const body = await res.text();
      return { status: res.status, type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), body, ms: Date.now() - t0 };
    } catch (e) {
      // status 0: no answer within the bound (or no answer at all)
      return { status: 0, type: '', retryAfter: null, body: String((e as Error).message), ms: Date.now() - t0 };
    }
  }
  const submit = (id: string) => timed('/api/transactions', { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify(transaction(id)) });
  const readiness = () => timed('/health/ready');

  it('goes unready with a reason, fails requests cleanly, and recovers without a restart', async () => {
    const env = storage.env({ AML_PORT: String(port), AML_DEMO_SEED: 'false', DATABASE_URL: pg.url, DATABASE_TIMEOUT_MS });
    svc = await startService('aml', port, env);
    expect((await readiness()).status).toBe(200);
    expect((await submit('outage-before')).status).toBe(200);

    pg.stop('immediate');
    const downAt = Date.now();
    const red = await waitFor('readiness to turn red', async () => ((r) => (r.status === 503 ? r : undefined))(await readiness()), 30_000, 100);
    const redAfterS = (Date.now() - downAt) / 1000;
    const reason = JSON.parse(red.body) as { status: string; error?: string };

    const read = await timed('/api/transactions?pageSize=1', { headers: bearer });
    const write = await submit('outage-during');
    const live = await timed('/health');
    expect(svc.child.exitCode).toBeNull();

    pg.start();
    const upAt = Date.now();
    await waitFor('readiness to turn green again', async () => ((await readiness()).status === 200 ? true : undefined), 60_000, 100);
    const greenAfterS = (Date.now() - upAt) / 1000;
    const after = await submit('outage-after');
    const retried = await submit('outage-during'); // the write refused during the outage, sent again
    const stored = await timed('/api/transactions/outage-after', { headers: bearer });

    reportFacts('postgres-outage', {
      service: 'aml',
      database: 'private cluster, pg_ctl stop -m immediate',
      readinessRedAfterSeconds: redAfterS,
      readinessReason: reason.error,
      readDuringOutage: { status: read.status, ms: read.ms, type: read.type },
      writeDuringOutage: { status: write.status, ms: write.ms, type: write.type, body: write.body.slice(0, 200) },
      livenessDuringOutage: live.status,
      readinessGreenAfterSeconds: greenAfterS,
      writeAfterRecovery: after.status,
      retriedWriteAfterRecovery: retried.status,
      processRestarts: 0,
    });
    expect(reason.status).toBe('unavailable');
    expect(reason.error).toBeTruthy();
    for (const r of [read, write]) {
      // a transient outage, not a bug: 503 with a hint when to retry
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('5');
      expect(r.type).toMatch(/application\/problem\+json/);
      expect(JSON.parse(r.body)).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    }
    expect(live.status).toBe(200);
    expect(after.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(stored.status).toBe(200);
    expect(JSON.parse(stored.body).id).toBe('outage-after');
    expect(svc.child.exitCode).toBeNull();
    await svc.stop('SIGTERM');
  });

  it('answers promptly while the server hangs (frozen, connections open) and recovers when it wakes', async () => {
    const env = storage.env({ AML_PORT: String(port), AML_DEMO_SEED: 'false', DATABASE_URL: pg.url, DATABASE_TIMEOUT_MS });
    svc = await startService('aml', port, env);
    expect((await submit('hang-before')).status).toBe(200);

    pg.freeze();
    const hungAt = Date.now();
    let thawed = false;
    try {
      const red = await waitFor('readiness to turn red', async () => ((r) => (r.status === 503 ? r : undefined))(await readiness()), 30_000, 100);
      const redAfterS = (Date.now() - hungAt) / 1000;
      const [read, write] = await Promise.all([timed('/api/transactions?pageSize=1', { headers: bearer }), submit('hang-during')]);
      const live = await timed('/health');
      pg.thaw();
      thawed = true;
      const wokeAt = Date.now();
      await waitFor('readiness to turn green again', async () => ((await readiness()).status === 200 ? true : undefined), 60_000, 100);
      const greenAfterS = (Date.now() - wokeAt) / 1000;
      const after = await submit('hang-after');
      // a write that timed out may still have reached the server: sending it again must store it once
      const retried = await submit('hang-during');
      const stored = await timed('/api/transactions?source=api&pageSize=500', { headers: bearer });
      const ids = (JSON.parse(stored.body) as { items: { id: string }[] }).items.map((t) => t.id);

      reportFacts('postgres-hang', {
        service: 'aml',
        database: 'private cluster, SIGSTOP',
        requestBoundMs: REQUEST_BOUND_MS,
        readinessRedAfterSeconds: redAfterS,
        readinessReason: (JSON.parse(red.body) as { error?: string }).error,
        readDuringHang: { status: read.status, ms: read.ms, body: read.body.slice(0, 160) },
        writeDuringHang: { status: write.status, ms: write.ms, body: write.body.slice(0, 160) },
        livenessDuringHang: live.status,
        readinessGreenAfterSeconds: greenAfterS,
        writeAfterWake: after.status,
        retriedWriteAfterWake: retried.status,
        storedCopiesOfRetriedWrite: ids.filter((id) => id === 'hang-during').length,
      });
      for (const r of [read, write]) {
        expect(r.status).toBe(503); // 0 would mean no answer within the bound
        expect(r.retryAfter).toBe('5');
        expect(r.type).toMatch(/application\/problem\+json/);
      }
      expect(live.status).toBe(200);
      expect(after.status).toBe(200);
      expect(retried.status).toBe(200);
      expect(ids.filter((id) => id === 'hang-during')).toHaveLength(1);
      expect(svc.child.exitCode).toBeNull();
    } finally {
      if (!thawed) pg.thaw();
    }
    await svc.stop('SIGTERM');
  });
});
