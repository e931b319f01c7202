import type { TokenSpan } from './tokenizer';

/** An entity decoded from BIO tags, before ids, assertion and codes are attached. */
export interface DecodedSpan {
  start: number;
  end: number;
  type: string;
  /** Index of its first token in the segment (the relation head reads that position). */
  firstToken: number;
}

/**
 * BIO tags to spans, as train.py decodes them: an I- tag that does not continue an open entity of
 * the same type starts a new one (so a lone I- is not lost).
 * @param tagIds - argmax tag per token.
 * @param spans - the tokens' character spans.
 * @param tags - tag names in model output order ("O", "B-PROBLEM", "I-PROBLEM", ...).
 * @returns the spans in order.
 */
export function decodeBio(tagIds: ArrayLike<number>, spans: TokenSpan[], tags: string[]): DecodedSpan[] {
  const out: DecodedSpan[] = [];
  let cur: DecodedSpan | undefined;
  for (let i = 0; i < spans.length; i++) {
    const label = tags[tagIds[i]];
    if (label === 'O') {
      if (cur) out.push(cur);
      cur = undefined;
      continue;
    }
    const prefix = label.slice(0, 1);
    const type = label.slice(2);
    if (prefix === 'B' || !cur || cur.type !== type) {
      if (cur) out.push(cur);
      cur = { start: spans[i].start, end: spans[i].end, type, firstToken: i };
    } else {
      cur.end = spans[i].end;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * @param logits - flat [tokens x classes] scores.
 * @param classes - number of classes.
 * @returns the argmax per row.
 */
export function argmaxRows(logits: Float32Array, classes: number): Int32Array {
  const n = logits.length / classes;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    let bv = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = logits[r * classes + c];
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}
