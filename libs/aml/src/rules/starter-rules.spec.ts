import { InMemoryHistoryStore, type AccountHistory } from '../features/account-history';
import { extractAndRecord } from '../features/feature-extractor';
import type { Transaction } from '../transaction';
import { type AmlRule } from './aml-rule';
import { InvalidRuleError, RuleTrack, validateRule } from './rule-track';
import { STARTER_RULES } from './starter-rules';
import { usdTransfer } from '../__fixtures__/transfers';

const DAY = 1440;
let seq = 0;
type Step = [minute: number, from: string, to: string, amount: number, format?: string, extra?: Partial<Transaction>];

function toTxn([minute, from, to, amount, format = 'ACH', extra = {}]: Step): Transaction {
  return usdTransfer(`s${seq++}`, minute, from, to, amount, format, extra);
}

const track = new RuleTrack({ version: 1, rules: STARTER_RULES });

/**
 * Runs `history` then `steps` in time order through one feature state; returns the rule ids that
 * fired on each of `steps` (history only builds up the accounts' windows, as a bank's does).
 */
async function hitsOn(steps: Step[], history: Step[] = []): Promise<string[][]> {
  const store = new InMemoryHistoryStore();
  const tagged = [...history.map((s) => ({ s, counted: false })), ...steps.map((s) => ({ s, counted: true }))];
  const sorted = tagged.map(({ s, counted }) => ({ t: toTxn(s), counted })).sort((x, y) => x.t.timestamp - y.t.timestamp);
  const out: string[][] = [];
  for (const { t, counted } of sorted) {
    const a = `${t.fromBank}:${t.fromAccount}`, b = `${t.toBank}:${t.toAccount}`;
    const h = store.loadSync([a, b]);
    const { facts } = extractAndRecord(t, h.get(a) as AccountHistory, h.get(b) as AccountHistory);
    const hits = (await track.evaluate({ ...facts, sanctionsScore: 0 })).map((x) => x.ruleId);
    if (counted) out.push(hits);
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const firedAnywhere = (hits: string[][], prefix: string) => hits.some((h) => h.some((id) => id.startsWith(prefix)));
const allFired = (hits: string[][]) => [...new Set(hits.flat())];

/** Each typology: a laundering pattern and its legitimate look-alike. */
const cases: Record<string, { pattern: Step[]; lookalike: Step[]; history?: Step[] }> = {
  'fan-out': {
    pattern: range(8).map((i) => [600 + i * 30, 'MULE', `R${i}`, 2987.4]),
    // payroll: the same twelve staff paid a fortnight apart; the employer has client income
    history: range(12).map((i): Step => [480 + i, 'EMPLOYER', `STAFF${i}`, 3200]),
    lookalike: [[13 * DAY, 'CLIENT', 'EMPLOYER', 90000, 'Wire'], ...range(12).map((i): Step => [14 * DAY + 480 + i, 'EMPLOYER', `STAFF${i}`, 3200])],
  },
  'fan-in': {
    pattern: range(7).map((i) => [600 + i * 20, `S${i}`, 'COLLECTOR', 2493.17 + i]),
    // treasury sweeps: the same six subsidiaries every evening; plus card sales at a shop
    history: range(6).map((i): Step => [1050 + i, `SUB${i}`, 'TREASURY', 12000 + i * 100, 'Wire']),
    lookalike: [
      ...[1, 2].flatMap((d) => range(6).map((i): Step => [d * DAY + 1050 + i, `SUB${i}`, 'TREASURY', 12000 + i * 100, 'Wire'])),
      ...range(30).map((i): Step => [DAY + 600 + i * 5, `CUSTOMER${i}`, 'SHOP', 40 + i, 'Credit Card']),
      // first-of-month rent: many tenants, round amounts, all new in the window
      ...range(12).map((i): Step => [3 * DAY + 480 + i * 37, `TENANT${i}`, 'LANDLORD', 1200 + 100 * (i % 5)]),
    ],
  },
  cycle: {
    pattern: range(4).map((i) => [600 + i * 120, `C${i}`, `C${(i + 1) % 4}`, 5000 - i * 100]),
    lookalike: [[600, 'FRIEND1', 'FRIEND2', 1500], [900, 'FRIEND2', 'FRIEND1', 1500]],
  },
  'scatter-gather': {
    pattern: [
      ...range(4).map((i): Step => [600 + i, 'SOURCE', `MID${i}`, 5000]),
      ...range(4).map((i): Step => [900 + i * 30, `MID${i}`, 'SINK', 4911.35]),
    ],
    // escrow with several clients this week: a buyer's deposit paid on to the seller three hours later
    history: range(3).map((i): Step => [i * DAY, `CLIENT${i}`, 'ESCROW', 40000, 'Wire']),
    lookalike: [[3 * DAY + 600, 'BUYER', 'ESCROW', 50000, 'Wire'], [3 * DAY + 780, 'ESCROW', 'SELLER', 49500, 'Wire']],
  },
  'gather-scatter': {
    pattern: [
      ...range(4).map((i): Step => [600 + i * 10, `IN${i}`, 'HUB', 3000]),
      ...range(4).map((i): Step => [900 + i * 30, 'HUB', `OUT${i}`, 2900]),
    ],
    // treasury: subsidiaries sweep in, the treasury moves the total to its investment account daily
    history: range(5).map((i): Step => [1050 + i, `SUB${i}`, 'TREASURY', 12000, 'Wire']),
    lookalike: [0, 1, 2].flatMap((d) => [
      ...(d ? range(5).map((i): Step => [d * DAY + 1050 + i, `SUB${i}`, 'TREASURY', 12000, 'Wire']) : []),
      [d * DAY + 1100, 'TREASURY', 'INVESTMENT', 60000, 'Wire'] as Step,
    ]),
  },
  bipartite: {
    pattern: ['X1', 'X2', 'X3'].flatMap((x, i) => ['Y1', 'Y2', 'Y3'].map((y, j): Step => [600 + i * 60 + j * 5, x, y, 2512.8])),
    // two firms with client income paying the same two contractors
    lookalike: [
      [500, 'CLIENTA', 'FIRM1', 20000, 'Wire'], [510, 'CLIENTB', 'FIRM2', 20000, 'Wire'],
      ...['FIRM1', 'FIRM2'].flatMap((f, i) => ['K1', 'K2'].map((k, j): Step => [600 + i * 60 + j * 5, f, k, 2500])),
    ],
  },
  stack: {
    pattern: [
      [600, 'L1A', 'L2A', 3000], [605, 'L1B', 'L2A', 3000], [610, 'L1A', 'L2B', 3000], [615, 'L1B', 'L2B', 3000],
      [900, 'L2A', 'L3A', 2911.4], [905, 'L2B', 'L3A', 2911.4], [910, 'L2A', 'L3B', 2911.4], [915, 'L2B', 'L3B', 2911.4],
    ],
    // a small business paid by customers pays its usual two suppliers (as it did last week)
    lookalike: [
      [0, 'SHOPX', 'SUPPLIER1', 1500], [5, 'SHOPX', 'SUPPLIER2', 1500],
      [DAY + 600, 'CUST1', 'SHOPX', 2000], [DAY + 620, 'CUST2', 'SHOPX', 2500], [DAY + 640, 'CUST3', 'SHOPX', 1800],
      [DAY + 900, 'SHOPX', 'SUPPLIER1', 1500], [DAY + 905, 'SHOPX', 'SUPPLIER2', 1500],
    ],
  },
  random: {
    pattern: [[600, 'P1', 'P2', 10000], [780, 'P2', 'P3', 9800], [1000, 'P3', 'P4', 9600], [1300, 'P4', 'P5', 9400]],
    // salary in, rent out the same day
    lookalike: [[480, 'EMPLOYERZ', 'WORKER', 3000], [700, 'WORKER', 'LANDLORD', 1500]],
  },
  structuring: {
    pattern: [[600, 'SMURF', 'DEP1', 9500, 'Cash'], [1300, 'SMURF', 'DEP2', 9200, 'Cash'], [2000, 'SMURF', 'DEP1', 9700, 'Cash'], [2600, 'SMURF', 'DEP3', 9400, 'Cash']],
    // a recurring invoice of 9,500 once a fortnight
    lookalike: [[600, 'BUYERCO', 'VENDOR', 9500], [14 * DAY + 600, 'BUYERCO', 'VENDOR', 9500], [28 * DAY + 600, 'BUYERCO', 'VENDOR', 9500]],
  },
  'pass-through': {
    pattern: [[600, 'ORIGIN', 'CONDUIT', 20000, 'Wire'], [630, 'CONDUIT', 'EXIT', 19500, 'ACH', { receivingCurrency: 'Euro', amountReceived: 19500 }]],
    // an escrow agent with several clients this week pays a seller after a deposit
    lookalike: [
      ...range(4).map((i): Step => [i * 600, `BUYER${i}`, 'ESCROWCO', 30000 + i * 1000, 'Wire']),
      ...range(2).map((i): Step => [2 * DAY + i * 600, 'ESCROWCO', `SELLER${i}`, 29000, 'Wire']),
      [3 * DAY, 'BUYER9', 'ESCROWCO', 25000, 'Wire'], [3 * DAY + 120, 'ESCROWCO', 'SELLER9', 24500, 'Wire'],
    ],
  },
};

describe('starter rules', () => {
  it('are valid and cover every typology and sanctions', () => {
    STARTER_RULES.forEach(validateRule);
    const typologies = new Set(STARTER_RULES.map((r) => r.typology));
    for (const t of [...Object.keys(cases), 'sanctions']) expect(typologies).toContain(t);
  });

  for (const [typology, { pattern, lookalike, history }] of Object.entries(cases)) {
    it(`${typology}: fires on the pattern`, async () => {
      expect(firedAnywhere(await hitsOn(pattern), `${typology}.`)).toBe(true);
    });
    it(`${typology}: stays quiet on the legitimate look-alike`, async () => {
      const hits = await hitsOn(lookalike, history);
      expect(allFired(hits)).toEqual([]);
    });
  }

  it('sanctions: blocks a strong name match and reviews a weak one', async () => {
    expect((await track.evaluate({ sanctionsScore: 0.97 })).map((h) => [h.ruleId, h.severity])).toEqual([['sanctions.match', 'block']]);
    expect((await track.evaluate({ sanctionsScore: 0.88 })).map((h) => h.ruleId)).toEqual(['sanctions.possible']);
    expect(await track.evaluate({ sanctionsScore: 0.5 })).toEqual([]);
  });

  it('refuses rules naming unknown facts or operators', () => {
    const bad: AmlRule = { ...STARTER_RULES[0], id: 'x', conditions: { all: [{ fact: 'amount_usd', operator: 'greaterThan', value: 1 }] } };
    expect(() => validateRule(bad)).toThrow(InvalidRuleError);
    expect(() => validateRule(bad)).toThrow(/unknown fact "amount_usd"/);
    const badOp: AmlRule = { ...bad, conditions: { all: [{ fact: 'amountUsd', operator: 'approximately', value: 1 }] } };
    expect(() => validateRule(badOp)).toThrow(/unknown operator/);
  });
});
