/**
 * `npm run bench -- aml`: one JSON line. Decisions per second end to end (HTTP in, features,
 * model through libs/inference, rules, screening, reconciliation, decision + alert stored and
 * committed) on the embedded database (PGlite on disk, as `npm start` runs it), for
 *  (a) batches of 500 per request,
 *  (b) single-transaction requests one after another (latency p50/p99),
 *  (c) single-transaction requests from 32 concurrent clients (gathered into group commits),
 * against the floor measured in the same run: the same decision pipeline in process (features,
 * rules, screening, reconciliation) with the model call made on raw onnxruntime-node and nothing
 * stored, no HTTP. The ratios show what the service adds.
 * Data: the generated demo bank (data/aml/demo-bank.csv) replayed in time-shifted copies.
 */
import { mkdtempSync, readFileSync, rmSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  accountKey,
  type AccountHistory,
  DEFAULT_POLICY,
  extractAndRecord,
  FEATURE_NAMES,
  InMemoryHistoryStore,
  NameScreener,
  parseFollowTheMoney,
  readAmlworldCsv,
  reconcile,
  RuleTrack,
  STARTER_RULES,
  type Transaction,
} from '@suite/aml';
import { DATABASE, openDatabase } from '@suite/platform';
import { createTestApp } from '@suite/platform/testing';
import { AppModule } from '../src/app/app.module';
import { CaseGrouper } from '../src/cases/case-grouper.service';

const root = join(__dirname, '../../..');
const BATCH = 500;

async function demoRows(): Promise<Transaction[]> {
  const out: Transaction[] = [];
  for await (const item of readAmlworldCsv(createReadStream(join(root, 'data/aml/demo-bank.csv')), 'bench')) if ('transaction' in item) out.push(item.transaction);
  return out;
}

