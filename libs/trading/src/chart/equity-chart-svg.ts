/**
 * A self-contained SVG of an equity curve against its benchmark, with the deepest drawdown
 * shaded: researchers look at pictures before numbers. No fonts or scripts are fetched.
 */
export interface EquityChartInput {
  title: string;
  times: ArrayLike<number>;
  equity: ArrayLike<number>;
  benchmark?: ArrayLike<number>;
  drawdown?: { peakIndex: number; troughIndex: number };
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function equityChartSvg(input: EquityChartInput): string {
  const W = input.width ?? 800;
  const H = input.height ?? 360;
  const pad = { l: 64, r: 16, t: 32, b: 40 };
  const n = input.equity.length;
  const series = [input.equity, ...(input.benchmark ? [input.benchmark] : [])];
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(s[i])) continue;
      lo = Math.min(lo, s[i]);
      hi = Math.max(hi, s[i]);
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-12) {
    lo -= 0.5;
    hi += 0.5;
  }
  const x = (i: number) => pad.l + (n > 1 ? (i / (n - 1)) * (W - pad.l - pad.r) : 0);
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (H - pad.t - pad.b);
  const path = (s: ArrayLike<number>) => {
    let d = '';
    for (let i = 0; i < s.length; i++) d += `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(s[i]).toFixed(1)}`;
    return d;
  };
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${pad.l}" y="20" font-size="14" font-weight="bold">${esc(input.title)}</text>`);
  if (input.drawdown && input.drawdown.troughIndex > input.drawdown.peakIndex) {
    const x0 = x(input.drawdown.peakIndex);
    parts.push(`<rect x="${x0.toFixed(1)}" y="${pad.t}" width="${(x(input.drawdown.troughIndex) - x0).toFixed(1)}" height="${H - pad.t - pad.b}" fill="#f3c6c6" opacity="0.6"><title>max drawdown</title></rect>`);
  }
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${pad.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(3)}</text>`);
  }
  let lastYear = NaN;
  for (let i = 0; i < n; i++) {
    const year = new Date(input.times[i]).getUTCFullYear();
    if (year !== lastYear) {
      parts.push(`<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${H - pad.b}" y2="${H - pad.b + 4}" stroke="#333"/>`);
      parts.push(`<text x="${x(i).toFixed(1)}" y="${H - pad.b + 16}" text-anchor="middle">${year}</text>`);
      lastYear = year;
    }
  }
  if (input.benchmark) parts.push(`<path d="${path(input.benchmark)}" fill="none" stroke="#999" stroke-width="1.2" stroke-dasharray="4 3"><title>buy and hold</title></path>`);
  parts.push(`<path d="${path(input.equity)}" fill="none" stroke="#1f5fbf" stroke-width="1.6"><title>strategy</title></path>`);
  parts.push(`<text x="${W - pad.r}" y="20" text-anchor="end"><tspan fill="#1f5fbf">— strategy</tspan>${input.benchmark ? ' <tspan fill="#999">- - buy and hold</tspan>' : ''}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
