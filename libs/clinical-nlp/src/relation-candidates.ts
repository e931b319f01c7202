/** A candidate (head, tail) pair the relation head scores. */
export interface RelationCandidate {
  head: number;
  tail: number;
  /** The four values the model reads: head first token, tail first token, head type, tail type. */
  features: [number, number, number, number];
}

/**
 * All ordered pairs of entities in one segment whose types a relation can join, in the order
 * train.py built them (heads in entity order, tails in entity order), capped at maxPairs.
 * @param entities - type and first token of each entity in the segment.
 * @param entityTypes - type names in model order.
 * @param signatures - head type -> tail types.
 * @param maxPairs - the cap used in training.
 * @returns candidates referring to entity indices.
 */
export function relationCandidates(
  entities: Array<{ type: string; firstToken: number }>,
  entityTypes: string[],
  signatures: Record<string, string[]>,
  maxPairs: number,
): RelationCandidate[] {
  const out: RelationCandidate[] = [];
  entities.forEach((h, hi) => {
    entities.forEach((t, ti) => {
      if (hi === ti || !(signatures[h.type] ?? []).includes(t.type)) return;
      out.push({ head: hi, tail: ti, features: [h.firstToken, t.firstToken, entityTypes.indexOf(h.type), entityTypes.indexOf(t.type)] });
    });
  });
  return out.slice(0, maxPairs);
}
