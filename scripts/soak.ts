/**
 * `npm run soak`: a bounded soak of the whole suite on loopback. Starts the four services as child
 * processes (as `npm start` does, rate limiting off), measures a GET /health baseline, then runs
 * mixed traffic for SOAK_SECONDS (default 300) with a few connections per service, sampling memory
 * and per-window throughput/p99/errors every 10 s. Prints one JSON line per service and a summary
 * line; exits 1 when a service's error rate exceeds its bound, or when its RSS grows over the second
 * half (slope and peak growth both above the bound).
 *
 *   nice -n 5 npm run soak                      # 5 minutes, 2 connections per service
 *   SOAK_SECONDS=30 npm run soak                # smoke run (too short for a memory verdict)
 *
 * Settings: SOAK_SECONDS (300), SOAK_CONNECTIONS per service (2), SOAK_BASELINE_SECONDS (20),
 * SOAK_SERVICES (aml,trading,emr,imaging), SOAK_MAX_ERROR_RATE (0.001),
 * SOAK_MAX_RSS_GROWTH_MB_PER_MIN (5), SOAK_READY_TIMEOUT_SECONDS (600), SOAK_KEEP_DATA (logs, data).
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { drive } from './soak/load';
import { ServiceRecorder } from './soak/recorder';
import { procRssMb, scrapeMemory, SERVICES, Suite, type RunningService, type ServiceName } from './soak/services';
import { BASELINE, trafficFor } from './soak/traffic';

const env = process.env;
const SECONDS = Number(env.SOAK_SECONDS ?? 300);
const CONNECTIONS = Number(env.SOAK_CONNECTIONS ?? 2);
const BASELINE_SECONDS = Number(env.SOAK_BASELINE_SECONDS ?? Math.min(20, Math.max(5, Math.round(SECONDS / 15))));
const MAX_ERROR_RATE = Number(env.SOAK_MAX_ERROR_RATE ?? 0.001);
const MAX_RSS_GROWTH = Number(env.SOAK_MAX_RSS_GROWTH_MB_PER_MIN ?? 5);
/** A slope over fewer samples than this says more about GC timing than about leaks. */
const MIN_SAMPLES_FOR_VERDICT = 6;
const SAMPLE_MS = 10_000;
const NAMES = (env.SOAK_SERVICES?.split(',') ?? [...SERVICES]) as ServiceName[];

const note = (msg: string) => process.stderr.write(`[soak] ${msg}\n`);

function of<T>(m: Map<ServiceName, T>, name: ServiceName): T {
  const v = m.get(name);
  if (v === undefined) throw new Error(`no entry for ${name}`);
  return v;
}

async function studyUid(s: RunningService, key: string): Promise<string | undefined> {
  const res = await fetch(`${s.url}/dicomweb/studies?limit=1`, { headers: { authorization: `Bearer ${key}`, accept: 'application/dicom+json' } });
  const studies = (await res.json()) as { '0020000D'?: { Value?: string[] } }[];
  return studies[0]?.['0020000D']?.Value?.[0];
}

async function sampleAll(suite: Suite, recorders: Map<ServiceName, ServiceRecorder>) {
  await Promise.all(
    suite.services.map(async (s) => {
      const m = await scrapeMemory(s.url);
      const r = of(recorders, s.name);
      if (m) r.sampleMemory({ ...m, procRssMb: procRssMb(s.child.pid) });
    }),
  );
}

