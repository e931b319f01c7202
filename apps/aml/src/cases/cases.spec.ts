import { startAml, tx } from '../testing/aml-test-app';

type App = Awaited<ReturnType<typeof startAml>>;
let t: App;
let analyst: Record<string, string>, analyst2: Record<string, string>, supervisor: Record<string, string>, admin: Record<string, string>;
const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(`${t.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* xml or empty */
  }
  return { status: res.status, body: json };
};

let caseId: string;

beforeAll(async () => {
  t = await startAml();
  [analyst, analyst2, supervisor, admin] = await Promise.all(['analyst', 'analyst2', 'supervisor', 'admin'].map((u) => t.login(u)));
  // structuring by one account: alerts on the same account go into one case
  const steps = [0, 1, 2, 3].map((i) => tx(600 + i * 200, 'CASEACCT', `DEP${i}`, 9400 + i * 10, { paymentFormat: 'Cash', fromName: 'Ann Example' }));
  const out = await call('POST', '/api/transactions', analyst, steps);
  expect(out.status).toBe(200);
  await t.flushCases();
  const cases = await call('GET', '/api/cases?account=001:CASEACCT', analyst);
  expect(cases.body.total).toBe(1);
  caseId = cases.body.items[0].id;
}, 120_000);
afterAll(() => t?.close());

describe('alerts and cases', () => {
  it('groups alerts of one account into one case with a priority and an SLA', async () => {
    const c = await call('GET', `/api/cases/${caseId}`, analyst);
    expect(c.status).toBe(200);
    expect(c.body.alerts.length).toBeGreaterThanOrEqual(2);
    expect(c.body.accounts).toContain('001:CASEACCT');
    expect(c.body.typologies).toContain('structuring');
    expect(new Date(c.body.slaDueAt).getTime()).toBeGreaterThan(Date.now());
    expect(c.body.transactions.length).toBe(c.body.alerts.length);
    const alerts = await call('GET', `/api/alerts?caseId=${caseId}&pageSize=1`, analyst);
    expect(alerts.body).toMatchObject({ total: c.body.alerts.length, pageSize: 1 });
    expect(alerts.body.items).toHaveLength(1);
  });

  it('audits views and state changes, and enforces the workflow', async () => {
    expect((await call('PATCH', `/api/cases/${caseId}`, analyst, { status: 'in_review', assignee: 'analyst' })).status).toBe(200);
    const bad = await call('PATCH', `/api/cases/${caseId}`, analyst, { status: 'closed' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/needs a disposition/);
    expect((await call('PATCH', `/api/cases/${caseId}`, analyst, { status: 'nonsense' })).status).toBe(400);
    expect((await call('POST', `/api/cases/${caseId}/comments`, analyst, { body: 'Four cash deposits just under 10k in a day.' })).status).toBe(201);
    const att = await call('POST', `/api/cases/${caseId}/attachments`, analyst, { filename: 'kyc.txt', contentType: 'text/plain', contentBase64: Buffer.from('KYC file').toString('base64') });
    expect(att.status).toBe(201);
    const dl = await fetch(`${t.url}/api/cases/${caseId}/attachments/${att.body.id}`, { headers: analyst });
    expect(await dl.text()).toBe('KYC file');
    const trail = await call('GET', `/api/cases/${caseId}/audit?pageSize=100`, analyst);
    const actions = trail.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.opened', 'case.viewed', 'case.updated', 'case.commented', 'case.attachment_added', 'case.attachment_viewed']));
    const update = trail.body.items.find((e: { action: string }) => e.action === 'case.updated');
    expect(update.actor).toBe('analyst');
    expect(update.detail.status).toEqual({ from: 'open', to: 'in_review' });
  });

  it('enforces four eyes on SARs and exports goAML XML only once approved', async () => {
    const short = await call('POST', `/api/cases/${caseId}/sar`, analyst, { narrative: 'too short' });
    expect(short.status).toBe(400);
    const sar = await call('POST', `/api/cases/${caseId}/sar`, analyst, { narrative: 'Cash deposits structured just below the 10,000 USD reporting threshold on one day.' });
    expect(sar.status).toBe(201);
    expect(sar.body.status).toBe('pending_approval');
    // not approved yet: no export
    expect((await call('GET', `/api/sars/${sar.body.id}/export`, analyst)).status).toBe(409);
    // an analyst cannot approve at all; a second analyst neither
    expect((await call('POST', `/api/sars/${sar.body.id}/approve`, analyst2)).status).toBe(403);
    // a supervisor may not approve a SAR they prepared themselves
    const own = await call('POST', `/api/cases/${caseId}/sar`, supervisor, { narrative: 'Prepared by the supervisor who then tries to approve it.' });
    expect(own.status).toBe(409); // one pending SAR per case at a time
    const approved = await call('POST', `/api/sars/${sar.body.id}/approve`, supervisor);
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: 'supervisor', preparedBy: 'analyst' });
    const xml = await call('GET', `/api/sars/${sar.body.id}/export?format=xml`, analyst);
    expect(xml.status).toBe(200);
    expect(xml.body).toContain('<report_code>STR</report_code>');
    expect(xml.body).toContain('<account>CASEACCT</account>');
    expect(xml.body).toContain('structured just below');
    const json = await call('GET', `/api/sars/${sar.body.id}/export?format=json`, analyst);
    expect(json.body).toMatchObject({ approvedBy: 'supervisor', preparedBy: 'analyst' });

    // self-approval: the supervisor prepares the next SAR and cannot approve it; admin can
    const second = await call('POST', `/api/cases/${caseId}/sar`, supervisor, { narrative: 'Follow-up report on further deposits by the same customer.' });
    expect(second.status).toBe(201);
    const self = await call('POST', `/api/sars/${second.body.id}/approve`, supervisor);
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/four eyes/);
    expect((await call('POST', `/api/sars/${second.body.id}/approve`, admin)).status).toBe(201);

    // now the case can close as suspicious
    const closed = await call('PATCH', `/api/cases/${caseId}`, supervisor, { status: 'closed', disposition: 'suspicious_sar_filed' });
    expect(closed.status).toBe(200);
    const precision = await call('GET', '/api/monitoring/alert-precision', analyst);
    expect(precision.body.some((w: { suspicious: number }) => w.suspicious > 0)).toBe(true);
    const summary = await call('GET', '/api/monitoring/summary', analyst);
    expect(summary.body).toHaveProperty('liveModelPrecision');
    expect(summary.body.cases.closed).toBe(1);
    expect(summary.body.drift.length).toBeGreaterThan(0);
  });

  it('keeps a hash-chained audit log that verifies and detects tampering', async () => {
    const ok = await call('GET', '/api/audit/verify', supervisor);
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.entries).toBeGreaterThan(5);
    // tamper with one entry directly in the database
    const entry = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'case.updated' }, orderBy: { seq: 'asc' } });
    await t.db.prisma.auditEntry.update({ where: { seq: entry.seq }, data: { actor: 'mallory' } });
    const broken = await call('GET', '/api/audit/verify', supervisor);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.brokenAt).toBe(entry.seq.toString());
    await t.db.prisma.auditEntry.update({ where: { seq: entry.seq }, data: { actor: entry.actor } });
    expect((await call('GET', '/api/audit/verify', supervisor)).body.ok).toBe(true);
  });
});

describe('rules', () => {
  it('versions every change and records the active version on decisions', async () => {
    const rule = { id: 'big-cash.test', name: 'Large cash', typology: 'structuring', severity: 'review', description: 'cash over 50k', conditions: { all: [{ fact: 'amountUsd', operator: 'greaterThan', value: 50000 }, { fact: 'paymentFormat', operator: 'equal', value: 'Cash' }] } };
    expect((await call('POST', '/api/rules', analyst, rule)).status).toBe(403);
    const created = await call('POST', '/api/rules', supervisor, { ...rule, comment: 'test rule' });
    expect(created.status).toBe(201);
    const v = created.body.version;
    expect((await call('POST', '/api/rules', supervisor, rule)).status).toBe(409);
    expect((await call('POST', '/api/rules', supervisor, { ...rule, id: 'x.bad', conditions: { all: [{ fact: 'nope', operator: 'equal', value: 1 }] } })).status).toBe(400);
    const out = await call('POST', '/api/transactions', analyst, tx(5000, 'CASHY', 'SHOP', 60000, { paymentFormat: 'Cash' }));
    expect(out.body[0].ruleHits.map((h: { ruleId: string }) => h.ruleId)).toContain('big-cash.test');
    const stored = await t.db.prisma.amlTransaction.findUniqueOrThrow({ where: { id: out.body[0].transactionId } });
    expect(stored.ruleVersion).toBe(v);
    const updated = await call('PUT', '/api/rules/big-cash.test', supervisor, { ...rule, conditions: { all: [{ fact: 'amountUsd', operator: 'greaterThan', value: 100000 }] } });
    expect(updated.body.version).toBe(v + 1);
    const removed = await call('DELETE', '/api/rules/big-cash.test', supervisor);
    expect(removed.body.version).toBe(v + 2);
    const versions = await call('GET', '/api/rules/versions', analyst);
    expect(versions.body.items[0].version).toBe(v + 2);
    expect((await call('GET', `/api/rules/versions/${v}`, analyst)).body.rules.some((r: { id: string }) => r.id === 'big-cash.test')).toBe(true);
    expect((await call('GET', '/api/rules/big-cash.test', analyst)).status).toBe(404);
  });

  it('backtests a candidate rule set on stored labelled history', async () => {
    const labelled = [0, 1, 2].map((i) => tx(7000 + i * 60, 'BT', `BTD${i}`, 9500, { paymentFormat: 'Cash', isLaundering: true })).concat([tx(7500, 'BT2', 'BTD9', 20, { isLaundering: false })]);
    await call('POST', '/api/transactions', analyst, labelled);
    const active = (await call('GET', '/api/rules?pageSize=100', analyst)).body.items;
    const candidate = active.filter((r: { id: string }) => r.id !== 'structuring.below-threshold');
    const res = await call('POST', '/api/rules/backtest', analyst, { rules: candidate });
    expect(res.status).toBe(200);
    expect(res.body.active.rows).toBe(4);
    expect(res.body.active.positives).toBe(3);
    expect(res.body.active.truePositives).toBeGreaterThanOrEqual(1);
    expect(res.body.change.recall).toBeLessThanOrEqual(0);
    expect(res.body.candidate.perRule['structuring.below-threshold']).toBeUndefined();
  });
});

describe('screening', () => {
  it('screens reordered and misspelled names on demand', async () => {
    const res = await call('POST', '/api/screening', analyst, { names: ['Morozov Viktor Andreyevich', 'Viktor Andreevich Morosov', 'Jane Doe'] });
    expect(res.status).toBe(200);
    const [reordered, misspelled, clean] = res.body.results;
    expect(reordered.matches[0]).toMatchObject({ entryId: 'demo-p-001' });
    expect(reordered.matches[0].why).toContain('same words in a different order');
    expect(misspelled.matches[0].entryId).toBe('demo-p-001');
    expect(misspelled.matches[0].score).toBeGreaterThan(0.9);
    expect(clean.matches.filter((m: { score: number }) => m.score >= 0.85)).toEqual([]);
  });
});
