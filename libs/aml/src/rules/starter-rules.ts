import type { AmlRule } from './aml-rule';

type Cond = { fact: string; operator: string; value: unknown };
const ge = (fact: string, value: number): Cond => ({ fact, operator: 'greaterThanInclusive', value });
const le = (fact: string, value: number): Cond => ({ fact, operator: 'lessThanInclusive', value });
const is = (fact: string, value: unknown): Cond => ({ fact, operator: 'equal', value });
const notIn = (fact: string, value: unknown[]): Cond => ({ fact, operator: 'notIn', value });

const rule = (id: string, typology: string, name: string, description: string, all: Cond[], severity: 'review' | 'block' = 'review'): AmlRule => ({
  id,
  typology,
  name,
  description,
  severity,
  enabled: true,
  conditions: { all } as AmlRule['conditions'],
});

/**
 * The starter rule set: one rule per typology of the synthetic AMLworld set plus sanctions.
 * Each names the legitimate activity it is meant NOT to catch, and the tests check both sides.
 * Counts are of payments before the current one (windows exclude it).
 */
export const STARTER_RULES: AmlRule[] = [
  rule('fan-out.new-receivers', 'fan-out', 'Fan-out to new receivers',
    'The payer sent to 4+ distinct accounts in 7 days, 4+ payments in 24 h, this receiver is new, and the payments are spread out (3 or fewer in the last hour). Payroll goes out as one burst, to the same staff every cycle.',
    [ge('aFanOut7d', 4), ge('aOutCount24h', 4), le('aOutCount1h', 3), is('newCounterparty', true), ge('amountUsd', 200), notIn('paymentFormat', ['Credit Card'])]),
  rule('fan-in.new-senders', 'fan-in', 'Fan-in from new senders',
    'The receiver got money from 4+ distinct accounts in 7 days and 4+ payments in 24 h, yet at most 25 in the week, this sender pays it for the first time, and the amount is not round. Treasury sweeps repeat the same senders; rent is round; busy shops have far more payers.',
    [ge('bFanIn7d', 4), ge('bInCount24h', 4), le('bInCount7d', 25), is('newCounterparty', true), is('roundAmount', false), ge('amountUsd', 500), notIn('paymentFormat', ['Credit Card'])]),
  rule('cycle.return-to-origin', 'cycle', 'Money returns to its origin',
    'This payment closes a cycle of 3 to 6 transfers within 7 days. A direct payback (2 transfers) is not a cycle here.',
    [ge('cycleHops', 3), ge('amountUsd', 1000)]),
  rule('scatter-gather.gather-leg', 'scatter-gather', 'Intermediary forwards to a collecting account',
    'An account that just received money forwards most of it (80%+, not a round amount) within 24 h to a new receiver that is collecting from 2+ accounts today.',
    [ge('aPassthroughRatio', 0.8), le('aMinutesSinceIn', 1440), le('aFanIn7d', 2), is('newCounterparty', true), is('roundAmount', false), ge('bFanIn7d', 2), ge('bInCount24h', 2), ge('amountUsd', 1000)]),
  rule('gather-scatter.hub', 'gather-scatter', 'Collecting account redistributes',
    'An account fed by 3+ senders in 7 days and money today pays a share (60% or less) of today\'s income to a new receiver, having already paid 2+. A treasury pays one known account; an escrow agent pays on one deposit whole.',
    [ge('aFanIn7d', 3), ge('aFanOut7d', 2), ge('aInSum24h', 1), le('aPassthroughRatio', 0.6), is('newCounterparty', true), ge('amountUsd', 1000)]),
  rule('bipartite.mule-layer', 'bipartite', 'Pass-only accounts paying pass-only accounts',
    'A payer with no income in 7 days, already paying others, pays a new receiver that already collects from others and pays nobody, in a non-round amount (rent is round).',
    [le('aFanIn7d', 0), ge('aFanOut7d', 1), ge('bFanIn7d', 1), le('bFanOut7d', 0), is('newCounterparty', true), is('roundAmount', false), ge('amountUsd', 1000), notIn('paymentFormat', ['Credit Card', 'Reinvestment'])]),
  rule('stack.layer', 'stack', 'Layered transfers',
    'An account fed by 2 to 5 senders forwards 30%+ of today\'s income within 24 h, in a non-round amount, to a new receiver that itself collects from others. Shops and firms paid by many customers are not layers.',
    [ge('aFanIn7d', 2), le('aFanIn7d', 5), ge('aFanOut7d', 1), ge('bFanIn7d', 1), ge('aPassthroughRatio', 0.3), le('aMinutesSinceIn', 1440), is('newCounterparty', true), is('roundAmount', false), ge('amountUsd', 1000)]),
  rule('random.hop', 'random', 'Money hops on through a thin account',
    'An account with little history (3 or fewer payments out, 2 or fewer senders in 7 days) forwards 85-105% of what it received in the last 24 h to a new receiver.',
    [ge('aPassthroughRatio', 0.85), le('aPassthroughRatio', 1.05), le('aMinutesSinceIn', 1440), le('aOutCount7d', 3), le('aFanIn7d', 2), is('newCounterparty', true), ge('amountUsd', 2000)]),
  rule('structuring.below-threshold', 'structuring', 'Repeated just-below-threshold amounts',
    'The third (or later) payment in 7 days between 8,500 and 10,000 USD from the same account. A recurring invoice of that size comes once a fortnight.',
    [is('belowThreshold', true), ge('aBelowCount7d', 2)]),
  rule('pass-through.rapid', 'pass-through', 'Rapid in-out',
    'A large payment (5,000+ USD) forwarding 80-105% of what arrived in the last 4 hours to a new receiver, from an account with at most one sender and two payments out in 7 days. Escrow agents have many clients.',
    [le('aMinutesSinceIn', 240), ge('aPassthroughRatio', 0.8), le('aPassthroughRatio', 1.05), ge('amountUsd', 5000), is('newCounterparty', true), le('aFanIn7d', 1), le('aOutCount7d', 2)]),
  rule('sanctions.match', 'sanctions', 'Sanctioned party',
    'A party name matches an entry of the sanctions list (score 0.92 or more).',
    [ge('sanctionsScore', 0.92)], 'block'),
  rule('sanctions.possible', 'sanctions', 'Possible sanctions match',
    'A party name resembles an entry of the sanctions list (score 0.85 to 0.92): check identity.',
    [ge('sanctionsScore', 0.85), { fact: 'sanctionsScore', operator: 'lessThan', value: 0.92 }]),
];
