import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@suite/platform/testing';

/**
 * Real services in their own processes for the fault tests: started as `npm start` starts them
 * (`node scripts/run-ts.cjs apps/<app>/src/main.ts`), killed with any signal, started again on the
 * same storage. Every process started here is remembered so `stopAllServices` can end it in afterAll.
 */

export const repoRoot = join(__dirname, '../../..');
export const faultApiKey = 'sk_test_faults_0123456789abcdef';

const started = new Set<ChildProcess>();

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Polls `check` until it returns a value other than undefined; throws `what` on timeout. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** The last few KB the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends `signal` and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `apps/<app>/src/main.ts` with `env` (which must carry the port variable) and resolves
 * once GET /health/ready answers 200.
 */
export async function startService(app: string, port: number, env: NodeJS.ProcessEnv, readyTimeoutMs = 90_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'scripts/run-ts.cjs'), `apps/${app}/src/main.ts`], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let tail = '';
  const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-6000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => started.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const svc: ServiceProcess = {
    child,
    url,
    output: () => tail,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await waitFor(
      `${app} to become ready`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error('exited');
        return (await fetch(`${url}/health/ready`)).ok ? true : undefined;
      },
      readyTimeoutMs,
      250,
    );
  } catch (e) {
    await svc.stop('SIGKILL');
    throw new Error(`${app} did not become ready (${(e as Error).message}); its output:\n${tail}`);
  }
  return svc;
}

export async function stopAllServices(): Promise<void> {
  await Promise.all(
    [...started].map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null || c.signalCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGKILL');
        }),
    ),
  );
}

/**
 * Where a service under test keeps its data: a fresh database on the real PostgreSQL when
 * DATABASE_URL is set, else PGlite in a temporary DATA_DIR. Both survive a restart of the service.
 */
export interface ServiceStorage {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** The test's own connection to that database (PostgreSQL only: PGlite has one owner, the service). */
  readonly db?: TestDatabase;
  /** The environment every fault test gives a service: storage, the test API key, quiet logs. */
  env(extra: Record<string, string>): NodeJS.ProcessEnv;
  destroy(): Promise<void>;
}

export async function serviceStorage(name: string, opts: { useDatabaseUrl?: boolean } = {}): Promise<ServiceStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), `fault-${name}-`));
  let db: TestDatabase | undefined;
  if (process.env.DATABASE_URL && opts.useDatabaseUrl !== false) db = await createTestDatabase();
  const databaseUrl = db?.url;
  return {
    dataDir,
    databaseUrl,
    db,
    env(extra) {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, DEMO_API_KEY: faultApiKey, LOG_LEVEL: 'warn', RATE_LIMIT_RPS: '0' };
      delete env.REDIS_URL; // jobs run in-process: the takeover path under test is the in-process one
      if (databaseUrl) env.DATABASE_URL = databaseUrl;
      else delete env.DATABASE_URL;
      return { ...env, ...extra };
    },
    async destroy() {
      await db?.destroy().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = { Authorization: `Bearer ${faultApiKey}` };

/** Writes the measured facts of a fault test to test/artifacts/faults-<name>.json and the log. */
export function reportFacts(name: string, facts: Record<string, unknown>): void {
  const line = JSON.stringify({ fault: name, database: process.env.DATABASE_URL ? 'postgres' : 'pglite', ...facts, at: new Date().toISOString() });
  console.log(line);
  const dir = join(repoRoot, 'test/artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `faults-${name}.json`), line + '\n');
}
