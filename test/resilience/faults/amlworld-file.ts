/** Lines the AMLworld parser refuses (bad date, unknown currency): counted as bad lines, never stored. */
export const AMLWORLD_BAD_LINES = ['2022/09/31 00:20,010,8000EBD31,011,8000EBD32,100,US Dollar,100,US Dollar,ACH,0', '2022/09/01 00:22,001,8000F5340,001,8000F5341,12.5,Doubloon,12.5,US Dollar,Cash,0'];

/**
 * A time-ordered AMLworld CSV file: `rows` valid transfers (three a minute from 2022-09-01) among
 * 400 accounts, with the two bad lines in between. The same `rows` always gives the same bytes, so
 * the service gives its rows the same ids on every upload.
 */
export function amlworldCsv(rows: number): string {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const accounts = Array.from({ length: 400 }, (_, i) => [String(1 + (i % 40)).padStart(3, '0'), (0x8000a0000 + i * 7919).toString(16).toUpperCase()]);
  const lines = ['Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering'];
  const badAt = [100, Math.floor(rows / 2)];
  for (let i = 0; i < rows; i++) {
    const minute = Math.floor(i / 3);
    const day = 1 + Math.floor(minute / 1440);
    const ts = `2022/09/${String(day).padStart(2, '0')} ${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const [fb, fa] = accounts[Math.floor(rnd() * accounts.length)];
    const [tb, ta] = accounts[Math.floor(rnd() * accounts.length)];
    const amount = (10 + rnd() * 9000).toFixed(2);
    lines.push(`${ts},${fb},${fa},${tb},${ta},${amount},US Dollar,${amount},US Dollar,${rnd() < 0.5 ? 'ACH' : 'Wire'},0`);
    const bad = badAt.indexOf(i);
    if (bad >= 0) lines.push(AMLWORLD_BAD_LINES[bad]);
  }
  return lines.join('\n') + '\n';
}
