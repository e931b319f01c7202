import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { sendMllp } from './mllp-client';
import { mllpFrame } from './mllp-framing';
import { MllpServer, tlsMllpServer, type MllpPeer } from './mllp-server';

const pem = (name: string) => readFileSync(join(__dirname, '__fixtures__/test-only-tls', name));
const ca = pem('ca.cert.pem');
const server = { cert: pem('server.cert.pem'), key: pem('server.key.pem') };
const client = { cert: pem('client.cert.pem'), key: pem('client.key.pem') };

/** Resolves when the peer closes the connection; collects whatever it sent first. */
function closedWithout(port: number, write: Buffer): Promise<{ received: number }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = 0;
    socket.on('connect', () => socket.write(write));
    socket.on('data', (d) => (received += d.length));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ received }));
  });
}

describe('MllpServer over TLS', () => {
  const seen: string[] = [];
  const handler = async (payload: string) => {
    seen.push(payload);
    return `ACK:${payload}`;
  };
  let tlsServer: MllpServer;
  let mtlsServer: MllpServer;
  let tlsPort: number;
  let mtlsPort: number;

  beforeAll(async () => {
    tlsServer = new MllpServer(handler, undefined, undefined, undefined, { createServer: tlsMllpServer({ ...server }) });
    mtlsServer = new MllpServer(handler, undefined, undefined, undefined, {
      createServer: tlsMllpServer({ ...server, ca, requestCert: true, rejectUnauthorized: true }),
    });
    tlsPort = await tlsServer.listen(0, '127.0.0.1');
    mtlsPort = await mtlsServer.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await tlsServer.close();
    await mtlsServer.close();
  });

  it('answers over TLS with the same framing, to a client that verifies the server', async () => {
    await expect(sendMllp('127.0.0.1', tlsPort, 'over-tls', 5000, { ca })).resolves.toBe('ACK:over-tls');
    await expect(sendMllp('localhost', tlsPort, 'by-name', 5000, { ca })).resolves.toBe('ACK:by-name');
  });

  it('never hands a plain-TCP frame to the handler of a TLS listener', async () => {
    const { received } = await closedWithout(tlsPort, mllpFrame('plain-text'));
    expect(seen).not.toContain('plain-text');
    // whatever came back is a TLS alert at most, never an MLLP block
    expect(received).toBeLessThan(64);
  });

  it('is refused by a client that does not trust the server certificate', async () => {
    await expect(sendMllp('127.0.0.1', tlsPort, 'untrusted', 5000, {})).rejects.toThrow(/self.signed|unable to (get|verify)/i);
    expect(seen).not.toContain('untrusted');
  });

  it('with mutual TLS, answers a client with a certificate from the CA and refuses one without', async () => {
    await expect(sendMllp('127.0.0.1', mtlsPort, 'with-cert', 5000, { ca, ...client })).resolves.toBe('ACK:with-cert');
    await expect(sendMllp('127.0.0.1', mtlsPort, 'without-cert', 5000, { ca })).rejects.toThrow();
    expect(seen).toContain('with-cert');
    expect(seen).not.toContain('without-cert');
  });

  it('with mutual TLS, refuses a client certificate the CA did not issue', async () => {
    const forged = connectTls({ host: '127.0.0.1', port: mtlsPort, ca, cert: pem('stranger.cert.pem'), key: pem('stranger.key.pem') });
    const outcome = await new Promise<string>((resolve) => {
      forged.on('secureConnect', () => forged.write(mllpFrame('forged')));
      forged.on('data', () => resolve('answered'));
      forged.on('error', () => resolve('refused'));
      forged.on('close', () => resolve('refused'));
    });
    forged.destroy();
    expect(outcome).toBe('refused');
    expect(seen).not.toContain('forged');
  });
});

describe('MllpServer admission', () => {
  it('closes a connection it does not admit before reading anything, and serves one it admits', async () => {
    const seen: string[] = [];
    const asked: MllpPeer[] = [];
    let open = false;
    const s = new MllpServer(
      async (p) => {
        seen.push(p);
        return `ACK:${p}`;
      },
      undefined,
      undefined,
      undefined,
      {
        admit: (peer) => {
          asked.push(peer);
          return open;
        },
      },
    );
    const port = await s.listen(0, '127.0.0.1');
    try {
      const { received } = await closedWithout(port, mllpFrame('refused'));
      expect(received).toBe(0);
      await expect(sendMllp('127.0.0.1', port, 'refused-too', 5000)).rejects.toThrow(/closed before a reply|ECONNRESET/);
      expect(seen).toEqual([]);
      expect(asked[0].remoteAddress).toMatch(/127\.0\.0\.1$/);
      open = true;
      await expect(sendMllp('127.0.0.1', port, 'admitted', 5000)).resolves.toBe('ACK:admitted');
      expect(seen).toEqual(['admitted']);
    } finally {
      await s.close();
    }
  });

  it('refuses before the TLS handshake on a TLS listener', async () => {
    const s = new MllpServer(async (p) => `ACK:${p}`, undefined, undefined, undefined, {
      createServer: tlsMllpServer({ ...server }),
      admit: () => false,
    });
    const port = await s.listen(0, '127.0.0.1');
    try {
      await expect(sendMllp('127.0.0.1', port, 'x', 5000, { ca })).rejects.toThrow(/socket disconnected|closed before a reply|ECONNRESET/i);
    } finally {
      await s.close();
    }
  });
});
