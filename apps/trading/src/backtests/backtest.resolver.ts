import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Roles, type Principal } from '@suite/platform';
import { decodeCursor, pageSize, toConnection } from '../graphql/relay';
import { BacktestService } from './backtest.service';
import { BacktestConnection, BacktestInput, BacktestType } from './backtest.types';

const isKey = (v: unknown): v is [string, string] => Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string';

@Resolver(() => BacktestType)
export class BacktestResolver {
  constructor(private readonly service: BacktestService) {}

  @Roles('researcher')
  @Mutation(() => BacktestType, { description: 'Starts a backtest as a background job and returns it QUEUED; poll backtest(id) until DONE or FAILED.' })
  runBacktest(@Args('input', { description: 'Strategy, symbols, range and costs.' }) input: BacktestInput, @CurrentPrincipal() who?: Principal) {
    return this.service.start(input, who?.name ?? null);
  }

  @Query(() => BacktestType, { nullable: true, description: 'A backtest by id (null when unknown).' })
  backtest(@Args('id', { type: () => ID, description: 'Backtest id from runBacktest.' }) id: string) {
    return this.service.get(id);
  }

  @Query(() => BacktestConnection, { description: 'Backtests, newest first.', complexity: (o) => 1 + (o.args.first ?? 20) * o.childComplexity })
  async backtests(
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (1-1000, default 20).' }) first?: number,
    @Args('after', { nullable: true, description: 'Cursor from a previous page.' }) after?: string,
  ) {
    const n = pageSize(first, 20);
    const c = decodeCursor(after, isKey);
    const rows = await this.service.page(n + 1, c ? { createdAt: c[0], id: c[1] } : undefined);
    return toConnection(rows, n, (b) => [b.createdAt.toISOString(), b.id]);
  }
}
