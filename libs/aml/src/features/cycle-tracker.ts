import type { AccountHistory } from './account-history';
import { WEEK_S } from './feature-names';

/** Longest cycle detected, in transfers including the one that closes it. */
export const CYCLE_MAX_HOPS = 6;
/** Origins remembered per account; the most recently refreshed are kept. */
export const CYCLE_MAX_ORIGINS = 64;

/**
 * Money returning to its origin along time-respecting paths, tracked incrementally: each account
 * remembers which accounts' money reached it (origin -> path start, hops). On A -> B, a cycle
 * closes when A's origins hold B; then B learns A (1 hop) and A's fresh origins one hop further.
 * A learned entry replaces an existing one when its path started no earlier (and moves to the end);
 * beyond CYCLE_MAX_ORIGINS the oldest entry goes. Mirrors CycleTracker in models/aml-txn/features.py.
 *
 * @returns the cycle length in transfers (2..CYCLE_MAX_HOPS), or 0 when none closes
 */
export function observeTransfer(aKey: string, bKey: string, a: AccountHistory, b: AccountHistory, now: number): number {
  if (aKey === bKey) return 0;
  let hops = 0;
  const found = a.origins.get(bKey);
  if (found && now - found.start < WEEK_S && found.hops <= CYCLE_MAX_HOPS - 1) hops = found.hops + 1;
  const learned: Array<[string, number, number]> = [[aKey, now, 1]];
  for (const [origin, path] of a.origins) {
    if (now - path.start < WEEK_S && path.hops + 1 <= CYCLE_MAX_HOPS - 1 && origin !== bKey) {
      learned.push([origin, path.start, path.hops + 1]);
    }
  }
  const ob = b.origins;
  for (const [origin, start, h] of learned) {
    const cur = ob.get(origin);
    if (cur === undefined || start >= cur.start) {
      if (cur !== undefined) ob.delete(origin);
      ob.set(origin, { start, hops: h });
    }
  }
  while (ob.size > CYCLE_MAX_ORIGINS) ob.delete(ob.keys().next().value as string);
  return hops;
}
