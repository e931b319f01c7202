import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OverloadedError } from '@suite/platform';
import { DecisionService, MAX_QUEUED } from '../scoring/decision.service';
import { startAml, tx } from '../testing/aml-test-app';

type App = Awaited<ReturnType<typeof startAml>>;
let t: App;
let analyst: Record<string, string>;
const post = (path: string, body: unknown, headers = analyst) => fetch(`${t.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  t = await startAml();
  analyst = await t.login('analyst');
}, 120_000);
afterAll(() => t?.close());

describe('POST /api/transactions', () => {
  it('decides an array in input order and stores every decision', async () => {
    const batch = [tx(0, 'A1', 'B1', 120), tx(1, 'A1', 'B2', 80, { paymentCurrency: 'EUR', receivingCurrency: 'EUR' }), tx(2, 'A2', 'B1', 40)];
    const res = await post('/api/transactions', batch);
    expect(res.status).toBe(200);
    const out = (await res.json()) as Array<{ transactionId: string; decision: string; score: number; reasons: string[] }>;
    expect(out.map((o) => o.transactionId)).toEqual(batch.map((b) => b.id));
    for (const o of out) {
      expect(['ALLOW', 'REVIEW', 'BLOCK']).toContain(o.decision);
      expect(o.score).toBeGreaterThanOrEqual(0);
      expect(o.score).toBeLessThanOrEqual(1);
    }
    expect(await t.db.prisma.amlTransaction.count({ where: { id: { in: batch.map((b) => b.id) } } })).toBe(3);
    const stored = await t.db.prisma.amlTransaction.findUniqueOrThrow({ where: { id: batch[1].id } });
    expect(stored.paymentCurrency).toBe('Euro'); // ISO code normalised
    expect(stored.ruleVersion).toBe(1);
  });

  it('flags structuring through the rule track and opens an alert', async () => {
    const steps = [tx(600, 'SMURF', 'D1', 9500, { paymentFormat: 'Cash' }), tx(900, 'SMURF', 'D2', 9300, { paymentFormat: 'Cash' }), tx(1200, 'SMURF', 'D1', 9700, { paymentFormat: 'Cash' })];
    const out = (await (await post('/api/transactions', steps)).json()) as Array<{ decision: string; ruleHits: Array<{ ruleId: string }>; alertId?: string; reasons: string[] }>;
    const last = out[2];
    expect(last.decision).not.toBe('ALLOW');
    expect(last.ruleHits.map((h) => h.ruleId)).toContain('structuring.below-threshold');
    expect(last.alertId).toBeDefined();
    expect(last.reasons.join('\n')).toMatch(/model score/);
    const alert = await t.db.prisma.amlAlert.findUniqueOrThrow({ where: { id: last.alertId as string } });
    expect(alert.typologies).toContain('structuring');
  });

  it('blocks a payment to a sanctioned party named in another script', async () => {
    const out = (await (await post('/api/transactions', tx(2000, 'C1', 'C2', 500, { toName: 'Дмитрий Волконский' }))).json()) as Array<{ decision: string; ruleHits: Array<{ ruleId: string }> }>;
    expect(out[0].decision).toBe('BLOCK');
    expect(out[0].ruleHits.map((h) => h.ruleId)).toContain('sanctions.match');
  });

  it('is idempotent: resubmitting ids returns the stored decisions and changes no state', async () => {
    const batch = [tx(3000, 'I1', 'I2', 9100, { paymentFormat: 'Cash' }), tx(3010, 'I1', 'I3', 9200, { paymentFormat: 'Cash' }), tx(3020, 'I1', 'I4', 9300, { paymentFormat: 'Cash' })];
    const first = await (await post('/api/transactions', batch)).json();
    const counts = async () => [await t.db.prisma.amlTransaction.count(), await t.db.prisma.amlAlert.count()];
    const before = await counts();
    const again = await (await post('/api/transactions', batch)).json();
    expect(again).toEqual(first);
    // one at a time and mixed with a duplicate inside the same request
    expect(await (await post('/api/transactions', batch[2])).json()).toEqual([first[2]]);
    expect(await (await post('/api/transactions', [batch[0], batch[0]])).json()).toEqual([first[0], first[0]]);
    expect(await counts()).toEqual(before);
    // the feature windows did not count the resubmissions: a new payment sees 3 prior payments of I1
    const next = await t.db.prisma.amlTransaction.findUniqueOrThrow({ where: { id: (await (await post('/api/transactions', tx(3030, 'I1', 'I5', 10))).json())[0].transactionId } });
    expect((next.facts as { aOutCount24h: number }).aOutCount24h).toBe(3);
  });

  it('answers bad input with 400 naming the field, and stores nothing', async () => {
    const before = await t.db.prisma.amlTransaction.count();
    const bad = await post('/api/transactions', [tx(1, 'X', 'Y', 10), { ...tx(2, 'X', 'Y', 10), amountPaid: 'ten' }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/1\.amountPaid/);
    const cur = await post('/api/transactions', tx(1, 'X', 'Y', 10, { paymentCurrency: 'Doubloon' }));
    expect(cur.status).toBe(400);
    expect(((await cur.json()) as { detail: string }).detail).toMatch(/Unknown currency "Doubloon"/);
    expect((await post('/api/transactions', '{not json')).status).toBe(400);
    expect(await t.db.prisma.amlTransaction.count()).toBe(before);
  });

  it('refuses work at once when too many transactions wait (429), never buffering without bound', async () => {
    const decisions = t.app.get(DecisionService);
    const flood = Array.from({ length: MAX_QUEUED + 1 }, (_, i) => ({ ...tx(1, 'F', 'G', 1), id: `flood-${i}`, timestamp: Date.UTC(2022, 8, 1) }));
    expect(() => decisions.decide(flood as never, 'api')).toThrow(OverloadedError);
    expect(await t.db.prisma.amlTransaction.count({ where: { id: { startsWith: 'flood-' } } })).toBe(0);
  });

  it('refuses calls without a valid token or with the wrong role', async () => {
    expect((await fetch(`${t.url}/api/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status).toBe(401);
    expect((await fetch(`${t.url}/api/alerts`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    const researcher = { ...(await t.bearer('researcher')), 'content-type': 'application/json' };
    expect((await fetch(`${t.url}/api/alerts`, { headers: researcher })).status).toBe(403);
    expect((await post('/api/rules', {}, analyst)).status).toBe(403);
  });
});