/** `copies` time-shifted copies of the demo bank (6 days each), with fresh ids. */
function workload(base: Transaction[], copies: number, tag: string): Transaction[] {
  const span = 6 * 86400_000;
  const out: Transaction[] = [];
  for (let c = 0; c < copies; c++) for (const t of base) out.push({ ...t, id: `${tag}-${c}-${t.id}`, timestamp: t.timestamp + c * span, isLaundering: undefined });
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** The floor: the same decision steps in process, model on raw onnxruntime-node, nothing stored. */
async function floor(txns: Transaction[]): Promise<number> {
  const session = await ort.InferenceSession.create(join(root, 'models/aml-txn/model.onnx'), { executionProviders: ['cpu'] });
  const store = new InMemoryHistoryStore();
  const track = new RuleTrack({ version: 1, rules: STARTER_RULES });
  const screener = new NameScreener(parseFollowTheMoney(readFileSync(join(root, 'data/aml/sanctions-demo.jsonl'), 'utf8')));
  const threshold = JSON.parse(readFileSync(join(root, 'models/aml-txn/card.json'), 'utf8')).evaluation.threshold as number;
  const started = performance.now();
  for (let i = 0; i < txns.length; i += BATCH) {
    const chunk = txns.slice(i, i + BATCH);
    const feats = chunk.map((t) => {
      const a = accountKey(t.fromBank, t.fromAccount), b = accountKey(t.toBank, t.toAccount);
      const h = store.loadSync([a, b]);
      return extractAndRecord(t, h.get(a) as AccountHistory, h.get(b) as AccountHistory);
    });
    const data = new Float32Array(chunk.length * FEATURE_NAMES.length);
    feats.forEach((f, k) => data.set(f.vector, k * FEATURE_NAMES.length));
    const out = await session.run({ features: new ort.Tensor('float32', data, [chunk.length, FEATURE_NAMES.length]) });
    const probs = out.prob.data as Float32Array;
    chunk.forEach((t, k) => {
      const sanctionsScore = Math.max(screener.bestScore(t.fromName), screener.bestScore(t.toName));
      const hits = track.evaluate({ ...feats[k].facts, sanctionsScore });
      reconcile(probs[k], hits, [], { ...DEFAULT_POLICY, reviewThreshold: threshold });
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await session.release();
  return txns.length / seconds;
}

export async function main(): Promise<void> {
  process.env.AML_DEMO_SEED = 'false';
  process.env.LOG_LEVEL = 'error';
  const base = await demoRows();
  const dir = mkdtempSync(join(tmpdir(), 'aml-bench-'));
  const db = await openDatabase({ dataDir: join(dir, 'pglite') });
  const t = await createTestApp(AppModule, { override: (b) => b.overrideProvider(DATABASE).useValue(db) });
  const url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  const headers = { ...(await t.bearer('integration')), 'content-type': 'application/json' };
  const post = async (body: unknown) => {
    const res = await fetch(`${url}/api/transactions`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return res.json();
  };

  // warm-up: one demo bank copy (model load, JIT, account histories)
  const warm = workload(base, 1, 'warm');
  for (let i = 0; i < warm.length; i += BATCH) await post(warm.slice(i, i + BATCH));

  // (a) batches
  const batchLoad = workload(base, 3, 'batch').map((x) => ({ ...x, timestamp: x.timestamp + 6 * 86400_000 }));
  let started = performance.now();
  const batchLatencies: number[] = [];
  for (let i = 0; i < batchLoad.length; i += BATCH) {
    const t0 = performance.now();
    await post(batchLoad.slice(i, i + BATCH).map(toJson));
    batchLatencies.push(performance.now() - t0);
  }
  const batchRate = batchLoad.length / ((performance.now() - started) / 1000);

  // (b) single requests, one after another
  const singles = workload(base.slice(0, 600), 1, 'single').map((x) => ({ ...x, timestamp: x.timestamp + 24 * 86400_000 }));
  const lat: number[] = [];
  started = performance.now();
  for (const s of singles) {
    const t0 = performance.now();
    await post(toJson(s));
    lat.push(performance.now() - t0);
  }
  const singleRate = singles.length / ((performance.now() - started) / 1000);

  // (c) single requests from 32 concurrent clients
  const conc = workload(base.slice(0, 2000), 1, 'conc').map((x) => ({ ...x, timestamp: x.timestamp + 30 * 86400_000 }));
  const concLat: number[] = [];
  let next = 0;
  started = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < conc.length) {
        const s = conc[next++];
        const t0 = performance.now();
        await post(toJson(s));
        concLat.push(performance.now() - t0);
      }
    }),
  );
  const concRate = conc.length / ((performance.now() - started) / 1000);

  await t.app.get(CaseGrouper).flush();
  const stored = await db.prisma.amlTransaction.count();
  const alerts = await db.prisma.amlAlert.count();
  await t.close();
  rmSync(dir, { recursive: true, force: true });

  const floorRate = await floor(workload(base, 3, 'floor'));
  console.log(
    JSON.stringify({
      bench: 'aml',
      database: 'pglite (on disk)',
      batch: { size: BATCH, transactions: batchLoad.length, perSecond: round(batchRate), p50Ms: round(pct(batchLatencies, 50)), p99Ms: round(pct(batchLatencies, 99)) },
      single: { transactions: singles.length, perSecond: round(singleRate), p50Ms: round(pct(lat, 50), 2), p99Ms: round(pct(lat, 99), 2) },
      concurrentSingle: { clients: 32, transactions: conc.length, perSecond: round(concRate), p50Ms: round(pct(concLat, 50), 2), p99Ms: round(pct(concLat, 99), 2) },
      floor: { what: 'features + raw onnxruntime-node + rules + screening + reconciliation, in process, nothing stored', perSecond: round(floorRate) },
      ratio: { batchVsFloor: round(batchRate / floorRate, 3), singleVsFloor: round(singleRate / floorRate, 4), concurrentVsFloor: round(concRate / floorRate, 3) },
      stored,
      alerts,
    }),
  );
}

function toJson(t: Transaction) {
  return { ...t, timestamp: new Date(t.timestamp).toISOString(), isLaundering: undefined };
}
