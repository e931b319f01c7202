import { Inject } from '@nestjs/common';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DATABASE, Roles, type Database } from '@suite/platform';
import { adjustForCorporateActions } from '@suite/trading';
import { Readable } from 'node:stream';
import { invalid } from '../graphql/field-error';
import type { TradingContext } from '../graphql/loaders';
import { FileUpload, GraphQLUpload, uploadStream } from '../graphql/multipart-upload';
import { decodeCursor, pageSize, toConnection } from '../graphql/relay';
import { NewsConnection } from '../news/news.types';
import { MarketService } from './market.service';
import { BarConnection, BarInput, BarSummary, IngestResult, InstrumentConnection, InstrumentType } from './market.types';

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNewsKey = (v: unknown): v is [number, string] => Array.isArray(v) && isNumber(v[0]) && isString(v[1]);

@Resolver(() => InstrumentType)
export class MarketResolver {
  constructor(
    private readonly market: MarketService,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @Query(() => InstrumentConnection, { description: 'Instruments in symbol order.', complexity: (o) => 1 + (o.args.first ?? 50) * o.childComplexity })
  async instruments(
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (1-1000, default 50).' }) first?: number,
    @Args('after', { nullable: true, description: 'Cursor from a previous page.' }) after?: string,
  ) {
    const n = pageSize(first);
    const cursor = decodeCursor(after, isString);
    const rows = await this.db.prisma.tradingInstrument.findMany({ where: cursor ? { symbol: { gt: cursor } } : {}, orderBy: { symbol: 'asc' }, take: n + 1 });
    return toConnection(rows.map((r) => ({ symbol: r.symbol, name: r.name, currency: r.currency })), n, (i) => i.symbol);
  }

  @Query(() => InstrumentType, { nullable: true, description: 'One instrument by symbol.' })
  instrument(@Args('symbol', { description: 'Ticker symbol.' }) symbol: string, @Context() ctx: TradingContext) {
    return ctx.loaders.instrument.load(symbol);
  }

  @ResolveField(() => BarSummary, { description: 'Bar count and span (batched across instruments).' })
  barSummary(@Parent() i: InstrumentType, @Context() ctx: TradingContext) {
    return ctx.loaders.barSummary.load(i.symbol);
  }

  @ResolveField(() => BarConnection, { description: 'Bars in time order.', complexity: (o) => 1 + (o.args.first ?? 100) * o.childComplexity })
  async bars(
    @Parent() i: InstrumentType,
    @Context() ctx: TradingContext,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (1-1000, default 100).' }) first?: number,
    @Args('after', { nullable: true, description: 'Cursor from a previous page.' }) after?: string,
    @Args('from', { nullable: true, description: 'Earliest bar time.' }) from?: Date,
    @Args('to', { nullable: true, description: 'Latest bar time.' }) to?: Date,
    @Args('adjusted', { defaultValue: true, description: 'Split/dividend-adjusted prices (default) or as traded.' }) adjusted?: boolean,
  ) {
    const n = pageSize(first, 100);
    const cursor = decodeCursor(after, isNumber);
    // adjustment needs every later event, so adjust the full series, then page; one query for all
    // instruments of the response (DataLoader)
    const all = await ctx.loaders.bars.load(i.symbol);
    const series = adjusted ? adjustForCorporateActions(all) : all;
    const lo = Math.max(from?.getTime() ?? -Infinity, cursor !== undefined ? cursor + 1 : -Infinity);
    const hi = to?.getTime() ?? Infinity;
    const page = series.filter((b) => b.timeMs >= lo && b.timeMs <= hi).slice(0, n + 1);
    return toConnection(page.map((b) => ({ ...b, time: new Date(b.timeMs), split: b.split ?? null, dividend: b.dividend ?? null })), n, (b) => b.time.getTime());
  }

  @ResolveField(() => NewsConnection, { description: 'News about this instrument, newest first.', complexity: (o) => 1 + (o.args.first ?? 20) * o.childComplexity })
  async news(
    @Parent() i: InstrumentType,
    @Context() ctx: TradingContext,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (1-1000, default 20).' }) first?: number,
    @Args('after', { nullable: true, description: 'Cursor from a previous page.' }) after?: string,
  ) {
    const n = pageSize(first, 20);
    const c = decodeCursor(after, isNewsKey);
    const rows = await ctx.loaders.newsPage.load({ symbol: i.symbol, first: n + 1, after: c ? { publishedAtMs: c[0], id: c[1] } : undefined });
    return toConnection(rows.map((r) => ({ ...r, publishedAt: new Date(r.publishedAtMs), body: r.body ?? null })), n, (r) => [r.publishedAtMs, r.id]);
  }

  @Roles('researcher', 'integration')
  @Mutation(() => IngestResult, { description: 'Ingests bars (any order; re-sending is idempotent). Accepted bars are committed before the answer; refused ones are listed with their index.' })
  ingestBars(@Args('bars', { type: () => [BarInput], description: 'Bars, at most 50000 per call.' }) bars: BarInput[]) {
    return this.market.ingest(bars);
  }

  @Roles('researcher', 'integration')
  @Mutation(() => IngestResult, {
    description:
      'Imports bars from a CSV (header: symbol,time|date,open,high,low,close,volume[,split][,dividend]): an uploaded ' +
      '`file` (GraphQL multipart request, streamed with backpressure, any size; send header apollo-require-preflight: true) ' +
      'or inline `csv` text. Read row by row; malformed rows are reported with their line number and the rest is committed. ' +
      'Re-importing is idempotent. The same import is also available as POST /api/trading/bars/import.',
  })
  async importBars(
    @Args('file', { type: () => GraphQLUpload, nullable: true, description: 'The CSV file (multipart upload).' }) file?: FileUpload | null,
    @Args('csv', { nullable: true, description: 'CSV text, for small files.' }) csv?: string,
    @Args('symbol', { nullable: true, description: 'Symbol for files without a symbol column.' }) symbol?: string,
  ) {
    if ((file ? 1 : 0) + (csv != null ? 1 : 0) !== 1) throw invalid('file', 'send exactly one of file (upload) or csv (text)');
    if (file) return this.market.importCsv(await uploadStream(file), symbol, 'graphql-upload');
    if (!csv?.trim()) throw invalid('csv', 'is empty');
    return this.market.importCsv(Readable.from([csv]), symbol);
  }
}