describe('POST /api/transactions/iso20022', () => {
  const xmlHeaders = () => ({ ...analyst, 'content-type': 'application/xml' });
  it('decides a pacs.008 message', async () => {
    const xml = readFileSync(join(__dirname, '..', '..', '..', '..', 'libs', 'aml', 'src', '__fixtures__', 'pacs008.xml'), 'utf8');
    const res = await post('/api/transactions/iso20022', xml, xmlHeaders());
    expect(res.status).toBe(200);
    const out = (await res.json()) as Array<{ transactionId: string }>;
    expect(out.map((o) => o.transactionId)).toEqual(['8a562c67-ca16-48ba-b074-65581be6f001', 'MSG-2022-0901-001/TX-2']);
  });
  it('refuses an XXE payload with 400 and stores nothing', async () => {
    const before = await t.db.prisma.amlTransaction.count();
    const xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document><FIToFICstmrCdtTrf><GrpHdr><MsgId>&x;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>';
    const res = await post('/api/transactions/iso20022', xxe, xmlHeaders());
    expect(res.status).toBe(400);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(/DOCTYPE/);
    expect(body.detail).not.toMatch(/root:/);
    expect(await t.db.prisma.amlTransaction.count()).toBe(before);
  });
  it('answers malformed XML with 400 naming the problem', async () => {
    const res = await post('/api/transactions/iso20022', '<Document><FIToFICstmrCdtTrf></Document>', xmlHeaders());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/malformed XML at line 1/);
  });
});

