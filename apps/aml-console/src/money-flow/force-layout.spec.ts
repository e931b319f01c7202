import { forceLayout } from './force-layout';

const ring = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`);

describe('forceLayout', () => {
  const ids = [...ring(6), 'x1', 'x2', 'x3'];
  const edges = [
    ...ring(6).map((id, i, all) => ({ from: id, to: all[(i + 1) % all.length] })),
    { from: 'x1', to: 'x2' },
    { from: 'x2', to: 'x3' },
  ];

  it('is deterministic', () => {
    const a = forceLayout(ids, edges, { width: 600, height: 400 });
    const b = forceLayout([...ids], [...edges], { width: 600, height: 400 });
    expect([...a.entries()]).toEqual([...b.entries()]);
  });

  it('keeps every node inside the box, away from the others', () => {
    const p = forceLayout(ids, edges, { width: 600, height: 400, padding: 30 });
    const pts = [...p.values()];
    for (const q of pts) {
      expect(q.x).toBeGreaterThanOrEqual(30 - 1e-6);
      expect(q.x).toBeLessThanOrEqual(570 + 1e-6);
      expect(q.y).toBeGreaterThanOrEqual(30 - 1e-6);
      expect(q.y).toBeLessThanOrEqual(370 + 1e-6);
    }
    let min = Infinity;
    for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) min = Math.min(min, Math.hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y));
    expect(min).toBeGreaterThan(20);
  });

  it('draws linked accounts closer together than unlinked ones', () => {
    const p = forceLayout(ids, edges, { width: 600, height: 600 });
    const at = (id: string) => p.get(id) ?? { x: NaN, y: NaN };
    const d = (a: string, b: string) => Math.hypot(at(a).x - at(b).x, at(a).y - at(b).y);
    const linked = edges.map((e) => d(e.from, e.to));
    const unlinked = ring(6).flatMap((a) => ['x1', 'x2', 'x3'].map((x) => d(a, x)));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(linked)).toBeLessThan(mean(unlinked));
  });

  it('handles no node, one node and coincident starts', () => {
    expect(forceLayout([], [], { width: 100, height: 100 }).size).toBe(0);
    expect(forceLayout(['solo'], [], { width: 100, height: 80 }).get('solo')).toEqual({ x: 50, y: 40 });
    const two = forceLayout(['a', 'b'], [{ from: 'a', to: 'b' }], { width: 200, height: 100, padding: 20 });
    expect(two.get('a')).not.toEqual(two.get('b'));
    // two nodes lie on a line: that line is centred, not pushed against an edge of the box
    const [a, b] = [two.get('a'), two.get('b')] as Array<{ x: number; y: number }>;
    expect(Math.abs(a.y - b.y) < 1e-6 ? a.y : Math.abs(a.x - b.x) < 1e-6 ? a.x - 50 : 50).toBeCloseTo(50);
  });
});
