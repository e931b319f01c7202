/** One autocannon run against one service, every answer recorded under its route. */
import autocannon from 'autocannon';
import type { ServiceRecorder } from './recorder';
import type { Step } from './traffic';

export function drive(url: string, apiKey: string, steps: Step[], opts: { connections: number; seconds: number; recorder: ServiceRecorder }): Promise<void> {
  // autocannon calls a request's onResponse synchronously just before its 'response' event, so the
  // route and body seen last are those of the answer being reported
  let route = steps[0].route;
  let body = '';
  const requests = steps.map(({ route: name, onResponse, ...req }) => ({
    ...req,
    onResponse: (status: number, b: string, context: Record<string, unknown>) => {
      route = name;
      body = b;
      onResponse?.(status, b, context);
    },
  }));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: opts.connections, duration: opts.seconds, timeout: 30, headers: { authorization: `Bearer ${apiKey}` }, requests },
      (err) => (err ? reject(err) : resolve()),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => opts.recorder.response(route, status, ms, status >= 300 || status < 200 ? body : undefined));
    instance.on('reqError', (err: Error) => opts.recorder.error('(no answer)', err.message));
  });
}
