import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobQueue, RetentionService } from '@suite/platform';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { Hl7Message, sendMllp } from '@suite/hl7';
import { AppModule } from '../../apps/emr/src/app/app.module';
import { MllpListener } from '../../apps/emr/src/hl7/mllp-listener';
import { PURPOSE_HEADER } from '../../apps/emr/src/notes/access-reason';

const DAY = 86_400_000;
const oru = (controlId: string) => readFileSync(join(__dirname, '../../data/emr/hl7/oru-r01-tx.hl7'), 'utf8').replace('ORU-0001', controlId);

jest.setTimeout(180_000);

describe('EMR retention: RETENTION_EMR_NOTES_DAYS', () => {
  let t: TestApp;
  let url: string;
  let admin: { Authorization: string };

  beforeAll(async () => {
    Object.assign(process.env, { MLLP_PORT: '0', MLLP_HOST: '127.0.0.1', RETENTION_EMR_NOTES_DAYS: '30' });
    t = await createTestApp(AppModule);
    url = await t.app.getUrl();
    admin = await t.bearer('admin');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    for (const k of ['MLLP_PORT', 'MLLP_HOST', 'RETENTION_EMR_NOTES_DAYS']) delete process.env[k];
  });

  it('sweeps once at start, through the job queue', async () => {
    await t.app.get(JobQueue).whenIdle();
    const jobs = await t.db.prisma.job.findMany({ where: { kind: 'retention.sweep.emr' } });
    expect(jobs.map((j) => j.status)).toEqual(['done']);
    expect(await t.db.prisma.auditEntry.count({ where: { subject: 'retention:emr.notes', action: 'retention.sweep' } })).toBe(1);
    // periods not set are not swept at all
    expect(await t.db.prisma.auditEntry.count({ where: { subject: 'retention:emr.messages' } })).toBe(0);
  });

  it('deletes notes older than 30 days with the HL7 message that carried them, and keeps recent ones', async () => {
    const clinician = await t.bearer('clinician');
    const post = async (text: string) => {
      const res = await fetch(`${url}/api/notes`, { method: 'POST', headers: { ...clinician, 'content-type': 'application/json' }, body: JSON.stringify({ text, patientId: 'MRN-R' }) });
      expect(res.ok).toBe(true);
      return ((await res.json()) as { id: string }).id;
    };
    const oldNote = await post('72M with HTN on metformin 500 mg PO BID. Denies chest pain.');
    const recentNote = await post('CXR showed RLL pneumonia. Started amoxicillin.');
    const port = t.app.get(MllpListener).port;
    expect(Hl7Message.parse(await sendMllp('127.0.0.1', port, oru('RET-OLD'), 10_000)).getSegment('MSA')?.getField(1)).toBe('AA');
    expect(Hl7Message.parse(await sendMllp('127.0.0.1', port, oru('RET-NEW'), 10_000)).getSegment('MSA')?.getField(1)).toBe('AA');
    const oldHl7Note = (await t.db.prisma.emrNote.findUniqueOrThrow({ where: { controlId: 'RET-OLD' } })).id;

    const longAgo = new Date(Date.now() - 45 * DAY);
    await t.db.prisma.emrNote.updateMany({ where: { id: { in: [oldNote, oldHl7Note] } }, data: { createdAt: longAgo } });
    await t.db.prisma.emrNote.updateMany({ where: { id: recentNote }, data: { createdAt: new Date(Date.now() - 29 * DAY) } });

    const [sweep] = await t.app.get(RetentionService).sweep();
    expect(sweep).toMatchObject({ policy: 'emr.notes', periodDays: 30, deleted: 2, held: 0 });
    expect(sweep.children.EmrMessage).toBe(1);

    const left = (await t.db.prisma.emrNote.findMany({ select: { id: true } })).map((n) => n.id);
    expect(left).not.toContain(oldNote);
    expect(left).not.toContain(oldHl7Note);
    expect(left).toContain(recentNote);
    expect(await t.db.prisma.emrMessage.findUnique({ where: { controlId: 'RET-OLD' } })).toBeNull();
    expect(await t.db.prisma.emrMessage.findUnique({ where: { controlId: 'RET-NEW' } })).not.toBeNull();
    const read = (id: string) => fetch(`${url}/api/notes/${id}`, { headers: { ...clinician, [PURPOSE_HEADER]: 'TREAT' } });
    expect((await read(oldNote)).status).toBe(404);
    expect((await read(recentNote)).status).toBe(200);

    const entry = await t.db.prisma.auditEntry.findFirst({ where: { subject: 'retention:emr.notes' }, orderBy: { seq: 'desc' } });
    expect(entry?.detail).toMatchObject({ deleted: 2, periodDays: 30 });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^retention_records_deleted_total\{[^}]*policy="emr\.notes"[^}]*\} 2$/m);
  });

  it('shows policies, periods and the last sweep to admins only; an admin can start a sweep', async () => {
    const res = await fetch(`${url}/api/admin/retention`, { headers: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { intervalMinutes: number; policies: Array<{ name: string; periodDays: number; keepForever: boolean; lastSweep: { deleted: number } | null }> };
    expect(body.intervalMinutes).toBe(60);
    const notes = body.policies.find((p) => p.name === 'emr.notes');
    expect(notes).toMatchObject({ periodDays: 30, keepForever: false, lastSweep: { deleted: 2 } });
    expect(body.policies.find((p) => p.name === 'emr.messages')).toMatchObject({ keepForever: true, lastSweep: null });
    expect((await fetch(`${url}/api/admin/retention`, { headers: await t.bearer('clinician') })).status).toBe(403);
    expect((await fetch(`${url}/api/admin/retention`)).status).toBe(401);

    const started = await fetch(`${url}/api/admin/retention/sweep`, { method: 'POST', headers: admin });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };
    await t.app.get(JobQueue).whenIdle();
    expect((await t.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('done');
    const last = await t.db.prisma.auditEntry.findFirst({ where: { subject: 'retention:emr.notes' }, orderBy: { seq: 'desc' } });
    expect(last?.reason).toMatch(/^requested by apiKey:/);
    expect((await t.db.prisma.auditEntry.findMany({ where: { subject: 'retention:emr.notes' } })).length).toBe(3);
  });
});
