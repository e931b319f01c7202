import { Bar } from './bar';

/**
 * Backward-adjusted prices (the convention of CRSP and most data vendors): the latest bar keeps its
 * traded prices; every bar before a split of ratio k has prices divided by k and volume multiplied
 * by k; every bar before a dividend D going ex at bar t has prices multiplied by
 * (1 - D / close[t-1]). Returns computed this way are total returns, with no jump on event days.
 * @param bars one symbol's bars sorted by time (raw traded prices)
 * @returns new bars with adjusted open/high/low/close/volume
 */
export function adjustForCorporateActions(bars: readonly Bar[]): Bar[] {
  const n = bars.length;
  const out = bars.map((b) => ({ ...b }));
  let priceFactor = 1;
  let volumeFactor = 1;
  for (let t = n - 1; t >= 0; t--) {
    const b = out[t];
    b.open *= priceFactor;
    b.high *= priceFactor;
    b.low *= priceFactor;
    b.close *= priceFactor;
    b.volume *= volumeFactor;
    // events at t change the factor for bars strictly before t
    const raw = bars[t];
    if (raw.split != null && raw.split !== 1) {
      priceFactor /= raw.split;
      volumeFactor *= raw.split;
    }
    if (raw.dividend && t > 0) priceFactor *= 1 - raw.dividend / bars[t - 1].close;
  }
  return out;
}
