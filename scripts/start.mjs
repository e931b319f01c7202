#!/usr/bin/env node
// `npm start`: brings up the four services on embedded defaults (PGlite under .data/, in-process
// jobs, CPU/GPU auto), prints each URL and the demo credentials, and stops them all on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const services = [
  { name: 'aml', port: Number(process.env.AML_PORT ?? 3000), what: 'AML API + analysts console', first: '/api/docs' },
  { name: 'trading', port: Number(process.env.TRADING_PORT ?? 3001), what: 'Trading GraphQL', first: '/graphql' },
  { name: 'emr', port: Number(process.env.EMR_PORT ?? 3002), what: `EMR REST/FHIR (MLLP on ${process.env.MLLP_PORT ?? 2575})`, first: '/api/docs' },
  { name: 'imaging', port: Number(process.env.IMAGING_PORT ?? 3003), what: 'Imaging DICOMweb/REST', first: '/api/docs' },
].filter((s) => !process.env.START_ONLY || process.env.START_ONLY.split(',').includes(s.name));

// The analysts' console is served by the AML service from its build; build it once if missing.
if (services.some((s) => s.name === 'aml') && !existsSync(join(root, 'apps', 'aml-console', 'dist', 'index.html'))) {
  console.log('[start] building the analysts console (first start only)...');
  const built = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/aml-console/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) console.error('[start] console build failed; the AML API still starts (console at / unavailable)');
}

const env = { ...process.env };
if (!env.DEMO_API_KEY) env.DEMO_API_KEY = `sk_demo_${randomBytes(18).toString('base64url')}`;
if (!env.DEMO_PASSWORD && env.NODE_ENV !== 'production') env.DEMO_PASSWORD = 'demo-password-1';

const children = services.map((s) => {
  const child = spawn(process.execPath, [join(root, 'scripts', 'run-ts.cjs'), `apps/${s.name}/src/main.ts`], {
    cwd: root,
    env: { ...env, [`${s.name.toUpperCase()}_PORT`]: String(s.port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${s.name} exited (${signal ?? code}); stopping the suite`);
      stop(1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitHealthy(s, timeoutMs = 300_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${s.port}/health/ready`);
      if (res.ok) return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const ready = await Promise.all(services.map((s) => waitHealthy(s)));
if (stopping) process.exit(1);
const lines = services.map((s, i) => `  ${ready[i] ? 'up  ' : 'DOWN'}  ${s.name.padEnd(8)} http://localhost:${s.port}${s.first.padEnd(10)} ${s.what}`);
console.log(
  [
    '',
    'Suite is up:',
    ...lines,
    '',
    `  API key (admin):   ${env.DEMO_API_KEY}${process.env.DEMO_API_KEY ? '' : '   (generated; set DEMO_API_KEY to fix it)'}`,
    env.DEMO_PASSWORD ? `  Demo users:        analyst, analyst2, supervisor, admin — password ${env.DEMO_PASSWORD}${process.env.DEMO_PASSWORD ? '' : ' (default; set DEMO_PASSWORD)'}` : '',
    `  Try:               curl -H "Authorization: Bearer ${env.DEMO_API_KEY}" http://localhost:${services[0]?.port ?? 3000}/api/auth/me`,
    '',
  ].join('\n'),
);
