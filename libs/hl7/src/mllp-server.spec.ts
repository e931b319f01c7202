import { connect } from 'node:net';
import { sendMllp } from './mllp-client';
import { mllpFrame, MllpDecoder } from './mllp-framing';
import { MllpServer } from './mllp-server';

function exchange(port: number, chunks: Buffer[], waitMs = 1500): Promise<{ frames: string[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const decoder = new MllpDecoder(1 << 20);
    const frames: string[] = [];
    let closed = false;
    socket.on('connect', () => chunks.forEach((c) => socket.write(c)));
    socket.on('data', (d) => decoder.push(d).forEach((e) => e.kind === 'frame' && frames.push(e.payload)));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    setTimeout(() => {
      socket.destroy();
      resolve({ frames, closed });
    }, waitMs);
  });
}

describe('MllpServer', () => {
  let server: MllpServer;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = new MllpServer(
      async (payload) => {
        seen.push(payload);
        if (payload === 'explode') throw new Error('handler failure');
        await new Promise((r) => setTimeout(r, payload === 'slow' ? 100 : 1));
        return `ACK:${payload}`;
      },
      { maxFrameBytes: 1000, readTimeoutMs: 200, idleTimeoutMs: 5000 },
      (bytes) => `TOO-BIG:${bytes}`,
    );
    port = await server.listen(0, '127.0.0.1');
  });
  afterAll(() => server.close());

  it('answers frames on one connection in order, even when the first is slower', async () => {
    const { frames } = await exchange(port, [Buffer.concat([mllpFrame('slow'), mllpFrame('fast')])], 600);
    expect(frames).toEqual(['ACK:slow', 'ACK:fast']);
  });

  it('rejects an oversize frame through the oversize handler and keeps the connection usable', async () => {
    const { frames } = await exchange(port, [mllpFrame('x'.repeat(5000)), mllpFrame('after')], 600);
    expect(frames[0]).toMatch(/^TOO-BIG:\d+/);
    expect(frames[1]).toBe('ACK:after');
  });

  it('leaves a frame unanswered when the handler throws, and goes on with the next', async () => {
    const { frames } = await exchange(port, [mllpFrame('explode'), mllpFrame('next')], 600);
    expect(frames).toEqual(['ACK:next']);
  });

  it('closes a connection whose frame stalls past the read timeout', async () => {
    const { frames, closed } = await exchange(port, [Buffer.from([0x0b, 0x41, 0x42])], 800);
    expect(frames).toEqual([]);
    expect(closed).toBe(true);
  });

  it('works with its own client', async () => {
    await expect(sendMllp('127.0.0.1', port, 'hello', 2000)).resolves.toBe('ACK:hello');
  });
});
