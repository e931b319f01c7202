export interface Column {
  label: string;
  value: number | null;
  note?: string;
}

interface ColumnChartProps {
  title: string;
  columns: Column[];
  format?: (v: number) => string;
  max?: number;
  height?: number;
  width?: number;
  emptyText?: string;
}

/** Vertical columns over time (weeks), in SVG; missing weeks (null) are marked, not drawn as zero. */
export function ColumnChart({ title, columns, format = (v) => v.toLocaleString('en-US'), max, height = 160, width = 520, emptyText = 'No data yet.' }: ColumnChartProps) {
  if (!columns.length) return <p className="empty">{emptyText}</p>;
  const base = height - 34;
  const top = max ?? Math.max(...columns.map((c) => c.value ?? 0), 1e-9);
  const left = 48;
  const slot = (width - left - 6) / columns.length;
  const w = Math.max(4, Math.min(36, slot * 0.7));
  const words = columns.map((c) => `${c.label}: ${c.value === null ? (c.note ?? 'none') : format(c.value)}`).join('; ');
  return (
    <svg className="column-chart" role="img" aria-label={`${title}. ${words}`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title>{title}</title>
      <line x1={left - 4} x2={width - 5} y1={base} y2={base} className="axis" />
      <text x={left - 8} y={14} textAnchor="end" className="bar-value">{format(top)}</text>
      {columns.map((c, i) => {
        const x = left + i * slot + (slot - w) / 2;
        const h = c.value === null ? 0 : (c.value / top) * (base - 12);
        return (
          <g key={c.label} className={`column ${c.value === null ? 'muted' : 'normal'}`}>
            {c.value === null ? <text x={x + w / 2} y={base - 4} textAnchor="middle" className="bar-value">–</text> : <rect x={x} y={base - h} width={w} height={Math.max(h, 1)} rx={2} />}
            {c.value !== null && columns.length <= 12 && (
              <text x={x + w / 2} y={base - h - 3} textAnchor="middle" className="bar-value small">{format(c.value)}</text>
            )}
            {(columns.length <= 12 || i % Math.ceil(columns.length / 12) === 0) && (
              <text x={x + w / 2} y={base + 14} textAnchor="middle" className="bar-label small">{c.label.slice(5)}</text>
            )}
            <title>{`${c.label}: ${c.value === null ? (c.note ?? 'none') : format(c.value)}`}</title>
          </g>
        );
      })}
    </svg>
  );
}
