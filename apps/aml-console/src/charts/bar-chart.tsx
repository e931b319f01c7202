export interface Bar {
  label: string;
  value: number | null;
  /** Colour class: normal, alert (red), warn (amber), muted. */
  tone?: 'normal' | 'alert' | 'warn' | 'muted';
  /** Shown instead of the formatted value (e.g. "no dispositions yet"). */
  note?: string;
}

interface BarChartProps {
  title: string;
  bars: Bar[];
  format?: (v: number) => string;
  /** Scale maximum; defaults to the largest |value|. */
  max?: number;
  /** Pixel width of the label column. */
  labelWidth?: number;
  width?: number;
  /** A reference line (e.g. a threshold) with its label. */
  marker?: { value: number; label: string };
  emptyText?: string;
}

/**
 * Horizontal bars in SVG: one row per label, dense and readable at a glance. Negative values grow
 * left of a zero line. The chart's accessible name carries every value, so it reads without sight.
 */
export function BarChart({ title, bars, format = (v) => v.toLocaleString('en-US'), max, labelWidth = 170, width = 520, marker, emptyText = 'No data yet.' }: BarChartProps) {
  if (!bars.length) return <p className="empty">{emptyText}</p>;
  const row = 20;
  const height = bars.length * row + 8;
  const values = bars.map((b) => b.value ?? 0);
  const hasNegative = values.some((v) => v < 0);
  const top = max ?? Math.max(...values.map(Math.abs), marker?.value ?? 0, 1e-9);
  const plot = width - labelWidth - 70;
  const zero = labelWidth + (hasNegative ? plot / 2 : 0);
  const scale = (hasNegative ? plot / 2 : plot) / top;
  const words = bars.map((b) => `${b.label}: ${b.value === null ? (b.note ?? 'none') : format(b.value)}`).join('; ');
  return (
    <svg className="bar-chart" role="img" aria-label={`${title}. ${words}`} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title>{title}</title>
      <line x1={zero} x2={zero} y1={0} y2={height} className="axis" />
      {bars.map((b, i) => {
        const y = 4 + i * row;
        const v = b.value ?? 0;
        const w = Math.abs(v) * scale;
        const x = v < 0 ? zero - w : zero;
        return (
          <g key={b.label} className={`bar ${b.tone ?? 'normal'}`}>
            <text x={labelWidth - 6} y={y + 13} textAnchor="end" className="bar-label">
              {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
            </text>
            {b.value !== null && <rect x={x} y={y + 2} width={Math.max(w, 1)} height={row - 6} rx={2} />}
            <text x={(v < 0 ? zero : zero + w) + 4} y={y + 13} className="bar-value">
              {b.value === null ? (b.note ?? '–') : format(b.value)}
            </text>
            <title>{`${b.label}: ${b.value === null ? (b.note ?? 'none') : format(b.value)}`}</title>
          </g>
        );
      })}
      {marker && (
        <g className="marker">
          <line x1={zero + marker.value * scale} x2={zero + marker.value * scale} y1={0} y2={height} />
          <title>{marker.label}</title>
        </g>
      )}
    </svg>
  );
}
