import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleAnswer, consoleMiddleware } from './console-files';

describe('console files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'outside-console.txt'), 'secret');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves built files, hashed assets cached for good', () => {
    expect(consoleAnswer(dir, 'GET', '/assets/index-abc.js')).toEqual({ kind: 'file', path: join(dir, 'assets', 'index-abc.js'), type: 'text/javascript; charset=utf-8', cache: 'public, max-age=31536000, immutable' });
    expect(consoleAnswer(dir, 'GET', '/')).toMatchObject({ kind: 'file', path: join(dir, 'index.html'), cache: 'no-cache' });
  });

  it('answers console routes with index.html, but not API routes or missing files', () => {
    expect(consoleAnswer(dir, 'GET', '/cases/1b2c?x=1')).toMatchObject({ kind: 'file', path: join(dir, 'index.html') });
    expect(consoleAnswer(dir, 'GET', '/api/cases')).toEqual({ kind: 'pass' });
    expect(consoleAnswer(dir, 'GET', '/api')).toEqual({ kind: 'pass' });
    expect(consoleAnswer(dir, 'GET', '/metrics')).toEqual({ kind: 'pass' });
    expect(consoleAnswer(dir, 'GET', '/health/ready')).toEqual({ kind: 'pass' });
    expect(consoleAnswer(dir, 'GET', '/assets/missing.js')).toEqual({ kind: 'pass' });
    expect(consoleAnswer(dir, 'POST', '/queue')).toEqual({ kind: 'pass' });
    // a browser navigating to a dotted path still gets the app
    expect(consoleAnswer(dir, 'GET', '/cases/a.b', 'text/html,*/*')).toMatchObject({ kind: 'file', path: join(dir, 'index.html') });
  });

  it('never serves a file outside the build', () => {
    for (const url of ['/../outside-console.txt', '/%2e%2e/outside-console.txt', '/assets/..%2f..%2foutside-console.txt', '/%00']) {
      const a = consoleAnswer(dir, 'GET', url);
      if (a.kind === 'file') expect(a.path.startsWith(dir)).toBe(true);
    }
  });

  describe('over HTTP', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const mw = consoleMiddleware(dir);
      server = createServer((req, res) => mw(req, res, () => {
        res.statusCode = 404;
        res.end('next');
      }));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address() as { port: number };
      base = `http://127.0.0.1:${addr.port}`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('sends security headers with the app and passes everything else on', async () => {
      const page = await fetch(`${base}/queue`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>console</title>');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      const api = await fetch(`${base}/api/nothing`);
      expect(api.status).toBe(404);
      expect(await api.text()).toBe('next');
      const head = await fetch(`${base}/assets/index-abc.js`, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe('14');
    });
  });
});
