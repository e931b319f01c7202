import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { BacktestResolver } from '../backtests/backtest.resolver';
import { MarketResolver } from '../market/market.resolver';
import { NewsResolver } from '../news/news.resolver';
import { SignalsResolver } from '../signals/signals.resolver';

export const RESOLVERS = [MarketResolver, NewsResolver, SignalsResolver, BacktestResolver];

/** Descriptions of the root types, which code-first decorators cannot set. */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const set = (t: { description?: string | null } | null | undefined, text: string) => t && (t.description = text);
  set(schema.getQueryType(), 'Reads: instruments, bars, news, sentiment scoring, signals, backtests. Every request needs a bearer API key or token.');
  set(schema.getMutationType(), 'Writes: bars, news, backtests (role researcher or integration; admin passes).');
  set(schema.getSubscriptionType(), 'Pushes over graphql-ws on /graphql (bearer key in the upgrade request or connectionParams.Authorization).');
  return schema;
}

/** The service's SDL, built from the code-first resolvers exactly as the running server builds it. */
export async function buildTradingSdl(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const schema = describeRootTypes(await app.get(GraphQLSchemaFactory).create(RESOLVERS));
    return printSchema(lexicographicSortSchema(schema)) + '\n';
  } finally {
    await app.close();
  }
}
