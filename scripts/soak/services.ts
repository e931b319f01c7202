/**
 * The suite's services as child processes, the way `npm start` runs them: `node scripts/run-ts.cjs
 * apps/<svc>/src/main.ts` on free loopback ports, each on its own fresh database (a new database on
 * the PostgreSQL server of DATABASE_URL when set, else PGlite in a temporary DATA_DIR).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const SERVICES = ['aml', 'trading', 'emr', 'imaging'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface RunningService {
  name: ServiceName;
  url: string;
  child: ChildProcess;
  log: string;
}

const root = join(__dirname, '..', '..');

/** A port nobody listens on now (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function admin<T>(serverUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export class Suite {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'soak-'));
  readonly services: RunningService[] = [];
  private readonly databases: string[] = [];

  constructor(
    private readonly apiKey: string,
    private readonly serverUrl: string | undefined,
  ) {}

  /** Starts the services and waits until each answers /health/ready. */
  async start(names: readonly ServiceName[], readyTimeoutMs: number): Promise<void> {
    for (const name of names) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DEMO_API_KEY: this.apiKey,
        RATE_LIMIT_RPS: '0', // measure the service, not the limiter
        LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? 'warn',
        DATA_DIR: this.dataDir,
        [`${name.toUpperCase()}_PORT`]: String(port),
        IMAGING_STORE_DIR: join(this.dataDir, 'imaging', 'instances'),
      };
      delete env.PORT;
      if (name === 'emr') env.MLLP_PORT = String(await freePort());
      if (this.serverUrl) {
        const db = `soak_${process.pid}_${name}`;
        await admin(this.serverUrl, (c) => c.query(`CREATE DATABASE "${db}"`));
        this.databases.push(db);
        const u = new URL(this.serverUrl);
        u.pathname = `/${db}`;
        env.DATABASE_URL = u.toString();
      } else {
        delete env.DATABASE_URL;
      }
      const log = join(this.dataDir, `${name}.log`);
      const out = createWriteStream(log);
      const child = spawn(process.execPath, [join(root, 'scripts', 'run-ts.cjs'), `apps/${name}/src/main.ts`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
      this.services.push({ name, url: `http://127.0.0.1:${port}`, child, log });
    }
    await Promise.all(this.services.map((s) => this.waitReady(s, readyTimeoutMs)));
  }

  private async waitReady(s: RunningService, timeoutMs: number) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (s.child.exitCode !== null) throw new Error(`${s.name} exited with ${s.child.exitCode} before it was ready; see ${s.log}:\n${tail(s.log)}`);
      try {
        const res = await fetch(`${s.url}/health/ready`, { signal: AbortSignal.timeout(5000) });
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`${s.name} not ready within ${timeoutMs / 1000} s; see ${s.log}:\n${tail(s.log)}`);
  }

  /** Stops the services (SIGTERM, then SIGKILL), drops the soak databases, removes the data folder. */
  async stop(keepData = false): Promise<void> {
    await Promise.all(
      this.services.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.child.exitCode !== null || s.child.signalCode) return resolve();
            const kill = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
            s.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            s.child.kill('SIGTERM');
          }),
      ),
    );
    if (this.serverUrl) {
      const server = this.serverUrl;
      for (const db of this.databases) await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`)).catch(() => undefined);
    }
    if (!keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resident set of a process in MB from /proc (Linux), or undefined elsewhere. */
export function procRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The service's own memory gauges from /metrics (prom-client default metrics), in MB. */
export async function scrapeMemory(url: string): Promise<{ rssMb: number; heapMb: number; externalMb: number } | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const gauge = (name: string) => {
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
      return m ? Math.round((Number(m[1]) / 2 ** 20) * 10) / 10 : NaN;
    };
    return { rssMb: gauge('process_resident_memory_bytes'), heapMb: gauge('nodejs_heap_size_used_bytes'), externalMb: gauge('nodejs_external_memory_bytes') };
  } catch {
    return undefined;
  }
}
