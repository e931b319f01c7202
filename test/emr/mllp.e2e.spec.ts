import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Hl7Message as MedplumHl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { Hl7Message, mllpFrame, MllpDecoder, MllpServer } from '@suite/hl7';
import { AppModule } from '../../apps/emr/src/app/app.module';
import { MllpListener } from '../../apps/emr/src/hl7/mllp-listener';
import { OutboundDispatcher } from '../../apps/emr/src/hl7/outbound-dispatcher';

const run = promisify(execFile);
const samples = join(__dirname, '../../data/emr/hl7');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');

/** Reads MLLP frames from a raw socket, for the tests that send what no client library would. */
function rawConnection(port: number) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  const decoder = new MllpDecoder(1 << 24);
  const frames: string[] = [];
  const waiters: Array<() => void> = [];
  let closed = false;
  socket.on('data', (d) => {
    for (const e of decoder.push(d)) if (e.kind === 'frame') frames.push(e.payload);
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('close', () => {
    closed = true;
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('error', () => undefined);
  const next = async (timeoutMs = 10_000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    while (!frames.length) {
      if (closed || Date.now() > until) throw new Error(closed ? 'connection closed' : 'no reply');
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
    return frames.shift()!;
  };
  return { socket, next, isClosed: () => closed, ready: new Promise((r) => socket.once('connect', r)) };
}

const msa = (ack: string) => Hl7Message.parse(ack).getSegment('MSA')!;

jest.setTimeout(180_000);

describe('MLLP listener with real clients', () => {
  let t: TestApp;
  let port: number;
  let downstream: MllpServer;
  const received: string[] = [];
  let downstreamAnswer: 'AA' | 'AE' = 'AA';

  beforeAll(async () => {
    downstream = new MllpServer(async (payload) => {
      received.push(payload);
      return Hl7Message.parse(payload).buildAck({ ackCode: downstreamAnswer }).toString();
    });
    const downstreamPort = await downstream.listen(0, '127.0.0.1');
    Object.assign(process.env, {
      MLLP_PORT: '0',
      MLLP_HOST: '127.0.0.1',
      MLLP_MAX_FRAME_BYTES: '65536',
      MLLP_READ_TIMEOUT_MS: '400',
      EMR_DOWNSTREAM: `127.0.0.1:${downstreamPort}`,
      EMR_OUTBOUND_POLL_MS: '100',
      EMR_OUTBOUND_RETRY_MS: '50',
      EMR_OUTBOUND_MAX_ATTEMPTS: '2',
    });
    t = await createTestApp(AppModule);
    port = t.app.get(MllpListener).port;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await downstream?.close();
    for (const k of ['EMR_DOWNSTREAM', 'MLLP_MAX_FRAME_BYTES', 'MLLP_READ_TIMEOUT_MS', 'EMR_OUTBOUND_POLL_MS', 'EMR_OUTBOUND_RETRY_MS', 'EMR_OUTBOUND_MAX_ATTEMPTS']) delete process.env[k];
  });

  it('mllp_send (python-hl7) gets AA for ORU, MDM (CRLF) and ADT (LF) in one file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emr-mllp-'));
    const file = join(dir, 'batch.hl7');
    writeFileSync(file, [sample('oru-r01-tx.hl7').replace('|ORU-0001|', '|PY-1|'), sample('mdm-t02-ft-crlf.hl7').replace('|MDM-0002|', '|PY-2|'), sample('adt-a01-lf.hl7').replace('|ADT-0003|', '|PY-3|')].join('\n'));
    const { stdout } = await run('/usr/bin/mllp_send', ['--loose', '-p', String(port), '-f', file, '127.0.0.1'], { timeout: 60_000 });
    for (const id of ['PY-1', 'PY-2', 'PY-3']) expect(stdout).toMatch(new RegExp(`MSA\\|AA\\|${id}`));
    expect(await t.db.prisma.emrNote.count({ where: { controlId: { in: ['PY-1', 'PY-2'] } } })).toBe(2);
    expect(await t.db.prisma.emrPatient.findUnique({ where: { identifier: 'MRN777' } })).not.toBeNull();
  });

  it('@medplum/hl7 Hl7Client.sendAndWait gets AA, and the same ACK again on retransmission', async () => {
    const client = new Hl7Client({ host: '127.0.0.1', port });
    try {
      const msg = MedplumHl7Message.parse(sample('oru-r01-tx.hl7').replace('ORU-0001', 'MP-1'));
      const ack = await client.sendAndWait(msg);
      expect(ack.getSegment('MSA')?.getField(1)?.toString()).toBe('AA');
      expect(ack.getSegment('MSA')?.getField(2)?.toString()).toBe('MP-1');
      const again = await client.sendAndWait(msg);
      expect(again.toString()).toBe(ack.toString());
      expect(await t.db.prisma.emrNote.count({ where: { controlId: 'MP-1' } })).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('answers AR to an unsupported type and AE (with ERR) to an ORU without text, on one connection', async () => {
    const c = rawConnection(port);
    await c.ready;
    c.socket.write(mllpFrame(sample('orm-o01-unsupported.hl7')));
    expect(msa(await c.next()).getField(1)).toBe('AR');
    c.socket.write(mllpFrame('MSH|^~\\&|A|B|C|D|20260101||ORU^R01|RAW-AE|P|2.4\rOBX|1|NM|X||1'));
    const ae = Hl7Message.parse(await c.next());
    expect(ae.getSegment('MSA')?.getField(1)).toBe('AE');
    expect(ae.getSegment('ERR')?.getField(1)).toContain('101');
    c.socket.end();
  });

  it('survives garbage, oversize and stalled frames, and keeps serving', async () => {
    const c = rawConnection(port);
    await c.ready;
    c.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u00ff random bytes'));
    c.socket.write(mllpFrame('not hl7 at all'));
    expect(msa(await c.next()).getField(1)).toBe('AR');
    c.socket.write(mllpFrame(`MSH|^~\\&|A|B|C|D|1||ORU^R01|BIG-1|P|2.5\rOBX|1|TX|N||${'x'.repeat(100_000)}`));
    const big = await c.next();
    expect(msa(big).getField(1)).toBe('AR');
    expect(big).toContain('exceeds');
    c.socket.write(mllpFrame(sample('oru-r01-tx.hl7').replace('ORU-0001', 'AFTER-GARBAGE')));
    expect(msa(await c.next()).getField(1)).toBe('AA');
    // a frame that starts and never ends: the connection is closed after the read timeout
    c.socket.write(Buffer.from([0x0b, ...Buffer.from('MSH|^~\\&|A|B|C|D|1||ORU^R01|STALL|P|2.5\r')]));
    await expect(c.next(3000)).rejects.toThrow('connection closed');
    expect(c.isClosed()).toBe(true);
    expect(await t.db.prisma.emrMessage.findUnique({ where: { controlId: 'STALL' } })).toBeNull();
    // and the listener still answers new connections
    const d = rawConnection(port);
    await d.ready;
    d.socket.write(mllpFrame(sample('adt-a01-lf.hl7').replace('ADT-0003', 'STILL-UP')));
    expect(msa(await d.next()).getField(1)).toBe('AA');
    d.socket.end();
  });

  it('sends the structured result downstream as ORU^R01, and dead-letters what downstream keeps refusing', async () => {
    const dispatcher = t.app.get(OutboundDispatcher);
    const until = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await cond()).toBe(true);
    };
    await until(async () => received.some((m) => m.includes('AFTER-GARBAGE') || m.includes('OBX')));
    const oru = Hl7Message.parse(received.find((m) => Hl7Message.parse(m).getSegment('OBR') !== undefined)!);
    expect(oru.messageType).toEqual({ code: 'ORU', event: 'R01', structure: 'ORU_R01' });
    expect(oru.getAllSegments('OBX').length).toBeGreaterThan(0);

    downstreamAnswer = 'AE';
    const c = rawConnection(port);
    await c.ready;
    c.socket.write(mllpFrame(sample('oru-r01-tx.hl7').replace('ORU-0001', 'REFUSED-1')));
    expect(msa(await c.next()).getField(1)).toBe('AA');
    c.socket.end();
    await until(async () => (await t.db.prisma.emrDeadLetter.count({ where: { sourceControlId: 'REFUSED-1' } })) === 1);
    const dead = await t.db.prisma.emrDeadLetter.findFirst({ where: { sourceControlId: 'REFUSED-1' } });
    expect(dead).toMatchObject({ attempts: 2 });
    expect(dead?.lastError).toContain('AE');
    expect(await t.db.prisma.emrOutbound.count({ where: { sourceControlId: 'REFUSED-1' } })).toBe(0);
    downstreamAnswer = 'AA';
    await dispatcher.drain();
  });
});
