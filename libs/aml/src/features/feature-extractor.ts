import { toUsd } from '../currency';
import { PAYMENT_FORMATS, type Transaction, accountKey } from '../transaction';
import type { AccountHistory } from './account-history';
import { CYCLE_MAX_HOPS, observeTransfer } from './cycle-tracker';
import { BELOW_THRESHOLD_USD, DAY_S, FEATURE_NAMES, HOUR_S, MAX_GAP_MINUTES, WEEK_S } from './feature-names';

/**
 * The named facts of one transaction in readable units (counts, dollars, minutes): what rules are
 * written over and what analysts read. The model sees the same quantities as `vector`.
 */
export interface TransactionFacts {
  amountUsd: number;
  roundAmount: boolean;
  belowThreshold: boolean;
  crossCurrency: boolean;
  crossBank: boolean;
  selfTransfer: boolean;
  paymentFormat: string;
  aOutCount1h: number;
  aOutCount24h: number;
  aOutCount7d: number;
  aOutSum24h: number;
  aAmountVsMean7d: number;
  bInCount1h: number;
  bInCount24h: number;
  bInCount7d: number;
  bInSum24h: number;
  aFanOut7d: number;
  bFanIn7d: number;
  aFanIn7d: number;
  bFanOut7d: number;
  newCounterparty: boolean;
  aInSum24h: number;
  aPassthroughRatio: number;
  aMinutesSinceIn: number;
  aMinutesSinceOut: number;
  aBelowCount7d: number;
  aFormats7d: number;
  aCurrencies7d: number;
  /** Length (transfers) of the cycle this payment closes, 0 when none. */
  cycleHops: number;
  /** Distinct senders who paid the receiver for the first time in the last 24 h. */
  bNewSenders24h: number;
  aInCount24h: number;
}

export interface TransactionFeatures {
  facts: TransactionFacts;
  /** Model input in FEATURE_NAMES order. */
  vector: Float64Array;
}

const round = (amount: number) => amount >= 100 && Math.round(amount * 100) % 10000 === 0;

function trim(h: AccountHistory, now: number): void {
  // memory only: every window below filters by time as well
  let k = 0;
  while (k < h.out.length && h.out[k].ts <= now - WEEK_S) k++;
  if (k) h.out.splice(0, k);
  k = 0;
  while (k < h.in.length && h.in[k].ts <= now - WEEK_S) k++;
  if (k) h.in.splice(0, k);
}

function minutesSince(now: number, last: number | null): number {
  if (last === null) return MAX_GAP_MINUTES;
  return Math.min(Math.max(0, (now - last) / 60), MAX_GAP_MINUTES);
}

/**
 * Computes the features of `t` from the two accounts' histories (transactions processed before
 * it), then records `t` in them. Same definitions and order of operations as the Python reference
 * (models/aml-txn/features.py) so that values agree to the last bits of a double.
 *
 * @param t transaction, with currencies as AMLworld names
 * @param a the paying account's history (mutated)
 * @param b the receiving account's history (mutated; the same object as `a` for a self-transfer)
 */
