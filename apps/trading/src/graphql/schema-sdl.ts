import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { BacktestResolver } from '../backtests/backtest.resolver';
import { MarketResolver } from '../market/market.resolver';
import { NewsResolver } from '../news/news.resolver';
import { SignalsResolver } from '../signals/signals.resolver';

export const RESOLVERS = [MarketResolver, NewsResolver, SignalsResolver, BacktestResolver];

/** The service's SDL, built from the code-first resolvers exactly as the running server builds it. */
export async function buildTradingSdl(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
    return printSchema(lexicographicSortSchema(schema)) + '\n';
  } finally {
    await app.close();
  }
}
