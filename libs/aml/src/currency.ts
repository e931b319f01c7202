/**
 * Conversion of AMLworld currency names to US dollars, the single unit in which amount features
 * and thresholds are expressed. Same table as the aml-txn card's preprocessing.usdRates (a test
 * checks they agree): approximate 2022 rates, fixed so that features are reproducible.
 */
export const USD_RATES: Readonly<Record<string, number>> = {
  'US Dollar': 1.0,
  Euro: 1.0,
  'UK Pound': 1.17,
  'Swiss Franc': 1.03,
  Yuan: 0.145,
  Yen: 0.007,
  Rupee: 0.0123,
  'Australian Dollar': 0.68,
  'Canadian Dollar': 0.75,
  'Mexican Peso': 0.05,
  Ruble: 0.0165,
  Shekel: 0.29,
  'Brazil Real': 0.19,
  'Saudi Riyal': 0.266,
  Bitcoin: 20000.0,
};

/** ISO 4217 codes (ISO 20022 messages) to AMLworld's currency names. */
export const ISO_CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'US Dollar',
  EUR: 'Euro',
  GBP: 'UK Pound',
  CHF: 'Swiss Franc',
  CNY: 'Yuan',
  JPY: 'Yen',
  INR: 'Rupee',
  AUD: 'Australian Dollar',
  CAD: 'Canadian Dollar',
  MXN: 'Mexican Peso',
  RUB: 'Ruble',
  ILS: 'Shekel',
  BRL: 'Brazil Real',
  SAR: 'Saudi Riyal',
  XBT: 'Bitcoin',
  BTC: 'Bitcoin',
};

export class UnknownCurrencyError extends Error {
  constructor(readonly currency: string) {
    super(`Unknown currency "${currency}"; known: ${Object.keys(USD_RATES).join(', ')} (or ISO codes ${Object.keys(ISO_CURRENCY_NAMES).join(', ')})`);
  }
}

/** AMLworld name for a currency given by name or ISO code; throws UnknownCurrencyError otherwise. */
export function currencyName(currency: string): string {
  if (currency in USD_RATES) return currency;
  const iso = ISO_CURRENCY_NAMES[currency.toUpperCase()];
  if (iso) return iso;
  throw new UnknownCurrencyError(currency);
}

/** Converts an amount to US dollars. */
export function toUsd(amount: number, currency: string): number {
  const rate = USD_RATES[currency];
  if (rate === undefined) throw new UnknownCurrencyError(currency);
  return amount * rate;
}
