import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { readAmlworldCsv, type RowError, type Transaction } from '@suite/aml';
import { DATABASE, JobQueue, OverloadedError, SERVICE_CONFIG, type Database, type JobContext } from '@suite/platform';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AmlConfig } from '../app/aml-config';
import { CaseGrouper } from '../cases/case-grouper.service';
import { DecisionService, type TransactionSource } from '../scoring/decision.service';

export const IMPORT_JOB = 'aml.import-csv';

export interface ImportInput {
  path: string;
  idPrefix: string;
  filename: string;
  source?: TransactionSource;
}

export interface ImportSummary {
  filename: string;
  rows: number;
  decided: number;
  duplicates: number;
  decisions: Record<string, number>;
  alerts: number;
  badLines: number;
  /** The first 1000 bad lines with their problem. */
  errors: RowError[];
  /** Rows older than rows already decided (beyond the reorder window); decided anyway. */
  outOfOrder: number;
}

/** Rows held back to put a nearly-sorted file into time order before deciding. */
const REORDER_WINDOW = 20_000;
const BATCH = 500;

/** A binary min-heap of rows by (timestamp, line): file order breaks ties, so equal times stay stable. */
class RowHeap {
  private readonly a: Array<{ line: number; t: Transaction }> = [];
  get size() {
    return this.a.length;
  }
  private less(i: number, j: number) {
    const x = this.a[i], y = this.a[j];
    return x.t.timestamp < y.t.timestamp || (x.t.timestamp === y.t.timestamp && x.line < y.line);
  }
  push(v: { line: number; t: Transaction }) {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): { line: number; t: Transaction } | undefined {
    const a = this.a;
    if (!a.length) return undefined;
    const top = a[0];
    const last = a.pop() as { line: number; t: Transaction };
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.less(l, m)) m = l;
        if (r < a.length && this.less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * AMLworld CSV imports: the upload is streamed to a file under DATA_DIR (acknowledged once it is
 * on disk), then a background job decides its rows in time order, reporting progress and bad lines
 * by number without stopping. Row ids derive from the file's sha256 and line, so importing the
 * same file twice changes nothing.
 */
@Injectable()
export class CsvImportService implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly decisions: DecisionService,
    @Inject(SERVICE_CONFIG) private readonly config: AmlConfig,
    @Inject(DATABASE) private readonly db: Database,
    private readonly cases: CaseGrouper,
  ) {}

  onModuleInit() {
    this.jobs.register<ImportInput, ImportSummary>(IMPORT_JOB, (input, ctx) => this.importFile(input, ctx));
  }

  private uploadDir(): string {
    const dir = resolve(this.config.DATA_DIR, 'aml', 'imports');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Streams an upload to disk and queues its import; resolves once the file is stored. */
  async accept(body: Readable | string | Buffer, filename: string): Promise<{ jobId: string; status: string; bytes: number }> {
    const path = join(this.uploadDir(), `${randomUUID()}.csv`);
    const hash = createHash('sha256');
    let bytes = 0;
    const source: Readable | Iterable<Buffer> = typeof body === 'string' || Buffer.isBuffer(body) ? [Buffer.from(body)] : body;
    await pipeline(
      source as Readable,
      async function* (chunks: AsyncIterable<Buffer | string>) {
        for await (const c of chunks) {
          const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
          hash.update(b);
          bytes += b.length;
          yield b;
        }
      },
      createWriteStream(path),
    );
    const digest = hash.digest('hex').slice(0, 16);
    const job = await this.jobs.enqueue<ImportInput>(IMPORT_JOB, { path, idPrefix: `csv:${digest}`, filename, source: 'csv' });
    return { jobId: job.id, status: job.status, bytes };
  }

  /** A background import waits for room in the decision queue instead of failing on a 429. */
  private async decideWhenAccepted(batch: Transaction[], source: TransactionSource, jobId?: string) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.decisions.decide(batch, source, jobId);
      } catch (e) {
        if (!(e instanceof OverloadedError) || attempt >= 600) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Decides every row of an AMLworld CSV file (also used by the CLI with its own progress bar). */
  async importFile(input: ImportInput, ctx: Pick<JobContext, 'progress'> & { jobId?: string }): Promise<ImportSummary> {
    const size = Math.max(1, statSync(input.path).size);
    const stream = createReadStream(input.path);
    const summary: ImportSummary = { filename: input.filename, rows: 0, decided: 0, duplicates: 0, decisions: { ALLOW: 0, REVIEW: 0, BLOCK: 0 }, alerts: 0, badLines: 0, errors: [], outOfOrder: 0 };
    const heap = new RowHeap();
    let batch: Transaction[] = [];
    let lastDecided = -Infinity;
    const existing = async (ids: string[]) => new Set((await this.db.prisma.amlTransaction.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((r) => r.id));
    const flush = async () => {
      if (!batch.length) return;
      const before = await existing(batch.map((t) => t.id));
      const results = await this.decideWhenAccepted(batch, input.source ?? 'csv', ctx.jobId);
      results.forEach((r) => {
        if (before.has(r.transactionId)) summary.duplicates++;
        else {
          summary.decided++;
          summary.decisions[r.decision]++;
          if (r.alertId) summary.alerts++;
        }
      });
      batch = [];
      // share of the file read times share of the rows read that are decided: rows wait in the
      // reorder window, so a file smaller than the window is all read before the first decision
      const decidedShare = (summary.decided + summary.duplicates) / Math.max(1, summary.rows);
      await ctx.progress(Math.min(0.99, (stream.bytesRead / size) * decidedShare));
    };
    const emit = async (row: { line: number; t: Transaction }) => {
      if (row.t.timestamp < lastDecided) summary.outOfOrder++;
      lastDecided = Math.max(lastDecided, row.t.timestamp);
      batch.push(row.t);
      if (batch.length >= BATCH) await flush();
    };
    for await (const item of readAmlworldCsv(stream, input.idPrefix)) {
      if ('error' in item) {
        summary.badLines++;
        if (summary.errors.length < 1000) summary.errors.push({ line: item.line, message: item.error });
        continue;
      }
      summary.rows++;
      heap.push({ line: item.line, t: item.transaction });
      if (heap.size > REORDER_WINDOW) await emit(heap.pop() as { line: number; t: Transaction });
    }
    while (heap.size) await emit(heap.pop() as { line: number; t: Transaction });
    await flush();
    // a finished import means its alerts are in cases too (the console opens them next)
    await this.cases.flush();
    await ctx.progress(1);
    return summary;
  }
}
