import { PAYMENT_FORMATS } from '../transaction';

/**
 * The aml-txn model's input features, in order (card preprocessing.features). Definitions live in
 * models/aml-txn/features.py (the reference used for training); feature-extractor.ts computes the
 * same values incrementally and a fixture test checks both agree.
 */
export const FEATURE_NAMES: readonly string[] = [
  'log_amount',
  'round_amount',
  'below_threshold',
  'cross_currency',
  'cross_bank',
  'self_transfer',
  ...PAYMENT_FORMATS.map((f) => `fmt_${f.toLowerCase().replace(/ /g, '_')}`),
  'a_out_count_1h',
  'a_out_count_24h',
  'a_out_count_7d',
  'a_out_sum_24h',
  'a_amount_vs_mean_7d',
  'b_in_count_1h',
  'b_in_count_24h',
  'b_in_count_7d',
  'b_in_sum_24h',
  'a_fan_out_7d',
  'b_fan_in_7d',
  'a_fan_in_7d',
  'b_fan_out_7d',
  'new_counterparty',
  'a_in_sum_24h',
  'a_passthrough_24h',
  'a_mins_since_in',
  'a_mins_since_out',
  'a_below_count_7d',
  'a_formats_7d',
  'a_currencies_7d',
  'cycle_hops',
  'b_new_senders_24h',
  'a_in_count_24h',
];

export const HOUR_S = 3600;
export const DAY_S = 86400;
export const WEEK_S = 7 * DAY_S;
/** Just-below-threshold band in US dollars: structuring keeps deposits under 10,000. */
export const BELOW_THRESHOLD_USD: readonly [number, number] = [8500, 10000];
export const MAX_GAP_MINUTES = 10080;
