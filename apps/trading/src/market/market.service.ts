import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '@suite/platform';
import { Bar, BarCsvHeaderError, barProblems, BarStore, readBarCsv, SYMBOL_PATTERN } from '@suite/trading';
import type { Readable } from 'node:stream';
import { invalid } from '../graphql/field-error';
import { SignalService } from '../signals/signal.service';
import type { BarInput, IngestResult } from './market.types';

const MAX_LISTED_ERRORS = 100;
const CSV_BATCH = 5000;
export const MAX_BARS_PER_CALL = 50_000;

/**
 * Bars in: batched objects or streamed CSV. Valid bars are committed in batches (idempotently, so a
 * retried import repeats nothing); refused bars are listed with their index or CSV line. Subscribers
 * get fresh signals for the touched symbols after the commit.
 */
@Injectable()
export class MarketService {
  readonly store: BarStore;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly signals: SignalService,
  ) {
    this.store = new BarStore(db);
  }

  async ingest(inputs: BarInput[], source = 'graphql'): Promise<IngestResult> {
    if (inputs.length > MAX_BARS_PER_CALL) throw invalid('bars', `at most ${MAX_BARS_PER_CALL} bars per call; use importBars for files`);
    const result = emptyResult(inputs.length);
    const good: Bar[] = [];
    inputs.forEach((b, index) => {
      const bar: Bar = { ...b, symbol: b.symbol, timeMs: b.time instanceof Date ? b.time.getTime() : NaN };
      const problems = barProblems(bar);
      if (problems.length) reject(result, { index, line: null, message: problems.map((p) => `bars[${index}].${p.field}: ${p.message}`).join('; ') });
      else good.push(bar);
    });
    await this.commit(good, source, result);
    return this.finish(result);
  }

  async importCsv(input: Readable | AsyncIterable<Buffer | string>, defaultSymbol?: string | null, source = 'csv', opts: { publish?: boolean } = {}): Promise<IngestResult> {
    if (defaultSymbol != null && !SYMBOL_PATTERN.test(defaultSymbol)) throw invalid('symbol', `${JSON.stringify(defaultSymbol)} is not a valid symbol`);
    const result = emptyResult(0);
    let batch: Bar[] = [];
    try {
      for await (const row of readBarCsv(input, defaultSymbol ?? undefined)) {
        result.received++;
        if ('problems' in row) reject(result, { line: row.line, index: null, message: `line ${row.line}: ${row.problems.join('; ')}` });
        else batch.push(row.bar);
        if (batch.length >= CSV_BATCH) {
          await this.commit(batch, source, result);
          batch = [];
        }
      }
    } catch (err) {
      if (err instanceof BarCsvHeaderError) throw invalid('csv', err.message);
      if ((err as { code?: string }).code?.startsWith('CSV_')) throw invalid('csv', (err as Error).message);
      throw err;
    }
    await this.commit(batch, source, result);
    return this.finish(result, opts.publish ?? true);
  }

  private async commit(bars: Bar[], source: string, result: IngestResult & { touched: Set<string>; changed: Set<string> }) {
    if (!bars.length) return;
    const counts = await this.store.upsert(bars, source);
    result.inserted += counts.inserted;
    result.updated += counts.updated;
    // repeats inside one request collapse to one bar: count them as unchanged
    result.unchanged += counts.unchanged + (bars.length - counts.inserted - counts.updated - counts.unchanged);
    for (const b of bars) result.touched.add(b.symbol);
    if (counts.inserted + counts.updated > 0) for (const b of bars) result.changed.add(b.symbol);
  }

  private finish(result: IngestResult & { touched: Set<string>; changed: Set<string> }, publish = true): IngestResult {
    const { touched, changed, ...out } = result;
    out.symbols = [...touched].sort();
    if (publish && changed.size) void this.signals.publishLatest([...changed].sort());
    return out;
  }
}

function emptyResult(received: number): IngestResult & { touched: Set<string>; changed: Set<string> } {
  return { received, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], symbols: [], touched: new Set(), changed: new Set() };
}

function reject(result: IngestResult, e: { line: number | null; index: number | null; message: string }) {
  result.rejected++;
  if (result.errors.length < MAX_LISTED_ERRORS) result.errors.push(e);
}
