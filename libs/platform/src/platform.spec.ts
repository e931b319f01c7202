import { Controller, Get, Module } from '@nestjs/common';
import { AuditService } from './audit/audit.service';
import { AuthService } from './auth/auth.service';
import { Roles } from './auth/decorators';
import { JobQueue } from './jobs/job-queue';
import { PlatformModule } from './platform.module';
import { createTestApp, type TestApp } from './testing/test-app';

@Controller('api/things')
class ThingsController {
  @Get()
  list() {
    return [{ id: 1 }];
  }
  @Roles('supervisor')
  @Get('approve')
  approve() {
    return { ok: true };
  }
}

@Module({ imports: [PlatformModule.forRoot({ service: 'platform-test', defaultPort: 0 })], controllers: [ThingsController] })
class TestModule {}

describe('platform module over HTTP', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(TestModule);
    base = await t.app.getUrl();
  }, 60_000);
  afterAll(() => t?.close());

  it('serves /health, /health/ready and /metrics without a token', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await (await fetch(`${base}/health/ready`)).json();
    expect(ready.status).toBe('ready');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds');
  });

  it('refuses API routes without a valid bearer token, with a problem document', async () => {
    const res = await fetch(`${base}/api/things`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${base}/api/things`, { headers: { Authorization: 'Bearer sk_nope' } })).status).toBe(401);
    expect((await fetch(`${base}/api/things`, { headers: await t.bearer('analyst') })).status).toBe(200);
  });

  it('checks roles, and lets admin do everything', async () => {
    expect((await fetch(`${base}/api/things/approve`, { headers: await t.bearer('analyst') })).status).toBe(403);
    expect((await fetch(`${base}/api/things/approve`, { headers: await t.bearer('supervisor') })).status).toBe(200);
    expect((await fetch(`${base}/api/things/approve`, { headers: await t.bearer('admin') })).status).toBe(200);
  });

  it('logs users in with expiring session tokens and logs them out', async () => {
    await t.app.get(AuthService).ensureUser('ana', 'correct horse', 'analyst');
    const bad = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password: 'wrong pass' }) });
    expect(bad.status).toBe(401);
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password: 'correct horse' }) });
    expect(login.status).toBe(200);
    const { token, expiresAt } = await login.json();
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const auth = { Authorization: `Bearer ${token}` };
    expect((await (await fetch(`${base}/api/auth/me`, { headers: auth })).json()).role).toBe('analyst');
    expect((await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: auth })).status).toBe(204);
    expect((await fetch(`${base}/api/auth/me`, { headers: auth })).status).toBe(401);
  });

  it('lets admins issue and revoke API keys; only hashes are stored', async () => {
    const admin = await t.bearer('admin');
    const created = await (await fetch(`${base}/api/admin/api-keys`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ci', role: 'researcher' }) })).json();
    expect(created.key).toMatch(/^sk_/);
    const rows = await t.db.sql.query<{ keyHash: string }>('SELECT "keyHash" FROM "ApiKey" WHERE id = $1', [created.id]);
    expect(rows[0].keyHash).not.toContain(created.key);
    const key = { Authorization: `Bearer ${created.key}` };
    expect((await fetch(`${base}/api/things`, { headers: key })).status).toBe(200);
    expect((await fetch(`${base}/api/admin/api-keys/${created.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect((await fetch(`${base}/api/things`, { headers: key })).status).toBe(401);
    expect((await fetch(`${base}/api/admin/api-keys`, { headers: key })).status).toBe(401);
  });

  it('keeps a hash-chained audit log that detects tampering', async () => {
    const audit = t.app.get(AuditService);
    await audit.append({ actor: 'ana', action: 'case.view', subject: 'case:1' });
    await audit.append({ actor: 'ana', action: 'case.comment', subject: 'case:1', detail: { text: 'looks odd', n: 2 } });
    expect((await audit.verify()).ok).toBe(true);
    await t.db.sql.query(`UPDATE "AuditEntry" SET detail = '{"text":"benign","n":2}' WHERE action = 'case.comment'`);
    const broken = await audit.verify();
    expect(broken.ok).toBe(false);
    expect(broken.problem).toMatch(/content/);
  });

  it('runs background jobs and reports progress and failures', async () => {
    const jobs = t.app.get(JobQueue);
    jobs.register<{ n: number }, number>('square', async ({ n }, ctx) => {
      await ctx.progress(0.5);
      if (n < 0) throw new Error('negative input');
      return n * n;
    });
    const ok = await jobs.enqueue('square', { n: 7 });
    const bad = await jobs.enqueue('square', { n: -1 });
    await jobs.whenIdle();
    expect(await jobs.get(ok.id)).toMatchObject({ status: 'done', result: 49, progress: 1 });
    expect(await jobs.get(bad.id)).toMatchObject({ status: 'failed', error: 'negative input' });
    const res = await fetch(`${base}/api/jobs/${ok.id}`, { headers: await t.bearer('analyst') });
    expect((await res.json()).status).toBe('done');
    expect((await fetch(`${base}/api/jobs/nope`, { headers: await t.bearer('analyst') })).status).toBe(404);
  });
});
