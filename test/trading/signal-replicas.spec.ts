// Two trading replicas behind one Redis, as a balancer would spread researchers: a subscriber on
// replica B receives the signal of a bar ingested through replica A.
import { type ServiceConfig } from '@suite/platform';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { createClient, type Client } from 'graphql-ws';
import IORedis from 'ioredis';
import WebSocket from 'ws';
import { AppModule } from '../../apps/trading/src/app/app.module';
import { SignalEvents } from '../../apps/trading/src/signals/signal-events';

const redisUrl = process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const day = 86_400_000;
const close = (i: number) => 100 * (1 + 0.01 * Math.sin(i / 3) + 0.001 * i);
const bars = (symbol: string, from: number, n: number) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { symbol, time: new Date(Date.UTC(2023, 0, 2) + i * day).toISOString(), open: close(i), high: close(i) * 1.01, low: close(i) * 0.99, close: close(i), volume: 1000 + 10 * i };
  });

describe('signalGenerated across two replicas sharing Redis', () => {
  const replicas: TestApp[] = [];
  const clients: Client[] = [];
  // a channel prefix of this run only, so parallel runs on one Redis stay apart
  const service = `trading-replicas-${process.pid}`;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await createTestApp(AppModule, {
          override: (b) => b.overrideProvider(SignalEvents).useValue(new SignalEvents({ service, REDIS_URL: redisUrl } as ServiceConfig)),
        }),
      );
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const r of replicas) await r.close();
  });

  it('delivers a signal produced on replica A to a subscriber connected to replica B', async () => {
    const [a, b] = replicas;
    const authA = await a.bearer('researcher');
    const authB = await b.bearer('researcher');
    const ingest = async (bs: unknown[]) => {
      const res = await fetch(`${await a.app.getUrl()}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authA },
        body: JSON.stringify({ query: 'mutation($b: [BarInput!]!) { ingestBars(bars: $b) { inserted } }', variables: { b: bs } }),
      });
      expect(res.status).toBe(200);
    };
    await ingest(bars('REPL', 0, 70));
    const client = createClient({ url: (await b.app.getUrl()).replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { Authorization: authB.Authorization }, retryAttempts: 0 });
    clients.push(client);
    const expectedTime = new Date(Date.UTC(2023, 0, 2) + 70 * day).toISOString();
    let subscribed!: () => void;
    const ready = new Promise<void>((r) => (subscribed = r));
    const received = new Promise<{ symbol: string; time: string; horizon: number }>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { signalGenerated(symbols: ["REPL"], horizon: 5) { symbol time horizon } }' },
        {
          next: (msg) => {
            if (msg.errors) reject(new Error(JSON.stringify(msg.errors)));
            const s = (msg.data as { signalGenerated: { symbol: string; time: string; horizon: number } }).signalGenerated;
            if (s.time === expectedTime) resolve(s);
          },
          error: reject,
          complete: () => undefined,
        },
      );
      client.on('connected', () => subscribed());
    });
    await ready;
    // the subscription reaches Redis asynchronously after the socket connects: ingest once Redis
    // itself reports replica B listening
    await untilListening(`suite:${service}:signalGenerated`);
    await ingest(bars('REPL', 70, 1));
    expect(await received).toEqual({ symbol: 'REPL', horizon: 5, time: expectedTime });
  });
});

async function untilListening(channel: string) {
  const probe = new IORedis(redisUrl);
  try {
    for (let i = 0; i < 300; i++) {
      const [, n] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(n) > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`nobody subscribed to ${channel}`);
  } finally {
    probe.disconnect();
  }
}
