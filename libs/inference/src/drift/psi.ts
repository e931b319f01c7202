import type { ReferenceHistogram } from '../registry/card';

/** Avoids log(0) for bins that one side never saw; the usual choice in credit-risk practice. */
const EPS = 1e-4;

/** Index of the bin holding `v` given inner cut points (bin i covers (edges[i-1], edges[i]]). */
export function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v > edges[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Population stability index: sum over bins of (a - e) * ln(a / e), with a and e the actual and
 * expected fractions. Rule of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 major shift.
 */
export function psi(expected: readonly number[], counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (!total) return 0;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Math.max(counts[i] / total, EPS);
    const e = Math.max(expected[i], EPS);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Counts of observed values in a reference histogram's bins. */
export class BinCounter {
  readonly counts: Float64Array;
  constructor(readonly reference: ReferenceHistogram) {
    this.counts = new Float64Array(reference.fractions.length);
  }
  add(v: number) {
    if (Number.isFinite(v)) this.counts[binOf(this.reference.edges, v)]++;
  }
  get n() {
    let t = 0;
    for (const c of this.counts) t += c;
    return t;
  }
  psi() {
    return psi(this.reference.fractions, this.counts);
  }
  reset() {
    this.counts.fill(0);
  }
}
