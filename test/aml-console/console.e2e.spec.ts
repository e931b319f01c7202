import { createTestApp, type TestApp } from '@suite/platform/testing';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AppModule } from '../../apps/aml/src/app/app.module';
import { ensureConsoleBuilt } from './console-build';

/**
 * The analyst's day in a real browser against the real AML service and database: sign in, import
 * an AMLworld CSV, work a case (score, rules, money flow, comment, suspicious, SAR), four eyes,
 * supervisor approval, SAR XML, audit chain, sign out and be refused.
 */
const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test/artifacts');
const CSV = join(__dirname, 'fixtures/small-amlworld.csv');
const PASSWORD = 'e2e-console-password-1';

/** Reads until the value satisfies `ok` (the page updates after its fetch returns) or time is up; returns the last read. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

/** Form controls on the page that a screen reader (or getByRole/getByLabel) could not name. */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('input, select, textarea, button, [role="button"], [role="tab"]'))
      .filter((el) => {
        const e = el as HTMLInputElement;
        const name = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.labels && e.labels.length ? 'label' : '') || (el.tagName === 'BUTTON' ? el.textContent?.trim() : '');
        return !name && e.type !== 'hidden';
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}


describe('AML console in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  const E2E_ENV = { AML_DEMO_SEED: 'false', DEMO_PASSWORD: PASSWORD, DATA_DIR: '', LOG_LEVEL: 'warn' };
  const saved = Object.fromEntries(Object.keys(E2E_ENV).map((k) => [k, process.env[k]]));
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt(ROOT);
    dataDir = mkdtempSync(join(tmpdir(), 'aml-console-e2e-'));
    // an empty bank (no demo seed) so the import below is what raises the alerts
    Object.assign(process.env, { ...E2E_ENV, DATA_DIR: dataDir });
    // the service as it ships: AppModule serves the console through its ConsoleModule
    t = await createTestApp(AppModule);
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await chromium.launch({
      // Debian's chromium package; never a downloaded browser
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => m.type() === 'error' && !/status of 40[13]/.test(m.text()) && consoleErrors.push(m.text()));
    page.on('response', (r) => r.status() === 404 && consoleErrors.push(`404 ${r.url()}`));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const signIn = async (username: string) => {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Alert queue' }).waitFor();
  };
  const signOut = async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  };
  /** Opens the case holding this account, found with the queue's account filter. */
  const openCase = async (account: string) => {
    await page.goto(`${base}/queue?account=${encodeURIComponent(account)}`);
    const rows = page.getByRole('table', { name: 'Cases' }).getByRole('row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    await rows.nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: /^Case \d+:/ }).waitFor();
    return page.url();
  };

  let cycleCaseUrl = '';

  it('shows nothing but the login page without a session, with strict headers', async () => {
    const res = await page.goto(`${base}/cases/whatever`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login$/);
    // the API keeps its own answers: JSON problems, not the console's index.html
    const api = await fetch(`${base}/api/cases`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('json');
    // a wrong password is refused with the service's words
    await page.getByLabel('Username').fill('analyst');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid username or password');
  });

  it('signs an analyst in, imports an AMLworld CSV and shows the alerts it raised', async () => {
    await signIn('analyst');
    expect(new URL(page.url()).pathname).toBe('/queue');
    await page.getByText('No cases match these filters').waitFor();

    await page.getByLabel('Import AMLworld CSV').setInputFiles(CSV);
    const done = page.getByRole('status').filter({ hasText: 'Import finished' });
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toMatch(/58 rows, 58 decided, [1-9]\d* alerts, 0 duplicates, 0 bad lines/);

    const rows = page.getByRole('table', { name: 'Cases' }).getByRole('row');
    await rows.nth(1).waitFor();
    const caseRows = (await rows.count()) - 1;
    expect(caseRows).toBeGreaterThan(0);
    // counts per status agree with the list
    await page.getByRole('button', { name: `Open (${caseRows})`, exact: true }).waitFor();
    await expect(rows.filter({ hasText: 'cycle' }).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'aml-console-queue.png') });
    expect(await unlabelledControls(page)).toEqual([]);

    // server-side filter and "my alerts" after a bulk assignment
    await page.getByLabel('Select case', { exact: false }).first().check();
    await page.getByLabel('Assign selected to').fill('analyst');
    await page.getByRole('button', { name: 'Assign selected' }).click();
    await page.getByText('Assigned 1 of 1 cases to analyst.').waitFor();
    await page.getByLabel('My alerts').check();
    await page.waitForURL(/mine=true/);
    const mine = page.getByRole('table', { name: 'Cases' }).getByRole('row');
    expect(await eventually(() => mine.count(), (n) => n === 2)).toBe(2);
    expect(await mine.nth(1).getByRole('cell').nth(6).textContent()).toBe('analyst');

    // the raw alerts, filtered on the server: only blocks
    await page.getByRole('tab', { name: 'Alerts' }).click();
    const alerts = page.getByRole('table', { name: 'Alerts' });
    await alerts.waitFor();
    await page.getByLabel('Decision').selectOption('BLOCK');
    await page.waitForURL(/decision=BLOCK/);
    await alerts.getByRole('row').nth(1).waitFor();
    const decisions = await eventually(() => alerts.getByRole('row').locator('td:nth-child(2)').allTextContents(), (d) => d.length > 0 && d.every((x) => x === 'BLOCK'));
    expect(decisions.length).toBeGreaterThan(0);
    expect(new Set(decisions)).toEqual(new Set(['BLOCK']));
  });

  it('opens the cycle case with its score, rules in words and money-flow graph; comments and marks it suspicious', async () => {
    cycleCaseUrl = await openCase('031:90C1C1C10');
    // the transactions with amounts and times
    const txns = page.getByRole('table', { name: 'Transactions of the case' });
    await txns.getByText('46,050.00 US Dollar').first().waitFor();
    await txns.getByText('2 Sept 2022, 14:45 UTC').waitFor();
    // explain the leg that closes the cycle
    await txns.getByRole('row').filter({ hasText: '2 Sept 2022, 14:45 UTC' }).getByRole('button', { name: /^Explain transaction/ }).click();
    await page.getByRole('img', { name: /Top features of the model score/ }).waitFor();
    expect(await page.getByLabel(/^Model score \d\.\d{3}$/).count()).toBe(1);
    // the cycle rule fired and reads in words
    const rules = page.getByRole('region', { name: 'Rules fired' });
    await rules.locator('strong', { hasText: 'Money returns to its origin' }).waitFor();
    await rules.getByText(/transfers in a chain that brings the money back to its origin is at least 3/).waitFor();

    // the graph: the four cycle accounts, the alerted leg(s) highlighted, hover lights up an account
    const graph = page.getByRole('group', { name: /^Money flow graph/ });
    await graph.waitFor();
    expect(await graph.locator('[data-flagged="true"]').count()).toBeGreaterThan(0);
    const accounts = graph.getByRole('button', { name: /^Account 03\d:90C/ });
    expect(await accounts.count()).toBeGreaterThanOrEqual(2);
    await accounts.first().hover();
    expect(await graph.locator('.edge.lit').count()).toBeGreaterThan(0);
    await accounts.first().click();
    await page.getByRole('region', { name: /^Transfers of 03\d:90C/ }).waitFor();

    await page.getByLabel('Comment', { exact: true }).fill('Funds return to 031:90C1C1C10 after four hops within two hours.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.getByRole('list', { name: 'Comments' }).getByText('Funds return to 031:90C1C1C10').waitFor();

    await page.getByLabel('Attach a file').setInputFiles({ name: 'kyc-note.txt', mimeType: 'text/plain', buffer: Buffer.from('Beneficial owner of 031 and 034 is the same person.') });
    await page.getByRole('list', { name: 'Attachments' }).getByRole('button', { name: 'kyc-note.txt' }).waitFor();

    await page.getByRole('button', { name: 'Mark suspicious' }).click();
    await page.getByTestId('case-disposition').getByText('Suspicious – SAR filed').waitFor();
    expect(await page.getByTestId('case-status').textContent()).toBe('Escalated');
  });

  it('drafts a SAR, is refused approving it as the same user, and screenshots the case file', async () => {
    await page.getByRole('button', { name: 'Draft from case' }).click();
    expect(await page.getByLabel('SAR narrative').inputValue()).toMatch(/cycle/);
    await page.getByRole('button', { name: 'Submit SAR for approval' }).click();
    await page.getByTestId('sar-status').getByText('Pending approval', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Approve SAR' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Refused' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/supervisor/);
    expect(await page.getByTestId('sar-status').first().textContent()).toBe('Pending approval');
    // history shows the work done so far
    const history = page.getByRole('list', { name: 'Audit history' });
    await history.getByText('prepared a SAR').waitFor();
    await history.getByText('commented').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'aml-console-case-file.png'), fullPage: true });
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('lets a supervisor approve it (never their own: four eyes) and download the XML', async () => {
    await signOut();
    await signIn('supervisor');

    // four eyes for real: the supervisor's own SAR on the fan-out case is refused to them
    await openCase('041:70F0F0F00');
    await page.getByRole('button', { name: 'Mark suspicious' }).click();
    await page.getByTestId('case-disposition').getByText('Suspicious – SAR filed').waitFor();
    await page.getByRole('button', { name: 'Draft from case' }).click();
    await page.getByRole('button', { name: 'Submit SAR for approval' }).click();
    await page.getByRole('button', { name: 'Approve SAR' }).click();
    await page.getByRole('alert').filter({ hasText: 'four eyes' }).waitFor();

    await page.goto(cycleCaseUrl);
    await page.getByRole('button', { name: 'Approve SAR' }).click();
    await page.getByTestId('sar-status').getByText('Approved', { exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download SAR XML' }).click()]);
    const xml = readFileSync((await download.path()) as string, 'utf8');
    writeFileSync(join(ARTIFACTS, 'aml-console-sar.xml'), xml);
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(xml).toContain('90C1C1C10');
    expect(xml).toContain('supervisor');

    await page.getByRole('button', { name: 'Close as SAR filed' }).click();
    await page.getByTestId('case-status').getByText('Closed', { exact: true }).waitFor();
  });

  it('backtests a rule change before it can be activated', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('button', { name: 'Edit cycle.return-to-origin' }).click();
    const editor = page.getByLabel('Rule JSON');
    const original = await editor.inputValue();
    await editor.fill(original.replace('"cycleHops"', '"cycleHopz"'));
    await page.getByRole('list', { name: 'Problems in the rule' }).getByText('unknown fact "cycleHopz"').waitFor();
    expect(await page.getByRole('button', { name: 'Backtest against active' }).isDisabled()).toBe(true);
    await editor.fill(original.replace(/"value": 3\b/, '"value": 5'));
    expect(await page.getByRole('button', { name: 'Activate candidate' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Backtest against active' }).click();
    const table = page.getByRole('table', { name: 'Backtest comparison' });
    await table.waitFor();
    // the stricter cycle rule misses the 4-hop cycle: the rule alone alerts less than the active one
    const alone = (await page.getByText(/^This rule alone:/).textContent()) ?? '';
    const [now, candidate] = [/(\d+) alerts \(\d+ true\) now/, /(\d+) alerts \(\d+ true\) as candidate|no alerts as candidate/].map((re) => Number(re.exec(alone)?.[1] ?? 0));
    expect(now).toBeGreaterThan(0);
    expect(candidate).toBeLessThan(now);
    const alerts = await table.getByRole('row', { name: /^Alerts/ }).getByRole('cell').allTextContents();
    expect(Number(alerts[1])).toBeLessThanOrEqual(Number(alerts[0]));
    expect(await page.getByRole('button', { name: 'Activate candidate' }).isDisabled()).toBe(false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'aml-console-rules.png'), fullPage: true });
    expect(await unlabelledControls(page)).toEqual([]);

    // activate it (a new version), compare the old version with it, and restore the old one
    await page.getByLabel('Change comment').fill('stricter cycle length, e2e');
    await page.getByRole('button', { name: 'Activate candidate' }).click();
    await page.getByRole('status').filter({ hasText: 'Activated: rule set version 2 is now active.' }).waitFor();
    const versions = page.getByRole('table', { name: 'Rule set versions' });
    await versions.getByRole('row', { name: /stricter cycle length, e2e/ }).waitFor();
    await versions.getByRole('button', { name: 'Backtest v1' }).click();
    await page.getByRole('region', { name: 'Backtest: version 1 vs active' }).waitFor();
    await expect(table.getByRole('columnheader').allTextContents()).resolves.toEqual([expect.stringMatching(/^Over \d+ labelled transactions$/), 'Active v2', 'Version 1', 'Change']);
    await versions.getByRole('button', { name: 'Restore v1' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 1 restored as version 3.' }).waitFor();
  });

  it('lets an admin change a role, and nobody else', async () => {
    await page.goto(`${base}/admin`);
    await page.getByRole('alert').filter({ hasText: 'This action needs one of the roles: admin' }).waitFor();
    await signOut();
    // analyst2 is working in another browser when the admin changes their role
    const other = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await other.goto(`${base}/login`);
    await other.getByLabel('Username').fill('analyst2');
    await other.getByLabel('Password').fill(PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { name: 'Alert queue' }).waitFor();

    await signIn('admin');
    await page.getByRole('link', { name: 'Admin' }).click();
    const role = page.getByLabel('Role of analyst2');
    expect(await role.inputValue()).toBe('analyst');
    await role.selectOption('supervisor');
    await page.getByRole('status').filter({ hasText: 'analyst2 is now supervisor.' }).waitFor();
    const users = await fetch(`${base}/api/admin/users`, { headers: await t.bearer('admin') }).then((r) => r.json() as Promise<Array<{ username: string; role: string }>>);
    expect(users.find((u) => u.username === 'analyst2')?.role).toBe('supervisor');
    expect(await eventually(() => role.inputValue(), (v) => v === 'supervisor')).toBe('supervisor');
    expect(await unlabelledControls(page)).toEqual([]);

    // the role change ended analyst2's session: their next click lands on the login page, told why
    await other.getByRole('link', { name: 'Monitoring' }).click();
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    await other.getByRole('status').filter({ hasText: 'expired or was revoked' }).waitFor();
    await other.context().close();
  });

  it('verifies the audit chain, logs out and is refused afterwards', async () => {
    await page.getByRole('link', { name: 'Monitoring' }).click();
    await page.getByRole('img', { name: /^Decisions by outcome/ }).waitFor();
    // all alerts of this run fall in one week: that week's disagreement rate is the overall one
    const overall = (await page.getByTestId('disagreement-rate').textContent()) ?? '';
    expect(overall).toMatch(/^\d+\.\d%$/);
    const weekly = page.getByRole('img', { name: /^Disagreement rate per week/ });
    await weekly.waitFor();
    expect(await weekly.getAttribute('aria-label')).toMatch(new RegExp(`: ${overall.replace('.', '\\.')}$`));
    await page.getByRole('button', { name: 'Verify audit chain' }).click();
    const verified = page.getByRole('status').filter({ hasText: 'Audit chain intact' });
    await verified.waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'aml-console-monitoring.png'), fullPage: true });
    expect(await unlabelledControls(page)).toEqual([]);
    expect(Number(/intact: ([\d,]+) entries/.exec((await verified.textContent()) ?? '')?.[1].replace(/,/g, ''))).toBeGreaterThan(10);

    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('aml-console.session') ?? '{}').token as string);
    expect(token).toBeTruthy();
    await signOut();
    const me = await fetch(`${base}/api/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    await page.goto(`${base}/monitoring`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(consoleErrors).toEqual([]);
  });
});