export function extractAndRecord(t: Transaction, a: AccountHistory, b: AccountHistory): TransactionFeatures {
  const aKey = accountKey(t.fromBank, t.fromAccount);
  const bKey = accountKey(t.toBank, t.toAccount);
  const usd = toUsd(t.amountPaid, t.paymentCurrency);
  const now = t.timestamp / 1000;
  trim(a, now);
  if (b !== a) trim(b, now);

  const below = usd >= BELOW_THRESHOLD_USD[0] && usd < BELOW_THRESHOLD_USD[1];
  const logAmount = Math.log1p(usd);

  let c1 = 0, c24 = 0, c7 = 0, s24 = 0, logSum = 0, below7 = 0;
  const receivers = new Set<string>(), formats = new Set<string>(), currencies = new Set<string>();
  for (const e of a.out) {
    if (e.ts > now - WEEK_S) {
      c7++;
      logSum += Math.log1p(e.usd);
      receivers.add(e.to);
      formats.add(e.format);
      currencies.add(e.currency);
      if (e.below) below7++;
      if (e.ts > now - DAY_S) {
        c24++;
        s24 += e.usd;
        if (e.ts > now - HOUR_S) c1++;
      }
    }
  }
  let bi1 = 0, bi24 = 0, bi7 = 0, bs24 = 0;
  const senders = new Set<string>(), newSenders = new Set<string>();
  for (const e of b.in) {
    if (e.ts > now - WEEK_S) {
      bi7++;
      senders.add(e.from);
      if (e.ts > now - DAY_S) {
        bi24++;
        bs24 += e.usd;
        if (e.firstFromSender) newSenders.add(e.from);
        if (e.ts > now - HOUR_S) bi1++;
      }
    }
  }
  let aIn24 = 0, aIn24Count = 0;
  const aSenders = new Set<string>();
  for (const e of a.in) {
    if (e.ts > now - WEEK_S) {
      aSenders.add(e.from);
      if (e.ts > now - DAY_S) {
        aIn24 += e.usd;
        aIn24Count++;
      }
    }
  }
  const bReceivers = new Set<string>();
  for (const e of b.out) if (e.ts > now - WEEK_S) bReceivers.add(e.to);

  const newCounterparty = !a.paidTo.has(bKey);
  const cycleHops = observeTransfer(aKey, bKey, a, b, now);
  const minsIn = minutesSince(now, a.lastIn);
  const minsOut = minutesSince(now, a.lastOut);
  const passthrough = aIn24 > 0 ? Math.min(usd / aIn24, 2) : 0;
  const vsMean = c7 ? logAmount - logSum / c7 : 0;
  const crossCurrency = t.paymentCurrency !== t.receivingCurrency;

  const facts: TransactionFacts = {
    amountUsd: usd,
    roundAmount: round(t.amountPaid),
    belowThreshold: below,
    crossCurrency,
    crossBank: t.fromBank !== t.toBank,
    selfTransfer: aKey === bKey,
    paymentFormat: t.paymentFormat,
    aOutCount1h: c1,
    aOutCount24h: c24,
    aOutCount7d: c7,
    aOutSum24h: s24,
    aAmountVsMean7d: vsMean,
    bInCount1h: bi1,
    bInCount24h: bi24,
    bInCount7d: bi7,
    bInSum24h: bs24,
    aFanOut7d: receivers.size,
    bFanIn7d: senders.size,
    aFanIn7d: aSenders.size,
    bFanOut7d: bReceivers.size,
    newCounterparty,
    aInSum24h: aIn24,
    aPassthroughRatio: passthrough,
    aMinutesSinceIn: minsIn,
    aMinutesSinceOut: minsOut,
    aBelowCount7d: below7,
    aFormats7d: formats.size,
    aCurrencies7d: currencies.size,
    cycleHops,
    bNewSenders24h: newSenders.size,
    aInCount24h: aIn24Count,
  };

  const v = new Float64Array(FEATURE_NAMES.length);
  let i = 0;
  v[i++] = logAmount;
  v[i++] = facts.roundAmount ? 1 : 0;
  v[i++] = below ? 1 : 0;
  v[i++] = crossCurrency ? 1 : 0;
  v[i++] = facts.crossBank ? 1 : 0;
  v[i++] = facts.selfTransfer ? 1 : 0;
  for (const f of PAYMENT_FORMATS) v[i++] = t.paymentFormat === f ? 1 : 0;
  v[i++] = Math.log1p(c1);
  v[i++] = Math.log1p(c24);
  v[i++] = Math.log1p(c7);
  v[i++] = Math.log1p(s24);
  v[i++] = vsMean;
  v[i++] = Math.log1p(bi1);
  v[i++] = Math.log1p(bi24);
  v[i++] = Math.log1p(bi7);
  v[i++] = Math.log1p(bs24);
  v[i++] = Math.log1p(receivers.size);
  v[i++] = Math.log1p(senders.size);
  v[i++] = Math.log1p(aSenders.size);
  v[i++] = Math.log1p(bReceivers.size);
  v[i++] = newCounterparty ? 1 : 0;
  v[i++] = Math.log1p(aIn24);
  v[i++] = passthrough;
  v[i++] = Math.log1p(minsIn);
  v[i++] = Math.log1p(minsOut);
  v[i++] = Math.log1p(below7);
  v[i++] = formats.size;
  v[i++] = currencies.size;
  v[i++] = cycleHops / CYCLE_MAX_HOPS;
  v[i++] = Math.log1p(newSenders.size);
  v[i++] = Math.log1p(aIn24Count);

  // record the transaction
  a.out.push({ ts: now, to: bKey, usd, format: t.paymentFormat, currency: t.paymentCurrency, below });
  b.in.push({ ts: now, from: aKey, usd, firstFromSender: newCounterparty });
  a.lastOut = a.lastOut === null ? now : Math.max(a.lastOut, now);
  b.lastIn = b.lastIn === null ? now : Math.max(b.lastIn, now);
  a.paidTo.add(bKey);
  return { facts, vector: v };
}
