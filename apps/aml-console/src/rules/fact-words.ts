/**
 * What each rule fact means, in an analyst's words. "Payer" is the sending account (a), "receiver"
 * the receiving one (b); windows count the payments before the current one.
 */
export const FACT_WORDS: Record<string, string> = {
  amountUsd: 'the amount in US dollars',
  roundAmount: 'the amount is a round number',
  belowThreshold: 'the amount is just below the 10,000 USD reporting threshold',
  crossCurrency: 'the payment changes currency',
  crossBank: 'the payment goes to another bank',
  selfTransfer: 'payer and receiver are the same account',
  paymentFormat: 'the payment format',
  aOutCount1h: "the payer's payments in the last hour",
  aOutCount24h: "the payer's payments in the last 24 hours",
  aOutCount7d: "the payer's payments in the last 7 days",
  aOutSum24h: 'the total the payer sent in the last 24 hours',
  aAmountVsMean7d: "the amount relative to the payer's 7-day average",
  bInCount1h: 'payments the receiver got in the last hour',
  bInCount24h: 'payments the receiver got in the last 24 hours',
  bInCount7d: 'payments the receiver got in the last 7 days',
  bInSum24h: 'the total the receiver got in the last 24 hours',
  aFanOut7d: 'distinct accounts the payer paid in 7 days',
  bFanIn7d: 'distinct accounts that paid the receiver in 7 days',
  aFanIn7d: 'distinct accounts that paid the payer in 7 days',
  bFanOut7d: 'distinct accounts the receiver paid in 7 days',
  newCounterparty: 'the payer has never paid this receiver before',
  aInSum24h: 'the total the payer received in the last 24 hours',
  aPassthroughRatio: "the share of the payer's recent income passed straight on",
  aMinutesSinceIn: 'minutes since the payer last received money',
  aMinutesSinceOut: 'minutes since the payer last sent money',
  aBelowCount7d: "the payer's just-below-threshold payments in 7 days",
  aFormats7d: 'payment formats the payer used in 7 days',
  aCurrencies7d: 'currencies the payer used in 7 days',
  cycleHops: 'transfers in a chain that brings the money back to its origin',
  sanctionsScore: 'the best sanctions-list match of either party (0 to 1)',
  fromCountry: "the payer's country",
  toCountry: "the receiver's country",
  modelScore: 'the model score',
};

/** The facts the rule engine knows, when the service's /api/rules/facts is not at hand. */
export const KNOWN_FACTS = Object.keys(FACT_WORDS);

export const OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain'] as const;
