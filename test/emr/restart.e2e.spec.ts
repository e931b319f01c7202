import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@suite/platform/testing';
import { Hl7Message, sendMllp } from '@suite/hl7';

const root = join(__dirname, '../..');
const oru = readFileSync(join(root, 'data/emr/hl7/oru-r01-tx.hl7'), 'utf8');
const apiKey = 'sk_test_restart_0123456789abcdef';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * The real service in its own process (as `npm start` runs it), killed with SIGKILL mid-stream and
 * started again on the same database: every message that was answered AA must be there after the
 * restart, and retransmitting everything must not create a second note for any control id.
 */
jest.setTimeout(180_000);

describe('killed-and-restarted EMR service loses no acknowledged message', () => {
  let db: TestDatabase | undefined;
  let dataDir: string;
  let child: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let httpPort: number;
  let mllpPort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'emr-restart-'));
    httpPort = await freePort();
    mllpPort = await freePort();
    env = { ...process.env, NODE_ENV: 'test', EMR_PORT: String(httpPort), MLLP_PORT: String(mllpPort), MLLP_HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_API_KEY: apiKey, LOG_LEVEL: 'warn' };
    delete env.EMR_DOWNSTREAM;
    if (process.env.DATABASE_URL) {
      db = await createTestDatabase(); // a fresh database on the real server, shared by both runs
      env.DATABASE_URL = db.url;
    }
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db?.destroy().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<ChildProcess> {
    const c = spawn(process.execPath, [join(root, 'scripts/run-ts.cjs'), 'apps/emr/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const until = Date.now() + 150_000;
    while (Date.now() < until) {
      if (c.exitCode !== null) throw new Error(`service exited: ${stderr}`);
      try {
        if ((await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).ok) {
          await sendMllp('127.0.0.1', mllpPort, 'MSH|^~\\&|PING|X|EMR|Y|1||ORU^R01|PING-' + Date.now() + '|P|2.9', 5000).catch(() => undefined);
          return c;
        }
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`service did not become ready: ${stderr}`);
  }

  /** Resolves when the process has ended, also when it ended before anyone listened for 'exit'. */
  const ended = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)));

  it('keeps every AA across SIGKILL and answers retransmissions without double processing', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `KILL-${i}`);
    const message = (id: string) => oru.replace('ORU-0001', id);
    child = await start();
    const acked = new Set<string>();
    // four senders in parallel; the process is killed while they are still sending
    const sender = async (mine: string[]) => {
      for (const id of mine) {
        try {
          const ack = Hl7Message.parse(await sendMllp('127.0.0.1', mllpPort, message(id), 20_000));
          if (ack.getSegment('MSA')?.getField(1) === 'AA') acked.add(id);
        } catch {
          return; // connection refused/reset: the service is down
        }
      }
    };
    let sendersDone = false;
    const sending = Promise.all([0, 1, 2, 3].map((k) => sender(ids.filter((_, i) => i % 4 === k)))).finally(() => (sendersDone = true));
    // senders that all fail early must end the wait (the assertion below then says why), not hang it
    while (acked.size < 6 && !sendersDone) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    // listen before awaiting the senders: the process may be gone before they give up
    const killed = ended(child);
    await sending;
    await killed;
    expect(acked.size).toBeGreaterThanOrEqual(6);
    expect(acked.size).toBeLessThan(ids.length); // the kill really happened mid-stream

    child = await start();
    const headers = { Authorization: `Bearer ${apiKey}`, 'X-Purpose-Of-Use': 'HOPERAT' };
    for (const id of acked) {
      const res = await fetch(`http://127.0.0.1:${httpPort}/api/messages/${id}`, { headers });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.ackCode).toBe('AA');
      expect(body.note.text).toContain('chest pain');
    }
    // the sender retransmits everything it is unsure of (here: all of it)
    for (const id of ids) {
      const ack = Hl7Message.parse(await sendMllp('127.0.0.1', mllpPort, message(id), 20_000));
      expect(ack.getSegment('MSA')?.getField(1)).toBe('AA');
      expect(ack.getSegment('MSA')?.getField(2)).toBe(id);
    }
    for (const id of ids) {
      const res = await fetch(`http://127.0.0.1:${httpPort}/api/messages/${id}`, { headers });
      expect((await res.json()).note.id).toBeDefined();
    }
    child.kill('SIGTERM');
    await ended(child);
  });
});
