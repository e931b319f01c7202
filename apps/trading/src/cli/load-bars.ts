/**
 * Streams bar CSVs (by default the R exports under data/trading/) into a running trading service:
 *
 *   node scripts/run-ts.cjs apps/trading/src/cli/load-bars.ts --url http://localhost:3001 --key $KEY [file.csv ...]
 *
 * Each file is POSTed as a stream to /api/trading/bars/import, so size does not matter; re-running is
 * idempotent. Prints the service's IngestResult per file and exits non-zero if any row was refused.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const DEFAULT_FILES = ['eu-stock-markets.csv', 'msft.csv', 'usdchf-30min.csv'].map((f) => join(__dirname, '../../../../data/trading', f));

async function main() {
  const args = process.argv.slice(2);
  const take = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const url = take('--url') ?? process.env.TRADING_URL ?? 'http://localhost:3001';
  const key = take('--key') ?? process.env.TRADING_API_KEY ?? process.env.DEMO_API_KEY;
  if (!key) throw new Error('pass --key <API key> (or set TRADING_API_KEY)');
  const files = args.length ? args : DEFAULT_FILES;
  let refused = 0;
  for (const file of files) {
    const res = await fetch(`${url}/api/trading/bars/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const body = (await res.json()) as { rejected?: number };
    console.log(JSON.stringify({ file, status: res.status, ...body }));
    if (!res.ok) throw new Error(`${file}: HTTP ${res.status}`);
    refused += body.rejected ?? 0;
  }
  process.exit(refused ? 1 : 0);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(2);
});
