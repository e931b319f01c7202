// A researcher's script over real sockets: subscribe to signalGenerated through graphql-ws on a real
// WebSocket, ingest bars over HTTP, receive the new signal.
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { AppModule } from '../../apps/trading/src/app/app.module';

const day = 86_400_000;
function bars(symbol: string, from: number, n: number) {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const close = 100 * (1 + 0.01 * Math.sin(i / 3) + 0.001 * i);
    return { symbol, time: new Date(Date.UTC(2023, 0, 2) + i * day).toISOString(), open: close, high: close * 1.01, low: close * 0.99, close, volume: 1000 + 10 * i };
  });
}

describe('signalGenerated over a real WebSocket', () => {
  let t: TestApp;
  let http: string;
  let ws: string;
  let auth: { Authorization: string };
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await createTestApp(AppModule);
    http = await t.app.getUrl();
    ws = http.replace(/^http/, 'ws') + '/graphql';
    auth = await t.bearer('researcher');
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t?.close();
  });

  const ingest = (b: unknown[]) =>
    fetch(`${http}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query: 'mutation($b: [BarInput!]!) { ingestBars(bars: $b) { inserted } }', variables: { b } }),
    }).then((r) => r.json());

  it('pushes the signal of a newly ingested bar to a subscriber', async () => {
    await ingest(bars('SUBX', 0, 70));
    const client = createClient({ url: ws, webSocketImpl: WebSocket, connectionParams: { Authorization: auth.Authorization }, retryAttempts: 0 });
    clients.push(client);
    const expectedTime = new Date(Date.UTC(2023, 0, 2) + 70 * day).toISOString();
    const received: { symbol: string; time: string; horizon: number; pUp: number; contributions: { price: { pUp: number } } }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { signalGenerated(symbols: ["SUBX"], horizon: 5) { symbol time horizon pUp expectedReturn contributions { price { pUp } sentiment { pUp } } } }' },
        {
          next: (msg) => {
            if (msg.errors) reject(new Error(JSON.stringify(msg.errors)));
            const signal = (msg.data as { signalGenerated: (typeof received)[number] }).signalGenerated;
            received.push(signal);
            // the first ingest may still be publishing its own latest signal: wait for the new bar's
            if (signal.time === expectedTime) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    // wait until the server has the subscription, then ingest the next bar (and one for another symbol)
    await new Promise((r) => setTimeout(r, 300));
    await ingest([...bars('OTHER', 0, 70), ...bars('SUBX', 70, 1)]);
    await done;
    const last = received[received.length - 1];
    expect(last).toMatchObject({ symbol: 'SUBX', horizon: 5, time: expectedTime });
    expect(last.pUp).toBeGreaterThan(0);
    expect(last.pUp).toBeLessThan(1);
    // the filter kept other symbols and horizons away
    expect(received.every((r) => r.symbol === 'SUBX' && r.horizon === 5)).toBe(true);
  });

  it('refuses a WebSocket connection without a valid key', async () => {
    const client = createClient({ url: ws, webSocketImpl: WebSocket, connectionParams: { Authorization: 'Bearer nope' }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
    clients.push(client);
    const closed = await new Promise<{ code: number }>((resolve) => client.on('closed', (e) => resolve(e as { code: number })));
    expect(closed.code).toBe(4403);
  });
});
