import { useMemo, useState, type KeyboardEvent } from 'react';
import { formatUsd } from '../layout/format';
import { forceLayout } from './force-layout';
import type { FlowEdge, MoneyFlow } from './money-flow';

const WIDTH = 640;
/** Taller for busy neighbourhoods, so accounts do not pile up on each other. */
const heightFor = (nodes: number) => (nodes > 24 ? 520 : nodes > 10 ? 440 : nodes > 4 ? 340 : 240);

/**
 * The money flow around a case: accounts as circles, transfers as arrows whose width grows with
 * the amount. The case's own (alerted) transfers are red; hovering or focusing an account lights
 * up its transfers and fades the rest, clicking (or Enter) pins it and lists its transfers.
 */
export function MoneyFlowGraph({ flow, onSelect }: { flow: MoneyFlow; onSelect?: (account: string | null) => void }) {
  const [hover, setHover] = useState<string | null>(null);
  const [pinned, setPinned] = useState<string | null>(null);
  const focus = hover ?? pinned;
  const HEIGHT = heightFor(flow.nodes.length);
  const pos = useMemo(() => forceLayout(flow.nodes.map((n) => n.id), flow.edges, { width: WIDTH, height: heightFor(flow.nodes.length), padding: 48 }), [flow]);
  // with many accounts only the case's own and the one in focus are labelled; the rest say who they are on hover
  const labelAll = flow.nodes.length <= 12;
  const onPattern = useMemo(() => new Set(flow.edges.filter((e) => e.flagged).flatMap((e) => [e.from, e.to])), [flow]);
  const maxAmount = Math.max(...flow.edges.map((e) => e.amountUsd), 1);
  const touches = (e: FlowEdge, id: string) => e.from === id || e.to === id;
  const neighbours = useMemo(() => {
    if (!focus) return null;
    return new Set(flow.edges.filter((e) => touches(e, focus)).flatMap((e) => [e.from, e.to]));
  }, [focus, flow]);

  const pin = (id: string) => {
    const next = pinned === id ? null : id;
    setPinned(next);
    onSelect?.(next);
  };
  const key = (e: KeyboardEvent, id: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pin(id);
    } else if (e.key === 'Escape') {
      setPinned(null);
      onSelect?.(null);
    }
  };

  if (!flow.nodes.length) return <p className="empty">No transfers to draw.</p>;
  const flagged = flow.edges.filter((e) => e.flagged).length;
  return (
    <svg
      className="money-flow"
      role="group"
      aria-label={`Money flow graph: ${flow.nodes.length} accounts, ${flow.edges.length} transfer links, ${flagged} in the suspicious pattern`}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      data-testid="money-flow"
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="arrow-normal" />
        </marker>
        <marker id="arrow-flagged" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="arrow-flagged" />
        </marker>
      </defs>
      {flow.edges.map((e) => {
        const a = pos.get(e.from), b = pos.get(e.to);
        if (!a || !b) return null;
        const dx = b.x - a.x, dy = b.y - a.y;
        const len = Math.max(Math.hypot(dx, dy), 1);
        const r = 13;
        // stop the arrow at the circle's edge; bend it a little so A->B and B->A do not overlap
        const [x1, y1, x2, y2] = [a.x + (dx / len) * r, a.y + (dy / len) * r, b.x - (dx / len) * (r + 2), b.y - (dy / len) * (r + 2)];
        const cx = (x1 + x2) / 2 - (dy / len) * 18, cy = (y1 + y2) / 2 + (dx / len) * 18;
        const lit = focus ? touches(e, focus) : false;
        const dim = focus !== null && !lit;
        return (
          <path
            key={e.id}
            d={`M${x1},${y1} Q${cx},${cy} ${x2},${y2}`}
            className={`edge${e.flagged ? ' flagged' : ''}${lit ? ' lit' : ''}${dim ? ' dim' : ''}`}
            strokeWidth={1.2 + 4 * Math.sqrt(e.amountUsd / maxAmount)}
            markerEnd={e.flagged ? 'url(#arrow-flagged)' : 'url(#arrow)'}
            data-flagged={e.flagged ? 'true' : 'false'}
          >
            <title>{`${e.from} → ${e.to}: ${e.count} transfer${e.count > 1 ? 's' : ''}, ${formatUsd(e.amountUsd)}${e.flagged ? ' (alerted)' : ''}`}</title>
          </path>
        );
      })}
      {flow.nodes.map((n) => {
        const p = pos.get(n.id);
        if (!p) return null;
        const dim = neighbours !== null && !neighbours.has(n.id);
        return (
          <g
            key={n.id}
            transform={`translate(${p.x},${p.y})`}
            className={`node${n.inCase ? ' in-case' : ''}${focus === n.id ? ' focus' : ''}${dim ? ' dim' : ''}`}
            role="button"
            tabIndex={0}
            aria-pressed={pinned === n.id}
            aria-label={`Account ${n.id}${n.inCase ? ' (in this case)' : ''}: sent ${formatUsd(n.sentUsd)}, received ${formatUsd(n.receivedUsd)}`}
            onMouseEnter={() => setHover(n.id)}
            onMouseLeave={() => setHover(null)}
            onFocus={() => setHover(n.id)}
            onBlur={() => setHover(null)}
            onClick={() => pin(n.id)}
            onKeyDown={(e) => key(e, n.id)}
          >
            <circle r={n.inCase ? 13 : labelAll ? 10 : 7} />
            {(labelAll || n.inCase || onPattern.has(n.id) || focus === n.id) && (
              <text y={n.inCase ? 26 : 20} textAnchor="middle" className="node-label">
                {shortAccount(n.id)}
              </text>
            )}
            <title>{`${n.id}: sent ${formatUsd(n.sentUsd)}, received ${formatUsd(n.receivedUsd)}`}</title>
          </g>
        );
      })}
    </svg>
  );
}

/** "011:8000ECA70" -> "011:8000E…" keeps labels from colliding. */
function shortAccount(id: string) {
  return id.length > 13 ? `${id.slice(0, 12)}…` : id;
}
