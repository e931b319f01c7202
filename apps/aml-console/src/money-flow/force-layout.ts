export interface Point {
  x: number;
  y: number;
}

export interface LayoutOptions {
  width: number;
  height: number;
  /** Margin kept free on every side (labels). */
  padding?: number;
  iterations?: number;
}

/**
 * A deterministic force-directed layout (Fruchterman–Reingold): nodes start on a circle in id
 * order, edges pull, all pairs push, the temperature cools linearly. No randomness, so the same
 * case always draws the same picture, and the end result is scaled into the box.
 */
export function forceLayout(nodeIds: string[], edges: Array<{ from: string; to: string }>, options: LayoutOptions): Map<string, Point> {
  const { width, height, padding = 40, iterations = 300 } = options;
  const n = nodeIds.length;
  const out = new Map<string, Point>();
  if (!n) return out;
  if (n === 1) {
    out.set(nodeIds[0], { x: width / 2, y: height / 2 });
    return out;
  }
  const index = new Map(nodeIds.map((id, i) => [id, i]));
  const pos = nodeIds.map((_, i) => ({ x: Math.cos((2 * Math.PI * i) / n), y: Math.sin((2 * Math.PI * i) / n) }));
  const links = edges.map((e) => [index.get(e.from), index.get(e.to)]).filter((l): l is [number, number] => l[0] !== undefined && l[1] !== undefined && l[0] !== l[1]);
  const k = Math.sqrt(4 / n); // ideal distance in a 2x2 box
  let t = 0.2;
  const cool = t / iterations;
  const disp = pos.map(() => ({ x: 0, y: 0 }));
  for (let it = 0; it < iterations; it++) {
    for (const d of disp) d.x = d.y = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        let dist = Math.hypot(dx, dy);
        if (dist < 1e-6) {
          // coincident nodes: push apart along a fixed, index-dependent direction
          dx = Math.cos(i + j);
          dy = Math.sin(i + j);
          dist = 1e-3;
        }
        const f = (k * k) / dist;
        disp[i].x += (dx / dist) * f;
        disp[i].y += (dy / dist) * f;
        disp[j].x -= (dx / dist) * f;
        disp[j].y -= (dy / dist) * f;
      }
    }
    for (const [a, b] of links) {
      const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const dist = Math.max(Math.hypot(dx, dy), 1e-6);
      const f = (dist * dist) / k;
      disp[a].x -= (dx / dist) * f;
      disp[a].y -= (dy / dist) * f;
      disp[b].x += (dx / dist) * f;
      disp[b].y += (dy / dist) * f;
    }
    for (let i = 0; i < n; i++) {
      // a weak pull to the centre keeps unconnected parts on screen
      disp[i].x -= pos[i].x * 0.05;
      disp[i].y -= pos[i].y * 0.05;
      const d = Math.max(Math.hypot(disp[i].x, disp[i].y), 1e-9);
      const step = Math.min(d, t);
      pos[i].x += (disp[i].x / d) * step;
      pos[i].y += (disp[i].y / d) * step;
    }
    t = Math.max(t - cool, 0.002);
  }
  const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // scale each axis into the box; an axis the nodes barely spread along (two nodes in a row) is centred
  const axis = (v: number, min: number, max: number, size: number) =>
    max - min < 1e-6 * Math.max(1, Math.abs(max)) ? size / 2 : padding + ((v - min) * (size - 2 * padding)) / (max - min);
  nodeIds.forEach((id, i) => out.set(id, { x: axis(pos[i].x, minX, maxX, width), y: axis(pos[i].y, minY, maxY, height) }));
  return out;
}
