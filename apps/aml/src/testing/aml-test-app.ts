import { createTestApp, type TestApp } from '@suite/platform/testing';
import { AppModule } from '../app/app.module';
import { CaseGrouper } from '../cases/case-grouper.service';

export const TEST_PASSWORD = 'test-password-123';

/** The AML app on a fresh database, without the demo bank (users only), and HTTP helpers. */
export async function startAml(): Promise<TestApp & { url: string; login(user: string): Promise<Record<string, string>>; flushCases(): Promise<number> }> {
  process.env.AML_DEMO_SEED = 'false';
  process.env.DEMO_PASSWORD = TEST_PASSWORD;
  const t = await createTestApp(AppModule);
  const url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    ...t,
    url,
    async login(user: string) {
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: TEST_PASSWORD }) });
      if (res.status !== 200 && res.status !== 201) throw new Error(`login ${user}: ${res.status} ${await res.text()}`);
      const { token } = (await res.json()) as { token: string };
      return { Authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    },
    flushCases: () => t.app.get(CaseGrouper).flush(),
  };
}

let n = 0;
/** A transaction for the API (minutes from 2022-09-01 00:00 UTC). */
export function tx(minute: number, from: string, to: string, amount: number, extra: Record<string, unknown> = {}) {
  return {
    id: `it-${process.pid}-${n++}`,
    timestamp: new Date(Date.UTC(2022, 8, 1) + minute * 60_000).toISOString(),
    fromBank: '001',
    fromAccount: from,
    toBank: '001',
    toAccount: to,
    amountPaid: amount,
    paymentCurrency: 'US Dollar',
    amountReceived: amount,
    receivingCurrency: 'US Dollar',
    paymentFormat: 'ACH',
    ...extra,
  };
}
