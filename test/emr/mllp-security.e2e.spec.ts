import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { Hl7Message, mllpFrame, MllpServer, sendMllp, tlsMllpServer } from '@suite/hl7';
import { ConfigError, loadServiceConfig } from '@suite/platform';
import { AppModule } from '../../apps/emr/src/app/app.module';
import { emrEnv, type EmrConfig } from '../../apps/emr/src/app/emr-config';
import { MllpListener } from '../../apps/emr/src/hl7/mllp-listener';
import { listenerTls } from '../../apps/emr/src/hl7/mllp-tls';

const fixtures = join(__dirname, '../../libs/hl7/src/__fixtures__/test-only-tls');
const pemPath = (name: string) => join(fixtures, name);
const pem = (name: string) => readFileSync(pemPath(name));
const oru = (controlId: string) => readFileSync(join(__dirname, '../../data/emr/hl7/oru-r01-tx.hl7'), 'utf8').replace('ORU-0001', controlId);
const ackCode = (ack: string) => Hl7Message.parse(ack).getSegment('MSA')?.getField(1);

const MLLP_VARS = ['MLLP_PORT', 'MLLP_HOST', 'MLLP_ALLOW', 'MLLP_TLS_CERT', 'MLLP_TLS_KEY', 'MLLP_TLS_CA', 'MLLP_TLS_REQUIRE_CLIENT_CERT', 'EMR_DOWNSTREAM', 'EMR_DOWNSTREAM_TLS_CA', 'EMR_OUTBOUND_POLL_MS'];

async function boot(env: Record<string, string>): Promise<{ t: TestApp; port: number }> {
  for (const k of MLLP_VARS) delete process.env[k];
  Object.assign(process.env, { MLLP_PORT: '0', MLLP_HOST: '127.0.0.1' }, env);
  const t = await createTestApp(AppModule);
  return { t, port: t.app.get(MllpListener).port };
}

/** Connects over plain TCP, sends one frame, and reports what came back before the close. */
function plainExchange(port: number, frame: Buffer): Promise<{ bytes: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let bytes = 0;
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (d) => (bytes += d.length));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ bytes, closed: true }));
    setTimeout(() => {
      socket.destroy();
      resolve({ bytes, closed: false });
    }, 5000).unref();
  });
}

async function stored(t: TestApp, controlId: string) {
  const [notes, messages] = await Promise.all([
    t.db.prisma.emrNote.count({ where: { controlId } }),
    t.db.prisma.emrMessage.count({ where: { controlId } }),
  ]);
  return notes + messages;
}

jest.setTimeout(180_000);

afterAll(() => {
  for (const k of MLLP_VARS) delete process.env[k];
});

