/**
 * `npm run aml:import -- FILE [--url http://localhost:3000 --token TOKEN]`
 *
 * Imports an AMLworld CSV with a progress bar. Without --url it decides the rows in this process
 * on the service's own database (DATABASE_URL, else the embedded PGlite under DATA_DIR; do not run
 * it on the embedded database while the service is running there). With --url it streams the file
 * to a running service (POST /api/transactions/import) and follows the job (token: --token,
 * AML_TOKEN or DEMO_API_KEY). Either way it ends with the import summary as JSON; exit code 1 when
 * the import failed, 0 otherwise (bad lines are reported, not fatal).
 */
import { NestFactory } from '@nestjs/core';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function bar(fraction: number, label: string): void {
  if (!process.stderr.isTTY && fraction < 1 && fraction !== 0) return;
  const width = 30;
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${label}${fraction >= 1 ? '\n' : ''}`);
}

async function viaHttp(file: string, url: string): Promise<unknown> {
  const token = arg('token') ?? process.env.AML_TOKEN ?? process.env.DEMO_API_KEY;
  if (!token) throw new Error('--url needs a bearer token: --token, AML_TOKEN or DEMO_API_KEY');
  const headers = { Authorization: `Bearer ${token}` };
  const res = await fetch(`${url}/api/transactions/import?filename=${encodeURIComponent(basename(file))}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) },
    body: createReadStream(file) as never,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 202) throw new Error(`upload refused: HTTP ${res.status} ${await res.text()}`);
  const { jobId } = (await res.json()) as { jobId: string };
  for (;;) {
    const job = (await (await fetch(`${url}/api/jobs/${jobId}`, { headers })).json()) as { status: string; progress: number; result?: unknown; error?: string };
    bar(job.progress, `job ${jobId} ${job.status}`);
    if (job.status === 'done') return job.result;
    if (job.status === 'failed') throw new Error(`import failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function inProcess(file: string): Promise<unknown> {
  process.env.AML_DEMO_SEED = 'false';
  process.env.LOG_LEVEL ??= 'warn';
  const { AppModule } = await import('../app/app.module');
  const { CsvImportService } = await import('../transactions/csv-import.service');
  const { CaseGrouper } = await import('../cases/case-grouper.service');
  const { createHash } = await import('node:crypto');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.init();
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const summary = await app.get(CsvImportService).importFile(
      { path: file, idPrefix: `csv:${hash.digest('hex').slice(0, 16)}`, filename: basename(file) },
      { progress: async (f: number) => bar(f, basename(file)) },
    );
    await app.get(CaseGrouper).flush();
    return summary;
  } finally {
    await app.close();
  }
}

async function main() {
  const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  if (!file) {
    console.error('usage: npm run aml:import -- FILE.csv [--url http://localhost:3000 --token TOKEN]');
    process.exit(2);
  }
  const path = resolve(file);
  if (!existsSync(path)) {
    console.error(`no such file: ${path}`);
    process.exit(2);
  }
  const url = arg('url') ?? process.env.AML_URL;
  const summary = url ? await viaHttp(path, url.replace(/\/$/, '')) : await inProcess(path);
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((e) => {
  console.error(`\n${(e as Error).message}`);
  process.exit(1);
});