describe('POST /api/transactions/import', () => {
  const data = join(__dirname, '..', '..', '..', '..', 'data', 'aml');
  async function waitJob(id: string) {
    for (let i = 0; i < 300; i++) {
      const j = (await (await fetch(`${t.url}/api/jobs/${id}`, { headers: analyst })).json()) as { status: string; result: Record<string, unknown>; progress: number; error?: string };
      if (j.status === 'done' || j.status === 'failed') return j;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('job did not finish');
  }

  it('streams a malformed CSV, reports bad lines by number and keeps the good rows', async () => {
    const csv = readFileSync(join(data, 'amlworld-malformed.csv'));
    const res = await fetch(`${t.url}/api/transactions/import?filename=malformed.csv`, { method: 'POST', headers: { ...analyst, 'content-type': 'application/octet-stream' }, body: csv });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    const job = await waitJob(jobId);
    expect(job.status).toBe('done');
    expect(job.progress).toBe(1);
    const r = job.result as { rows: number; decided: number; badLines: number; errors: Array<{ line: number; message: string }> };
    expect(r.rows).toBe(4);
    expect(r.decided).toBe(4);
    expect(r.errors.map((e) => e.line)).toEqual([3, 5, 6, 7, 9, 12]);
    expect(await t.db.prisma.amlTransaction.count({ where: { importJobId: jobId } })).toBe(4);
    const labelled = await t.db.prisma.amlTransaction.findFirstOrThrow({ where: { importJobId: jobId, amountPaid: 14675.57 } });
    expect(labelled.isLaundering).toBe(true);

    // the same file again (as text/csv this time) decides nothing new
    const again = await fetch(`${t.url}/api/transactions/import`, { method: 'POST', headers: { ...analyst, 'content-type': 'text/csv' }, body: csv });
    const job2 = await waitJob(((await again.json()) as { jobId: string }).jobId);
    expect(job2.result).toMatchObject({ rows: 4, decided: 0, duplicates: 4 });
  });

  it('fails the job naming the header when the file is not AMLworld', async () => {
    const res = await fetch(`${t.url}/api/transactions/import`, { method: 'POST', headers: { ...analyst, 'content-type': 'text/csv' }, body: 'a,b,c\n1,2,3\n' });
    const job = await waitJob(((await res.json()) as { jobId: string }).jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/header must be/);
  });
});

describe('GET /api/alerts', () => {
  type AlertPage = { items: Array<{ score: number }>; total: number };
  const alerts = async (query: string) => {
    const res = await fetch(`${t.url}/api/alerts?${query}`, { headers: analyst });
    return { status: res.status, body: (await res.json()) as AlertPage & { detail?: string } };
  };

  it('filters by score band, both ends inclusive, and the bands partition the alerts', async () => {
    const all = await alerts('pageSize=500');
    expect(all.body.total).toBeGreaterThan(1);
    const scores = all.body.items.map((a) => a.score).sort((a, b) => a - b);
    const cut = scores[Math.floor(scores.length / 2)];
    const high = await alerts(`minScore=${cut}&pageSize=500`);
    expect(high.body.items.every((a) => a.score >= cut)).toBe(true);
    expect(high.body.total).toBe(scores.filter((s) => s >= cut).length);
    const low = await alerts(`maxScore=${cut}&pageSize=500`);
    expect(low.body.items.every((a) => a.score <= cut)).toBe(true);
    const exact = await alerts(`minScore=${cut}&maxScore=${cut}`);
    expect(exact.body.total).toBe(scores.filter((s) => s === cut).length);
    expect(high.body.total + low.body.total - exact.body.total).toBe(all.body.total);
  });

  it('refuses an inverted or out-of-range band with 400', async () => {
    const inverted = await alerts('minScore=0.9&maxScore=0.1');
    expect(inverted.status).toBe(400);
    expect(inverted.body.detail).toMatch(/minScore must not exceed maxScore/);
    expect((await alerts('minScore=1.5')).status).toBe(400);
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI document with every AML route', async () => {
    const res = await fetch(`${t.url}/api/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['/api/transactions', '/api/transactions/import', '/api/transactions/iso20022', '/api/alerts', '/api/cases', '/api/cases/{id}', '/api/cases/{id}/sar', '/api/sars/{id}/approve', '/api/sars/{id}/export', '/api/rules', '/api/rules/backtest', '/api/rules/versions', '/api/screening', '/api/monitoring/summary', '/api/auth/login']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(JSON.stringify(doc.paths['/api/transactions'].post)).toContain('paymentCurrency');
  });
});
