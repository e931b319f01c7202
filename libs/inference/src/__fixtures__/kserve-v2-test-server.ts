import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendSession } from '../backend/inference-backend';

/**
 * A small KServe v2 (Open Inference Protocol) server written for the tests: it serves models
 * through an in-process session and speaks the protocol's JSON shapes (metadata, infer, health).
 * It is not Triton; it exists to prove our client against the protocol.
 */
export async function startKServeTestServer(models: Record<string, BackendSession>): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const m = /^\/v2\/models\/([^/]+)(\/infer)?$/.exec(req.url ?? '');
    if (req.url === '/v2/health/ready') return send(200, { ready: true });
    if (!m || !models[decodeURIComponent(m[1])]) return send(404, { error: 'model not found' });
    const session = models[decodeURIComponent(m[1])];
    if (!m[2]) return send(200, { name: m[1], versions: ['1'], platform: 'onnxruntime_onnx', inputs: session.inputNames.map((name) => ({ name })), outputs: session.outputNames.map((name) => ({ name })) });
    state.requests++;
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const { inputs } = JSON.parse(body) as { inputs: { name: string; shape: number[]; datatype: string; data: number[] }[] };
      const feeds = Object.fromEntries(inputs.map((i) => [i.name, { dtype: 'float32' as const, dims: i.shape, data: Float32Array.from(i.data) }]));
      const out = await session.run(feeds);
      send(200, { model_name: m[1], outputs: Object.entries(out).map(([name, t]) => ({ name, shape: t.dims, datatype: 'FP32', data: Array.from(t.data as Float32Array) })) });
    } catch (err) {
      send(400, { error: (err as Error).message });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
