import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Roles } from '@suite/platform';
import type { TradingContext } from '../graphql/loaders';
import { decodeCursor, pageSize, toConnection } from '../graphql/relay';
import { InstrumentType } from '../market/market.types';
import { NewsService } from './news.service';
import { NewsConnection, NewsInput, NewsType, Sentiment } from './news.types';

const isNewsKey = (v: unknown): v is [number, string] => Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string';

@Resolver(() => NewsType)
export class NewsResolver {
  constructor(private readonly service: NewsService) {}

  @Query(() => [Sentiment], { description: 'Scores texts with news-sentiment, in order (at most 1000 texts of 10000 characters).', complexity: (o) => 1 + (o.args.texts?.length ?? 1) })
  sentiment(@Args('texts', { type: () => [String], description: 'Texts (headlines) to score.' }) texts: string[]) {
    return this.service.score(texts);
  }

  @Query(() => NewsConnection, { description: 'News, newest first, optionally for one symbol.', complexity: (o) => 1 + (o.args.first ?? 20) * o.childComplexity })
  async news(
    @Args('symbol', { nullable: true, description: 'Only news about this symbol.' }) symbol?: string,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (1-1000, default 20).' }) first?: number,
    @Args('after', { nullable: true, description: 'Cursor from a previous page.' }) after?: string,
  ) {
    const n = pageSize(first, 20);
    const c = decodeCursor(after, isNewsKey);
    const rows = await this.service.store.page({ symbol: symbol ?? undefined, first: n + 1, after: c ? { publishedAtMs: c[0], id: c[1] } : undefined });
    return toConnection(rows.map((r) => ({ ...r, publishedAt: new Date(r.publishedAtMs), body: r.body ?? null })), n, (r) => [r.publishedAtMs, r.id]);
  }

  @Roles('researcher', 'integration')
  @Mutation(() => NewsType, { description: 'Ingests one news item, scored on arrival; the same source + publishedAt + headline is stored once.' })
  async ingestNews(@Args('input', { description: 'The news item.' }) input: NewsInput) {
    const n = await this.service.ingest(input);
    return { ...n, publishedAt: new Date(n.publishedAtMs), body: n.body ?? null };
  }

  @ResolveField(() => [InstrumentType], { description: 'Instruments of `symbols` that exist (batched lookup).' })
  async instruments(@Parent() n: NewsType, @Context() ctx: TradingContext) {
    return (await ctx.loaders.instrument.loadMany(n.symbols)).filter((i): i is InstrumentType => !!i && !(i instanceof Error));
  }
}