async function main(): Promise<number> {
  if (!Number.isFinite(SECONDS) || SECONDS < 10) throw new Error('SOAK_SECONDS must be a number >= 10');
  const key = env.DEMO_API_KEY ?? `sk_soak_${randomBytes(18).toString('base64url')}`;
  const suite = new Suite(key, env.DATABASE_URL);
  let keep = !!env.SOAK_KEEP_DATA; // also kept when something failed, for the services' logs
  const stop = () => void suite.stop(!!env.SOAK_KEEP_DATA).finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    note(`starting ${NAMES.join(', ')} (${env.DATABASE_URL ? 'fresh PostgreSQL databases' : `PGlite under ${suite.dataDir}`}) ...`);
    const t0 = Date.now();
    const loadBefore = loadavg()[0];
    await suite.start(NAMES, Number(env.SOAK_READY_TIMEOUT_SECONDS ?? 600) * 1000);
    note(`ready after ${Math.round((Date.now() - t0) / 1000)} s`);
    const study = NAMES.includes('imaging') ? await studyUid(suite.services.find((s) => s.name === 'imaging') as RunningService, key) : undefined;

    // baseline: the same connections on GET /health of each service, all at once as in the mix
    const baseline = new Map(NAMES.map((n) => [n, new ServiceRecorder(n)]));
    note(`baseline: GET /health for ${BASELINE_SECONDS} s`);
    for (const r of baseline.values()) r.start();
    await Promise.all(suite.services.map((s) => drive(s.url, key, BASELINE, { connections: CONNECTIONS, seconds: BASELINE_SECONDS, recorder: of(baseline, s.name) })));

    const recorders = new Map(NAMES.map((n) => [n, new ServiceRecorder(n)]));
    note(`mixed traffic for ${SECONDS} s, ${CONNECTIONS} connections per service`);
    for (const r of recorders.values()) r.start();
    await sampleAll(suite, recorders);
    const died: string[] = [];
    const sampler = setInterval(() => {
      for (const r of recorders.values()) r.closeWindow();
      void sampleAll(suite, recorders);
      for (const s of suite.services) if (s.child.exitCode !== null && !died.includes(s.name)) died.push(s.name);
      const w = [...recorders.values()].map((r) => `${r.service} ${r.windows.at(-1)?.rps ?? 0}/s p99 ${r.windows.at(-1)?.p99Ms ?? 0} ms`).join(', ');
      note(`t=${Math.round(of(recorders, NAMES[0]).elapsed())} s: ${w}`);
    }, SAMPLE_MS);
    await Promise.all(suite.services.map((s) => drive(s.url, key, trafficFor(s.name, { studyUid: study }), { connections: CONNECTIONS, seconds: SECONDS, recorder: of(recorders, s.name) })));
    clearInterval(sampler);
    for (const r of recorders.values()) r.closeWindow();
    await sampleAll(suite, recorders);

    let failed = false;
    for (const s of suite.services) {
      const r = of(recorders, s.name);
      const b = of(baseline, s.name).summary(BASELINE_SECONDS);
      const m = r.summary(SECONDS);
      const growth = r.growth();
      const judged = growth.samples >= MIN_SAMPLES_FOR_VERDICT;
      const memoryOk = !judged || growth.rssMbPerMin <= MAX_RSS_GROWTH || growth.rssPeak.mbPerMin <= MAX_RSS_GROWTH;
      const errorsOk = m.errorRate <= MAX_ERROR_RATE && m.requests > 0;
      const alive = s.child.exitCode === null && !died.includes(s.name);
      if (!memoryOk || !errorsOk || !alive) failed = true;
      const line = {
        soak: s.name,
        seconds: SECONDS,
        connections: CONNECTIONS,
        ...m,
        baseline: { route: 'GET /health', seconds: BASELINE_SECONDS, throughputRps: b.throughputRps, p50Ms: b.latencyMs.p50, p99Ms: b.latencyMs.p99, errorRate: b.errorRate },
        throughputVsBaseline: b.throughputRps ? Math.round((m.throughputRps / b.throughputRps) * 1000) / 1000 : null,
        windows: r.windows,
        memory: r.memory,
        memoryGrowth: {
          ...growth,
          over: 'second half of the run',
          boundRssMbPerMin: MAX_RSS_GROWTH,
          rule: 'grows when both the RSS slope and the RSS peak growth exceed the bound',
          verdict: !judged ? `not judged (fewer than ${MIN_SAMPLES_FOR_VERDICT} samples in the second half)` : memoryOk ? 'flat (within bound)' : 'GROWS (over bound)',
        },
        errorRateBound: MAX_ERROR_RATE,
        alive,
        ok: memoryOk && errorsOk && alive,
        ...(r.failures.length ? { firstFailures: r.failures } : {}),
      };
      process.stdout.write(JSON.stringify(line) + '\n');
    }
    // the machine's 1-minute load average before the start and at the end: numbers from a busy machine read differently
    const machine = { cpus: cpus().length, loadAverage1m: { beforeStart: Math.round(loadBefore * 10) / 10, atEnd: Math.round(loadavg()[0] * 10) / 10 } };
    process.stdout.write(JSON.stringify({ soak: 'summary', seconds: SECONDS, services: NAMES, ok: !failed, database: env.DATABASE_URL ? 'postgresql' : 'pglite', ...machine }) + '\n');
    keep ||= failed;
    return failed ? 1 : 0;
  } catch (err) {
    keep = true;
    throw err;
  } finally {
    await suite.stop(keep);
    if (keep) note(`logs and data kept in ${suite.dataDir}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
