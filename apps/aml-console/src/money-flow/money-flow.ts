/** A transfer as the money-flow picture needs it. */
export interface Transfer {
  id: string;
  timestamp: string;
  from: string;
  to: string;
  amountUsd: number;
  /** An alert was raised on it (it belongs to the case). */
  flagged: boolean;
}

export interface FlowNode {
  id: string;
  /** One of the case's own accounts. */
  inCase: boolean;
  sentUsd: number;
  receivedUsd: number;
}

/** All transfers from one account to another, drawn as one arrow. */
export interface FlowEdge {
  id: string;
  from: string;
  to: string;
  count: number;
  amountUsd: number;
  flagged: boolean;
  transferIds: string[];
}

export interface MoneyFlow {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/**
 * Accounts and transfers around a case: the case's own transfers (flagged) and their neighbours'
 * transfers. Parallel transfers between the same two accounts merge into one edge; when there are
 * more accounts than `maxNodes`, the case's accounts stay and the neighbours moving the most money
 * are kept, so the picture stays readable.
 */
export function buildMoneyFlow(transfers: Transfer[], caseAccounts: string[], maxNodes = 40): MoneyFlow {
  const seen = new Set<string>();
  const unique = transfers.filter((t) => (seen.has(t.id) ? false : (seen.add(t.id), true)));
  const inCase = new Set(caseAccounts);
  const volume = new Map<string, number>();
  for (const t of unique) {
    volume.set(t.from, (volume.get(t.from) ?? 0) + t.amountUsd);
    volume.set(t.to, (volume.get(t.to) ?? 0) + t.amountUsd);
  }
  const flaggedAccounts = new Set(unique.filter((t) => t.flagged).flatMap((t) => [t.from, t.to]));
  const ranked = [...volume.keys()].sort((a, b) => rank(b) - rank(a) || a.localeCompare(b));
  function rank(id: string) {
    return (inCase.has(id) || flaggedAccounts.has(id) ? 1e18 : 0) + (volume.get(id) ?? 0);
  }
  const kept = new Set(ranked.slice(0, Math.max(maxNodes, [...volume.keys()].filter((id) => inCase.has(id) || flaggedAccounts.has(id)).length)));

  const nodes = new Map<string, FlowNode>();
  const edges = new Map<string, FlowEdge>();
  const node = (id: string) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { id, inCase: inCase.has(id), sentUsd: 0, receivedUsd: 0 }));
    return n;
  };
  for (const t of [...unique].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id))) {
    if (!kept.has(t.from) || !kept.has(t.to)) continue;
    node(t.from).sentUsd += t.amountUsd;
    node(t.to).receivedUsd += t.amountUsd;
    const key = `${t.from}->${t.to}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = { id: key, from: t.from, to: t.to, count: 0, amountUsd: 0, flagged: false, transferIds: [] }));
    e.count++;
    e.amountUsd += t.amountUsd;
    e.flagged ||= t.flagged;
    e.transferIds.push(t.id);
  }
  for (const id of caseAccounts) if (kept.has(id) || !volume.has(id)) node(id);
  return { nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)), edges: [...edges.values()] };
}
