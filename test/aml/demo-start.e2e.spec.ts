import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const PASSWORD = 'e2e-demo-password';
/** Rows of the demo bank (header excluded). */
const DEMO_ROWS = readFileSync(join(root, 'data', 'aml', 'demo-bank.csv'), 'utf8').trim().split('\n').length - 1;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

/** Starts apps/aml as `npm start` does (from source, embedded PGlite under dataDir). */
async function start(dataDir: string, env: Record<string, string | undefined> = {}): Promise<Running> {
  const port = await freePort();
  let output = '';
  // the embedded defaults of `npm start`: no server database, no Redis
  const childEnv: NodeJS.ProcessEnv = { ...process.env, AML_PORT: String(port), DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'info', ...env };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'AML_DEMO_SEED', 'DEMO_API_KEY', ...Object.keys(env).filter((k) => env[k] === undefined)]) delete childEnv[k];
  const child = spawn(process.execPath, [join(root, 'scripts', 'run-ts.cjs'), 'apps/aml/src/main.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 200_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`aml exited ${child.exitCode}:\n${output.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`aml not ready:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    child,
    log: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function login(url: string, username: string, password = PASSWORD): Promise<Response> {
  return fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

describe('npm start: the demo bank', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aml-e2e-'));
  let svc: Running | undefined;
  afterAll(async () => {
    await svc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds demo users, transactions, alerts and cases so an analyst finds work at first login', async () => {
    svc = await start(join(dir, 'data'));
    expect((await login(svc.url, 'analyst', 'wrong-password')).status).toBe(401);
    const res = await login(svc.url, 'analyst');
    expect(res.status).toBeLessThan(300);
    const { token } = (await res.json()) as { token: string };
    const h = { Authorization: `Bearer ${token}` };
    const get = async (p: string) => (await fetch(`${svc?.url}${p}`, { headers: h })).json() as Promise<{ total: number; items: Array<Record<string, unknown>> }>;
    expect((await get('/api/transactions?source=demo&pageSize=1')).total).toBe(DEMO_ROWS);
    expect((await get('/api/alerts?pageSize=1')).total).toBeGreaterThan(50);
    const cases = await get('/api/cases?pageSize=5');
    expect(cases.total).toBeGreaterThan(10);
    expect(cases.items[0]).toHaveProperty('slaDueAt');
    const blocked = await get('/api/alerts?decision=BLOCK&typology=sanctions');
    expect(blocked.total).toBeGreaterThanOrEqual(1);
    for (const u of ['analyst2', 'supervisor', 'admin']) expect((await login(svc.url, u)).status).toBeLessThan(300);
  }, 240_000);

  it('restarts on the same data without re-seeding and with its feature windows rebuilt', async () => {
    await svc?.stop();
    svc = await start(join(dir, 'data'));
    expect(svc.log()).toContain(`feature windows rebuilt from ${DEMO_ROWS + 2} stored transactions`); // + the pacs.008 message's two
    const { token } = (await (await login(svc.url, 'analyst')).json()) as { token: string };
    const h = { Authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const before = (await (await fetch(`${svc.url}/api/transactions?source=demo&pageSize=1`, { headers: h })).json()) as { total: number; items: Array<{ timestamp: string; fromBank: string; fromAccount: string }> };
    expect(before.total).toBe(DEMO_ROWS);
    // a new payment from the most recent demo payer sees that payer's history
    const last = before.items[0];
    const tx = { id: 'e2e-after-restart', timestamp: new Date(Date.parse(last.timestamp) + 60_000).toISOString(), fromBank: last.fromBank, fromAccount: last.fromAccount, toBank: '999', toAccount: 'E2E', amountPaid: 10, paymentCurrency: 'USD', amountReceived: 10, receivingCurrency: 'USD', paymentFormat: 'ACH' };
    const res = await fetch(`${svc.url}/api/transactions`, { method: 'POST', headers: h, body: JSON.stringify(tx) });
    expect(res.status).toBe(200);
    const stored = (await (await fetch(`${svc.url}/api/transactions/e2e-after-restart`, { headers: h })).json()) as { facts: { aOutCount7d: number } };
    expect(stored.facts.aOutCount7d).toBeGreaterThan(0);
  }, 240_000);

  it('has no demo users or demo data in production', async () => {
    await svc?.stop();
    svc = await start(join(dir, 'prod'), { NODE_ENV: 'production', DEMO_PASSWORD: undefined });
    expect((await login(svc.url, 'analyst', PASSWORD)).status).toBe(401);
    const key = await fetch(`${svc.url}/api/transactions?pageSize=1`);
    expect(key.status).toBe(401);
  }, 240_000);
});