describe('MLLP source-address allow-list', () => {
  it('closes a connection from outside MLLP_ALLOW unread, stores nothing, counts it; serves it once allowed', async () => {
    const refused = await boot({ MLLP_ALLOW: '10.0.0.0/8, fd00::/8' });
    try {
      const { bytes, closed } = await plainExchange(refused.port, mllpFrame(oru('REFUSED-ADDR')));
      expect(closed).toBe(true);
      expect(bytes).toBe(0);
      await expect(sendMllp('127.0.0.1', refused.port, oru('REFUSED-ADDR-2'), 5000)).rejects.toThrow();
      expect(await stored(refused.t, 'REFUSED-ADDR')).toBe(0);
      expect(await stored(refused.t, 'REFUSED-ADDR-2')).toBe(0);
      const metrics = await (await fetch(`${await refused.t.app.getUrl()}/metrics`)).text();
      expect(Number(/^emr_mllp_connections_refused_total(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    } finally {
      await refused.t.close();
    }

    // the same client from the same address, now on the list (as an IPv4-mapped entry)
    const allowed = await boot({ MLLP_ALLOW: '10.0.0.0/8,::ffff:127.0.0.1' });
    try {
      expect(ackCode(await sendMllp('127.0.0.1', allowed.port, oru('ALLOWED-ADDR'), 10_000))).toBe('AA');
      expect(await allowed.t.db.prisma.emrNote.count({ where: { controlId: 'ALLOWED-ADDR' } })).toBe(1);
    } finally {
      await allowed.t.close();
    }
  });

  // configuration is read before the database opens: these need no app (and leave no test database behind)
  const config = (env: Record<string, string>) => listenerTls(loadServiceConfig('emr', 3002, emrEnv, { MLLP_PORT: '0', ...env }) as EmrConfig);

  it('stops the service with a message naming MLLP_ALLOW when it does not parse', () => {
    expect(() => config({ MLLP_ALLOW: '10.0.0.0/8,not-an-address' })).toThrow(/MLLP_ALLOW "not-an-address" is not an IP/);
    expect(() => config({ MLLP_ALLOW: '10.0.0.0/33' })).toThrow(ConfigError);
    expect(() => config({ MLLP_ALLOW: '' })).toThrow(/MLLP_ALLOW must list at least one/);
  });

  it('stops the service when TLS is half configured or a PEM file is missing', () => {
    expect(() => config({ MLLP_TLS_CERT: pemPath('server.cert.pem') })).toThrow(/MLLP_TLS_KEY is required with MLLP_TLS_CERT/);
    expect(() => config({ MLLP_TLS_CERT: pemPath('server.cert.pem'), MLLP_TLS_KEY: pemPath('server.key.pem'), MLLP_TLS_REQUIRE_CLIENT_CERT: 'true' })).toThrow(/MLLP_TLS_CA is required/);
    expect(() => config({ MLLP_TLS_CERT: '/nonexistent/cert.pem', MLLP_TLS_KEY: pemPath('server.key.pem') })).toThrow(/MLLP_TLS_CERT file not found/);
    expect(() => config({ MLLP_TLS_REQUIRE_CLIENT_CERT: 'yes' })).toThrow(/MLLP_TLS_REQUIRE_CLIENT_CERT/);
    expect(config({ MLLP_TLS_CERT: pemPath('server.cert.pem'), MLLP_TLS_KEY: pemPath('server.key.pem') })).toMatchObject({ requestCert: false });
    expect(config({})).toBeUndefined();
  });
});

describe('MLLP over mutual TLS, with TLS to the downstream system', () => {
  let app: { t: TestApp; port: number };
  let downstream: MllpServer;
  const delivered: string[] = [];
  const ca = pem('ca.cert.pem');
  const client = { cert: pem('client.cert.pem'), key: pem('client.key.pem') };

  beforeAll(async () => {
    downstream = new MllpServer(
      async (payload) => {
        delivered.push(payload);
        return Hl7Message.parse(payload).buildAck({ ackCode: 'AA' }).toString();
      },
      undefined,
      undefined,
      undefined,
      { createServer: tlsMllpServer({ cert: pem('server.cert.pem'), key: pem('server.key.pem') }) },
    );
    const downstreamPort = await downstream.listen(0, '127.0.0.1');
    app = await boot({
      MLLP_ALLOW: '127.0.0.0/8',
      MLLP_TLS_CERT: pemPath('server.cert.pem'),
      MLLP_TLS_KEY: pemPath('server.key.pem'),
      MLLP_TLS_CA: pemPath('ca.cert.pem'),
      MLLP_TLS_REQUIRE_CLIENT_CERT: 'true',
      EMR_DOWNSTREAM: `127.0.0.1:${downstreamPort}`,
      EMR_DOWNSTREAM_TLS_CA: pemPath('ca.cert.pem'),
      EMR_OUTBOUND_POLL_MS: '100',
    });
  }, 120_000);

  afterAll(async () => {
    await app?.t.close();
    await downstream?.close();
  });

  it('commits and acknowledges (AA) a message from a sender with a client certificate from MLLP_TLS_CA', async () => {
    expect(ackCode(await sendMllp('127.0.0.1', app.port, oru('TLS-OK'), 10_000, { ca, ...client }))).toBe('AA');
    expect(await app.t.db.prisma.emrNote.count({ where: { controlId: 'TLS-OK' } })).toBe(1);
  });

  it('delivers the structured result to EMR_DOWNSTREAM over TLS', async () => {
    const sent = () => app.t.db.prisma.emrOutbound.findFirst({ where: { sourceControlId: 'TLS-OK', status: 'sent' } });
    for (let i = 0; i < 100 && !(await sent()); i++) await new Promise((r) => setTimeout(r, 100));
    const row = await sent();
    expect(row).not.toBeNull();
    const oruOut = delivered.map((m) => Hl7Message.parse(m)).find((m) => m.getSegment('MSH')?.getField(10) === row?.controlId);
    expect(oruOut?.messageType.code).toBe('ORU');
  });

  it('refuses a plain-TCP sender: no MLLP reply, nothing stored', async () => {
    const { bytes } = await plainExchange(app.port, mllpFrame(oru('PLAIN-TO-TLS')));
    // a TLS alert at most, never an ACK block
    expect(bytes).toBeLessThan(64);
    expect(await stored(app.t, 'PLAIN-TO-TLS')).toBe(0);
  });

  it('refuses a TLS sender without a client certificate: nothing stored', async () => {
    await expect(sendMllp('127.0.0.1', app.port, oru('NO-CLIENT-CERT'), 5000, { ca })).rejects.toThrow();
    expect(await stored(app.t, 'NO-CLIENT-CERT')).toBe(0);
  });

  it('refuses a client certificate the CA did not issue: nothing stored', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const s = connectTls({ host: '127.0.0.1', port: app.port, ca, cert: pem('stranger.cert.pem'), key: pem('stranger.key.pem') });
      s.on('secureConnect', () => s.write(mllpFrame(oru('STRANGER'))));
      s.on('data', () => resolve('answered'));
      s.on('error', () => resolve('refused'));
      s.on('close', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
    expect(await stored(app.t, 'STRANGER')).toBe(0);
  });
});
