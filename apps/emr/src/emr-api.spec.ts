import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { validateFhirBundle } from '@suite/clinical-nlp';
import { Hl7Message } from '@suite/hl7';
import { AppModule } from './app/app.module';

const samples = join(__dirname, '../../../data/emr/hl7');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');

jest.setTimeout(180_000);

describe('EMR service over HTTP (REST, FHIR, HL7)', () => {
  let t: TestApp;
  let url: string;
  let integration: Record<string, string>;
  let clinician: Record<string, string>;

  beforeAll(async () => {
    process.env.MLLP_PORT = '0';
    process.env.MLLP_HOST = '127.0.0.1';
    delete process.env.EMR_DOWNSTREAM;
    t = await createTestApp(AppModule);
    url = await t.app.getUrl();
    integration = await t.bearer('integration');
    clinician = await t.bearer('clinician');
  }, 120_000);
  afterAll(() => t?.close());

  const post = (path: string, body: unknown, headers: Record<string, string>, type = 'application/json') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { ...headers, 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const hl7 = async (message: string) => {
    const res = await post('/api/hl7', message, integration, 'application/hl7-v2');
    expect(res.status).toBe(200);
    return { res, ack: Hl7Message.parse(await res.text()) };
  };

  it('structures a note with offsets that slice the input exactly, unicode included', async () => {
    const text = 'Zoë Müller 😀, 67F w/ HTN — on metformin 500 mg PO BID. Denies chest pain. Temp 38.9 °C.\nFamily History: mother with breast cancer.';
    const res = await post('/api/notes', { text, patientId: 'MRN-U1' }, clinician);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.entities.length).toBeGreaterThan(3);
    for (const e of body.entities) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(e.text).toBe(e.text.trim());
    }
    const byText = (s: string) => body.entities.find((e: { text: string }) => e.text === s);
    expect(byText('metformin')).toMatchObject({ type: 'DRUG', code: { system: 'http://www.whocc.no/atc', code: 'A10BA02' } });
    expect(byText('chest pain')).toMatchObject({ type: 'PROBLEM', assertion: 'absent' });
    expect(byText('breast cancer')).toMatchObject({ type: 'PROBLEM', assertion: 'family', section: 'Family History' });
    const rel = body.relations.find((r: { type: string }) => r.type === 'has_strength');
    expect(rel).toBeDefined();
    const ids = new Set(body.entities.map((e: { id: string }) => e.id));
    for (const r of body.relations) expect(ids.has(r.head) && ids.has(r.tail)).toBe(true);
  });

  it('answers ?format=fhir with a Bundle that validates, and reads the note back only with a purpose', async () => {
    const text = 'Hgb 7.9 g/dL. CXR showed RLL pneumonia. Start ceftriaxone 1 g IV daily for pneumonia. No fever.';
    const res = await post('/api/notes?format=fhir', { text, patientId: 'MRN-F1', encounterId: 'E-9' }, clinician);
    expect(res.status).toBe(200);
    const bundle = await res.json();
    expect(bundle.resourceType).toBe('Bundle');
    expect(validateFhirBundle(bundle)).toEqual([]);
    const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'DocumentReference', 'Condition', 'MedicationStatement', 'Observation']));

    const plain = await (await post('/api/notes', { text }, clinician)).json();
    const noPurpose = await fetch(`${url}/api/notes/${plain.id}`, { headers: clinician });
    expect(noPurpose.status).toBe(400);
    const ok = await fetch(`${url}/api/notes/${plain.id}`, { headers: { ...clinician, 'X-Purpose-Of-Use': 'TREAT' } });
    expect(ok.status).toBe(200);
    const audit = await t.db.prisma.auditEntry.findMany({ where: { subject: `note:${plain.id}` } });
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['note.structure', 'note.read']));
    expect(audit.find((a: { action: string }) => a.action === 'note.read')).toMatchObject({ reason: 'TREAT' });
  });

  it('rejects bad bodies with problem details, and roles without access', async () => {
    expect((await post('/api/notes', { text: '' }, clinician)).status).toBe(400);
    expect((await post('/api/notes', { nope: 1 }, clinician)).status).toBe(400);
    expect((await post('/api/notes?format=xml', { text: 'x' }, clinician)).status).toBe(400);
    expect((await post('/api/notes', { text: 'cough' }, {})).status).toBe(401);
    const analyst = await t.bearer('analyst');
    expect((await post('/api/notes', { text: 'cough' }, analyst)).status).toBe(403);
  });

  it('AA for an ORU^R01 after commit; GET /api/messages/:controlId returns the note and its extraction', async () => {
    const { res, ack } = await hl7(sample('oru-r01-tx.hl7'));
    expect(res.headers.get('x-hl7-ack-code')).toBe('AA');
    expect(ack.getSegment('MSA')?.getField(2)).toBe('ORU-0001');
    const got = await fetch(`${url}/api/messages/ORU-0001`, { headers: { ...integration, 'X-Purpose-Of-Use': 'HOPERAT' } });
    const body = await got.json();
    expect(body).toMatchObject({ controlId: 'ORU-0001', messageType: 'ORU^R01', version: '2.5.1', ackCode: 'AA' });
    expect(body.note.text.split('\n')).toHaveLength(4);
    expect(body.note.text).toContain('BID& aspirin');
    for (const e of body.extraction.entities) expect(body.note.text.slice(e.start, e.end)).toBe(e.text);
  });

  it('answers a retransmission with the same ACK without processing it twice', async () => {
    const msg = sample('mdm-t02-ft-crlf.hl7');
    const first = await hl7(msg);
    const second = await hl7(msg);
    expect(second.res.headers.get('x-hl7-duplicate')).toBe('true');
    expect(second.ack.toString()).toBe(first.ack.toString());
    expect(await t.db.prisma.emrNote.count({ where: { controlId: 'MDM-0002' } })).toBe(1);
    // concurrent twins: exactly one note
    const twin = msg.replace('MDM-0002', 'MDM-TWIN');
    const acks = await Promise.all([hl7(twin), hl7(twin), hl7(twin)]);
    expect(new Set(acks.map((a) => a.ack.getSegment('MSA')?.getField(1)))).toEqual(new Set(['AA']));
    expect(await t.db.prisma.emrNote.count({ where: { controlId: 'MDM-TWIN' } })).toBe(1);
  });

  it('stores ADT demographics without extraction', async () => {
    const { ack } = await hl7(sample('adt-a01-lf.hl7'));
    expect(ack.getSegment('MSA')?.getField(1)).toBe('AA');
    expect(await t.db.prisma.emrPatient.findUnique({ where: { identifier: 'MRN777' } })).toMatchObject({ family: 'Nguyen', given: 'Linh', sex: 'F' });
    expect(await t.db.prisma.emrNote.count({ where: { controlId: 'ADT-0003' } })).toBe(0);
  });

  it('AR for an unsupported type, version or unreadable header; AE with ERR for an ORU without note text', async () => {
    const orm = await hl7(sample('orm-o01-unsupported.hl7'));
    expect(orm.ack.getSegment('MSA')?.getField(1)).toBe('AR');
    expect(orm.ack.getSegment('ERR')?.getComponent(3, 1)).toBe('200');
    const v26 = await hl7('MSH|^~\\&|A|B|C|D|20260101||ORU^R01|V26-1|P|2.6\rOBX|1|TX|N||text');
    expect(v26.ack.getSegment('MSA')?.getField(1)).toBe('AR');
    expect(v26.ack.getSegment('ERR')?.getComponent(3, 1)).toBe('203');
    const garbage = await hl7('hello, is this the lab?');
    expect(garbage.ack.getSegment('MSA')?.getField(1)).toBe('AR');
    const noText = await hl7('MSH|^~\\&|A|B|C|D|20260101||ORU^R01|EMPTY-1|P|2.5\rPID|1||X1\rOBX|1|NM|2345-7^Glucose^LN||105');
    expect(noText.ack.getSegment('MSA')?.getField(1)).toBe('AE');
    expect(noText.ack.getSegment('ERR')?.getComponent(3, 1)).toBe('101');
    const stored = await t.db.prisma.emrMessage.findUnique({ where: { controlId: 'EMPTY-1' } });
    expect(stored?.ackCode).toBe('AE');
    const noId = await hl7('MSH|^~\\&|A|B|C|D|20260101||ORU^R01||P|2.5\rOBX|1|TX|N||text');
    expect(noId.ack.getSegment('MSA')?.getField(1)).toBe('AR');
  });

  it('de-identifies with consistent surrogates per patient', async () => {
    const text = 'Mr. Thomas Reilly (MRN: 00123456) seen 2026-03-01; call (217) 555-0142. Mr. Reilly is 93 years old.';
    const a = await (await post('/api/deidentify', { text, patientId: 'P1' }, clinician)).json();
    const b = await (await post('/api/deidentify', { text, patientId: 'P1' }, clinician)).json();
    expect(a.text).toBe(b.text);
    for (const phi of ['Reilly', '00123456', '2026-03-01', '555-0142', '93 years']) expect(a.text).not.toContain(phi);
    expect((await post('/api/deidentify', { text }, clinician)).status).toBe(400);
  });
});
