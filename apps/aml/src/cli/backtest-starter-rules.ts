/**
 * Backtest of the starter rules (and the model threshold's alerts for comparison) on the
 * synthetic AMLworld-style set that trains aml-txn, split by time like the model:
 *   tuning period = days 0-23 (where rule thresholds may be adjusted), held-out = days 23-28.
 *
 *   nice -n 10 /usr/bin/python3 models/aml-txn/train.py     # writes .cache/aml-txn/train.csv(+.typology)
 *   node scripts/run-ts.cjs apps/aml/src/cli/backtest-starter-rules.ts [CSV]
 *
 * Prints one JSON document: per period, alert volume, precision, recall of the rule set; per rule
 * its alerts and precision; recall per typology; alert rate on each legitimate look-alike.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { accountKey, type AccountHistory, extractAndRecord, InMemoryHistoryStore, readAmlworldCsv, RuleTrack, STARTER_RULES, type Transaction } from '@suite/aml';

const HELDOUT_FROM = Date.UTC(2022, 8, 1) + 23 * 86400_000;

interface Tally {
  rows: number;
  positives: number;
  alerts: number;
  truePositives: number;
  perRule: Record<string, { alerts: number; truePositives: number; falseBy: Record<string, number> }>;
  perTypology: Record<string, { n: number; caught: number }>;
}
const tally = (): Tally => ({ rows: 0, positives: 0, alerts: 0, truePositives: 0, perRule: {}, perTypology: {} });

async function main() {
  const csv = resolve(process.argv[2] ?? join(__dirname, '../../../../.cache/aml-txn/train.csv'));
  if (!existsSync(csv)) throw new Error(`${csv} not found: run models/aml-txn/train.py first`);
  const typologies = readFileSync(`${csv}.typology`, 'utf8').split('\n');
  const track = new RuleTrack({ version: 1, rules: STARTER_RULES });
  const store = new InMemoryHistoryStore();
  const periods = { tuning: tally(), heldout: tally() };
  let row = 0;
  for await (const item of readAmlworldCsv(createReadStream(csv), 'bt')) {
    const typ = typologies[row++] ?? '';
    if ('error' in item) throw new Error(`line ${item.line}: ${item.error}`);
    const t: Transaction = item.transaction;
    const a = accountKey(t.fromBank, t.fromAccount), b = accountKey(t.toBank, t.toAccount);
    const h = store.loadSync([a, b]);
    const { facts } = extractAndRecord(t, h.get(a) as AccountHistory, h.get(b) as AccountHistory);
    const hits = track.evaluate({ ...facts, sanctionsScore: 0 });
    const p = t.timestamp >= HELDOUT_FROM ? periods.heldout : periods.tuning;
    const label = t.isLaundering === true;
    p.rows++;
    if (label) p.positives++;
    if (hits.length) {
      p.alerts++;
      if (label) p.truePositives++;
    }
    for (const hit of hits) {
      const r = (p.perRule[hit.ruleId] ??= { alerts: 0, truePositives: 0, falseBy: {} });
      r.alerts++;
      if (label) r.truePositives++;
      else r.falseBy[typ || 'background'] = (r.falseBy[typ || 'background'] ?? 0) + 1;
    }
    if (typ) {
      const ty = (p.perTypology[typ] ??= { n: 0, caught: 0 });
      ty.n++;
      if (hits.length) ty.caught++;
    }
  }
  const report = (p: Tally) => ({
    rows: p.rows,
    positives: p.positives,
    alerts: p.alerts,
    precision: p.alerts ? p.truePositives / p.alerts : 0,
    recall: p.positives ? p.truePositives / p.positives : 0,
    perRule: Object.fromEntries(Object.entries(p.perRule).map(([k, v]) => [k, { alerts: v.alerts, precision: +(v.truePositives / v.alerts).toFixed(3), falseAlertsBy: v.falseBy }])),
    recallPerTypology: Object.fromEntries(Object.entries(p.perTypology).filter(([k]) => !k.startsWith('legit:')).map(([k, v]) => [k, +(v.caught / v.n).toFixed(3)])),
    lookalikeAlertRate: Object.fromEntries(Object.entries(p.perTypology).filter(([k]) => k.startsWith('legit:')).map(([k, v]) => [k, +(v.caught / v.n).toFixed(4)])),
  });
  console.log(JSON.stringify({ csv, tuning: report(periods.tuning), heldout: report(periods.heldout) }, null, 1));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
