import { CtVolume, Vec3 } from './ct-volume';
import { Lobe, LungExtents, lobeAt } from './lobe';
import { SeededRandom } from './seeded-random';

/**
 * Seeded chest CT phantom: body with fat and ribs, spine, heart, two lungs with domed diaphragms,
 * trachea and bronchial tree, branching pulmonary vessels (the main source of false positives),
 * Gaussian noise, and nodules of every type and size, isolated, juxtapleural and juxtavascular.
 * Everything is drawn analytically with partial-volume edges so that thick slices blur as on a scanner.
 */
export const NoduleType = {
  solid: 'solid',
  'part-solid': 'part-solid (ground glass with a solid component)',
  'ground-glass': 'pure ground glass',
} as const;
export type NoduleType = keyof typeof NoduleType;
export const NODULE_TYPES: readonly NoduleType[] = ['solid', 'part-solid', 'ground-glass'];

export type NoduleSite = 'isolated' | 'juxtapleural' | 'juxtavascular';

export interface PhantomNodule {
  id: number;
  centerMm: Vec3;
  /** Lung-RADS mean diameter: mean of long and short axis in the axial plane */
  diameterMm: number;
  longAxisMm: number;
  shortAxisMm: number;
  volumeMm3: number;
  type: NoduleType;
  /** mean diameter of the solid core (part-solid only) */
  solidDiameterMm?: number;
  site: NoduleSite;
  lobe: Lobe;
  hu: number;
}

export interface NoduleRequest {
  type?: NoduleType;
  diameterMm?: number;
  site?: NoduleSite;
  /** grow an earlier study's nodule: place this one at exactly this centre */
  centerMm?: Vec3;
  solidFraction?: number;
}

export interface PhantomOptions {
  seed: number;
  matrix?: number;
  fovMm?: number;
  sliceThicknessMm?: number;
  /** number of slices; default covers the chest (~300 mm) */
  slices?: number;
  noiseHu?: number;
  /** how many random nodules to add (ignored when `nodules` is given) */
  noduleCount?: number;
  nodules?: NoduleRequest[];
  /** anatomy seed (defaults to seed): keep it fixed to image the same patient twice */
  anatomySeed?: number;
}

export interface Phantom {
  volume: CtVolume;
  nodules: PhantomNodule[];
  lungExtents: LungExtents;
  noiseHu: number;
}

interface Segment {
  a: Vec3;
  b: Vec3;
  ra: number;
  rb: number;
}

interface Anatomy {
  sc: number;
  bx: number;
  by: number;
  zBase: number;
  height: number;
  lungs: { side: -1 | 1; cx: number; cy: number; ax: number; ay: number }[];
  heart: { c: Vec3; r: Vec3 };
  dome: number;
}

const LUNG_HU = -860;
const TISSUE_HU = 40;
const FAT_HU = -100;
const BONE_HU = 550;
const BLOOD_HU = 40;

export function generatePhantom(opts: PhantomOptions): Phantom {
  const rnd = new SeededRandom(opts.seed);
  const anatomyRnd = new SeededRandom(opts.anatomySeed ?? opts.seed);
  const matrix = opts.matrix ?? 256;
  const fov = opts.fovMm ?? 360;
  const sz = opts.sliceThicknessMm ?? 1.25;
  const px = fov / matrix;
  const nz = opts.slices ?? Math.round(300 / sz);
  const noise = opts.noiseHu ?? 25;
  const zExtent = nz * sz;

  const sc = anatomyRnd.uniform(0.9, 1.04);
  const height = Math.min(zExtent * 0.82, anatomyRnd.uniform(215, 245) * sc);
  const zBase = Math.max(5, (zExtent - height) * 0.45);
  const anat: Anatomy = {
    sc,
    bx: 150 * sc,
    by: 108 * sc,
    zBase,
    height,
    dome: 40 * sc,
    lungs: [
      { side: -1, cx: -68 * sc, cy: 6 * sc, ax: 52 * sc, ay: 78 * sc },
      { side: 1, cx: 68 * sc, cy: 6 * sc, ax: 49 * sc, ay: 78 * sc },
    ],
    heart: { c: [14 * sc, -24 * sc, zBase + 48 * sc], r: [60 * sc, 46 * sc, 58 * sc] },
  };

  const nx = matrix;
  const ny = matrix;
  const work = new Float32Array(nx * ny * nz);
  const lungMask = new Uint8Array(nx * ny * nz);
  const xs = new Float64Array(nx).map((_, i) => -fov / 2 + (i + 0.5) * px);
  const ys = new Float64Array(ny).map((_, j) => -fov / 2 + (j + 0.5) * px);
  const zOf = (k: number) => k * sz;

  // 1. body, fat, ribs, spine, lungs
  const ribPhase = anatomyRnd.uniform(0, 28);
  for (let k = 0; k < nz; k++) {
    const z = zOf(k);
    for (let j = 0; j < ny; j++) {
      const y = ys[j];
      for (let i = 0; i < nx; i++) {
        const x = xs[i];
        const idx = i + nx * (j + ny * k);
        const q = Math.sqrt((x / anat.bx) ** 2 + (y / anat.by) ** 2);
        if (q > 1) {
          work[idx] = -1000;
          continue;
        }
        let v = q > 1 - 15 / anat.bx ? FAT_HU : TISSUE_HU;
        if (q > 0.84 && q < 0.88) {
          const theta = Math.atan2(y / anat.by, x / anat.bx);
          const zr = z - anat.zBase + 14 * Math.sin(theta) + ribPhase;
          if (((zr % 28) + 28) % 28 < 9) v = BONE_HU;
        }
        if ((x / (16 * sc)) ** 2 + ((y - 78 * sc) / (16 * sc)) ** 2 < 1) v = 300;
        if (inLung(anat, x, y, z)) {
          lungMask[idx] = 1;
          const u = (y + 80) / 170;
          v = LUNG_HU + 35 * u; // dependent (posterior) lung is denser
        }
        work[idx] = v;
      }
    }
  }

  const grid = { nx, ny, nz, px, sz, fov };
  const voxelW = (px + px + sz) / 3;

  // 2. vessels (drawn only inside the lungs; in the mediastinum they would be invisible anyway)
  const vessels: Segment[] = [];
  for (const lung of anat.lungs) {
    const hilum: Vec3 = [lung.side * 30 * sc, 2 * sc, anat.zBase + 0.52 * anat.height];
    const roots: Vec3[] = [
      [lung.side, 0.1, 0.9],
      [lung.side, -0.6, 0.2],
      [lung.side, 0.7, 0.1],
      [lung.side, 0.2, -0.8],
      [lung.side * 0.6, -0.5, -0.6],
    ];
    for (const dir of roots) growVessel(anatomyRnd, anat, hilum, normalize(dir), 5.2 * sc, 0, vessels);
  }
  for (const s of vessels) paintTube(work, lungMask, grid, s, BLOOD_HU, voxelW, 'max');

  // 3. trachea and bronchi: air lumen with a soft-tissue wall
  const carina: Vec3 = [0, -4 * sc, anat.zBase + 0.64 * anat.height];
  const airways: Segment[] = [{ a: [0, -8 * sc, zExtent + 20], b: carina, ra: 9 * sc, rb: 8 * sc }];
  for (const lung of anat.lungs) {
    const hil: Vec3 = [lung.side * 34 * sc, 0, anat.zBase + 0.56 * anat.height];
    airways.push({ a: carina, b: hil, ra: 6.5 * sc, rb: 5.5 * sc });
    for (const dir of [
      [lung.side, 0.2, 0.8],
      [lung.side, -0.5, -0.3],
      [lung.side, 0.6, -0.5],
    ] as Vec3[]) {
      growAirway(anatomyRnd, anat, hil, normalize(dir), 4.2 * sc, 0, airways);
    }
  }
  for (const s of airways) {
    const wall = { ...s, ra: s.ra * 1.3 + 0.6, rb: s.rb * 1.3 + 0.6 };
    paintTube(work, null, grid, wall, TISSUE_HU - 20, voxelW, 'max');
  }
  for (const s of airways) paintTube(work, null, grid, s, -1000, voxelW, 'min');

  // 4. nodules
  const extents: LungExtents = {
    midlineX: 0,
    right: lungExtent(anat, anat.lungs[0]),
    left: lungExtent(anat, anat.lungs[1]),
  };
  const requests: NoduleRequest[] =
    opts.nodules ?? Array.from({ length: opts.noduleCount ?? rnd.int(2, 7) }, () => ({}) as NoduleRequest);
  const nodules: PhantomNodule[] = [];
  for (const req of requests) {
    const n = placeNodule(rnd, anat, vessels, nodules, req, extents);
    if (!n) continue;
    nodules.push(n.nodule);
    paintNodule(work, grid, n, voxelW);
  }

  // 5. noise, quantisation to integer HU
  const hu = new Int16Array(work.length);
  for (let p = 0; p < work.length; p++) {
    const v = Math.round(work[p] + noise * rnd.normal());
    hu[p] = v < -1024 ? -1024 : v > 3071 ? 3071 : v;
  }

  const volume: CtVolume = {
    dims: [nx, ny, nz],
    spacing: [px, px, sz],
    origin: [xs[0], ys[0], zOf(0)],
    rowDir: [1, 0, 0],
    colDir: [0, 1, 0],
    sliceDir: [0, 0, 1],
    hu,
  };
  return { volume, nodules, lungExtents: extents, noiseHu: noise };
}

function inLung(a: Anatomy, x: number, y: number, z: number): boolean {
  const t = (z - a.zBase) / a.height;
  if (t < 0 || t > 1) return false;
  const f = t < 0.4 ? 1 : Math.sqrt(Math.max(0, 1 - ((t - 0.4) / 0.6) ** 2));
  for (const l of a.lungs) {
    const r2 = ((x - l.cx) / l.ax) ** 2 + ((y - l.cy) / l.ay) ** 2;
    if (r2 > f * f) continue;
    if (z < a.zBase + a.dome * (1 - r2)) continue;
    const h = a.heart;
    if (((x - h.c[0]) / h.r[0]) ** 2 + ((y - h.c[1]) / h.r[1]) ** 2 + ((z - h.c[2]) / h.r[2]) ** 2 < 1) return false;
    return true;
  }
  return false;
}

function lungExtent(a: Anatomy, l: Anatomy['lungs'][number]) {
  return { yMin: l.cy - l.ay, yMax: l.cy + l.ay, zMin: a.zBase, zMax: a.zBase + a.height };
}

function growVessel(rnd: SeededRandom, a: Anatomy, start: Vec3, dir: Vec3, r: number, depth: number, out: Segment[]) {
  if (r < 0.7 || depth > 8) return;
  const len = 9 + 6 * r + rnd.uniform(-3, 3);
  let end = add(start, scale(dir, len));
  // stop at the pleura: shorten to the last point inside the lung
  let steps = 0;
  while (!inLung(a, ...end) && steps < 8) {
    end = add(start, scale(dir, len * (1 - (steps + 1) / 9)));
    steps++;
  }
  if (!inLung(a, ...end) && depth > 0) return;
  const rEnd = r * 0.92;
  out.push({ a: start, b: end, ra: r, rb: rEnd });
  const children = rnd.next() < 0.2 ? 3 : 2;
  for (let c = 0; c < children; c++) {
    const cr = rEnd * rnd.uniform(0.66, 0.82);
    const nd = normalize(add(rotateRandom(rnd, dir, rnd.uniform(0.35, 0.75)), scale(dir, 0.25)));
    growVessel(rnd, a, end, nd, cr, depth + 1, out);
  }
}

function growAirway(rnd: SeededRandom, a: Anatomy, start: Vec3, dir: Vec3, r: number, depth: number, out: Segment[]) {
  if (r < 1.0 || depth > 4) return;
  const len = 12 + 5 * r;
  const end = add(start, scale(dir, len));
  if (!inLung(a, ...end) && depth > 0) return;
  out.push({ a: start, b: end, ra: r, rb: r * 0.9 });
  for (let c = 0; c < 2; c++) {
    growAirway(rnd, a, end, normalize(rotateRandom(rnd, dir, rnd.uniform(0.3, 0.6))), r * 0.72, depth + 1, out);
  }
}

interface Grid {
  nx: number;
  ny: number;
  nz: number;
  px: number;
  sz: number;
  fov: number;
}

function paintTube(work: Float32Array, mask: Uint8Array | null, g: Grid, s: Segment, value: number, w: number, mode: 'max' | 'min') {
  const rMax = Math.max(s.ra, s.rb) + w;
  const lo = [Math.min(s.a[0], s.b[0]) - rMax, Math.min(s.a[1], s.b[1]) - rMax, Math.min(s.a[2], s.b[2]) - rMax];
  const hi = [Math.max(s.a[0], s.b[0]) + rMax, Math.max(s.a[1], s.b[1]) + rMax, Math.max(s.a[2], s.b[2]) + rMax];
  const i0 = Math.max(0, Math.floor((lo[0] + g.fov / 2) / g.px));
  const i1 = Math.min(g.nx - 1, Math.ceil((hi[0] + g.fov / 2) / g.px));
  const j0 = Math.max(0, Math.floor((lo[1] + g.fov / 2) / g.px));
  const j1 = Math.min(g.ny - 1, Math.ceil((hi[1] + g.fov / 2) / g.px));
  const k0 = Math.max(0, Math.floor(lo[2] / g.sz));
  const k1 = Math.min(g.nz - 1, Math.ceil(hi[2] / g.sz));
  const d = sub(s.b, s.a);
  const len2 = Math.max(1e-9, dot(d, d));
  for (let k = k0; k <= k1; k++) {
    const z = k * g.sz;
    for (let j = j0; j <= j1; j++) {
      const y = -g.fov / 2 + (j + 0.5) * g.px;
      for (let i = i0; i <= i1; i++) {
        const idx = i + g.nx * (j + g.ny * k);
        if (mask && !mask[idx]) continue;
        const x = -g.fov / 2 + (i + 0.5) * g.px;
        const px = x - s.a[0];
        const py = y - s.a[1];
        const pz = z - s.a[2];
        let t = (px * d[0] + py * d[1] + pz * d[2]) / len2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const dx = px - t * d[0];
        const dy = py - t * d[1];
        const dz = pz - t * d[2];
        const dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
        const r = s.ra + (s.rb - s.ra) * t;
        const alpha = 0.5 - (dist - r) / w;
        if (alpha <= 0) continue;
        const a = alpha > 1 ? 1 : alpha;
        const cur = work[idx];
        const v = cur + (value - cur) * a;
        work[idx] = mode === 'max' ? Math.max(cur, v) : Math.min(cur, v);
      }
    }
  }
}

interface PlacedNodule {
  nodule: PhantomNodule;
  semi: Vec3;
  angle: number;
  lobulation: number;
  lobPhase: number;
  solidFraction: number;
}

function placeNodule(
  rnd: SeededRandom,
  a: Anatomy,
  vessels: Segment[],
  placed: PhantomNodule[],
  req: NoduleRequest,
  extents: LungExtents,
): PlacedNodule | null {
  const type: NoduleType = req.type ?? (rnd.next() < 0.5 ? 'solid' : rnd.next() < 0.6 ? 'ground-glass' : 'part-solid');
  const minD = type === 'solid' ? 4 : type === 'ground-glass' ? 5 : 7;
  const diameter = req.diameterMm ?? Math.exp(rnd.uniform(Math.log(minD), Math.log(26)));
  const site: NoduleSite = req.site ?? (rnd.next() < 0.5 ? 'isolated' : rnd.next() < 0.5 ? 'juxtapleural' : 'juxtavascular');
  const r = diameter / 2;
  const ea = r * rnd.uniform(0.88, 1.12);
  const eb = 2 * r - ea; // keep the axial mean diameter exactly at `diameter`
  const ec = r * rnd.uniform(0.85, 1.15);
  const angle = rnd.uniform(0, Math.PI);
  const solidFraction = type === 'part-solid' ? (req.solidFraction ?? rnd.uniform(0.3, 0.6)) : type === 'solid' ? 1 : 0;
  const hu = type === 'solid' ? rnd.uniform(10, 60) : rnd.uniform(-650, -470);

  let center: Vec3 | null = req.centerMm ?? null;
  for (let attempt = 0; !center && attempt < 400; attempt++) {
    const lung = rnd.pick(a.lungs);
    const p: Vec3 = [
      lung.cx + rnd.uniform(-1, 1) * lung.ax,
      lung.cy + rnd.uniform(-1, 1) * lung.ay,
      a.zBase + rnd.uniform(0.12, 0.88) * a.height,
    ];
    if (!inLung(a, ...p)) continue;
    let c: Vec3 | null = null;
    if (site === 'isolated') {
      if (sphereInside(a, p, r + 4)) c = p;
    } else if (site === 'juxtapleural') {
      const th = rnd.uniform(0, 2 * Math.PI);
      const dir: Vec3 = [Math.cos(th), Math.sin(th), 0];
      let b = p;
      for (let s = 0; s < 200 && inLung(a, ...add(b, dir)); s++) b = add(b, dir);
      const cc = add(b, scale(dir, -r * 0.6));
      if (inLung(a, ...cc) && inLung(a, ...add(cc, scale(dir, -r - 2)))) c = cc;
    } else {
      const candidates = vessels.filter((v) => v.ra >= 1.4 && v.ra <= 4.5);
      if (!candidates.length) continue;
      const v = rnd.pick(candidates);
      const t = rnd.uniform(0.2, 0.8);
      const onAxis = add(v.a, scale(sub(v.b, v.a), t));
      const axis = normalize(sub(v.b, v.a));
      const perp = normalize(cross(axis, rotateRandom(rnd, axis, 1.2)));
      const rv = v.ra + (v.rb - v.ra) * t;
      const cc = add(onAxis, scale(perp, rv + r * 0.8));
      if (sphereInside(a, cc, r + 1)) c = cc;
    }
    if (!c) continue;
    if (placed.some((o) => Math.hypot(o.centerMm[0] - c![0], o.centerMm[1] - c![1], o.centerMm[2] - c![2]) < o.diameterMm / 2 + r + 8)) continue;
    center = c;
  }
  if (!center) return null;
  const volume = (4 / 3) * Math.PI * ea * eb * ec;
  const nodule: PhantomNodule = {
    id: placed.length + 1,
    centerMm: center.map((v) => Math.round(v * 100) / 100) as Vec3,
    diameterMm: round1(ea + eb),
    longAxisMm: round1(2 * Math.max(ea, eb)),
    shortAxisMm: round1(2 * Math.min(ea, eb)),
    volumeMm3: Math.round(volume),
    type,
    solidDiameterMm: type === 'part-solid' ? round1((ea + eb) * solidFraction) : undefined,
    site,
    lobe: lobeAt(center, extents),
    hu: Math.round(hu),
  };
  return {
    nodule,
    semi: [ea, eb, ec],
    angle,
    lobulation: type === 'solid' ? rnd.uniform(0, 0.1) : rnd.uniform(0, 0.05),
    lobPhase: rnd.uniform(0, 2 * Math.PI),
    solidFraction,
  };
}

function sphereInside(a: Anatomy, c: Vec3, r: number): boolean {
  if (!inLung(a, ...c)) return false;
  for (let t = 0; t < 14; t++) {
    const phi = (t / 14) * 2 * Math.PI;
    const el = ((t % 3) - 1) * 0.7;
    const d: Vec3 = [Math.cos(phi) * Math.cos(el), Math.sin(phi) * Math.cos(el), Math.sin(el)];
    if (!inLung(a, ...add(c, scale(d, r)))) return false;
  }
  return true;
}

function paintNodule(work: Float32Array, g: Grid, p: PlacedNodule, w: number) {
  const [ea, eb, ec] = p.semi;
  const rMax = Math.max(ea, eb, ec) * (1 + p.lobulation) + w;
  const c = p.nodule.centerMm;
  const cos = Math.cos(p.angle);
  const sin = Math.sin(p.angle);
  const meanR = (ea + eb + ec) / 3;
  const i0 = Math.max(0, Math.floor((c[0] - rMax + g.fov / 2) / g.px));
  const i1 = Math.min(g.nx - 1, Math.ceil((c[0] + rMax + g.fov / 2) / g.px));
  const j0 = Math.max(0, Math.floor((c[1] - rMax + g.fov / 2) / g.px));
  const j1 = Math.min(g.ny - 1, Math.ceil((c[1] + rMax + g.fov / 2) / g.px));
  const k0 = Math.max(0, Math.floor((c[2] - rMax) / g.sz));
  const k1 = Math.min(g.nz - 1, Math.ceil((c[2] + rMax) / g.sz));
  const solidHu = p.nodule.type === 'solid' ? p.nodule.hu : 30;
  const ggoHu = p.nodule.type === 'solid' ? p.nodule.hu : p.nodule.hu;
  for (let k = k0; k <= k1; k++) {
    const z = k * g.sz - c[2];
    for (let j = j0; j <= j1; j++) {
      const y = -g.fov / 2 + (j + 0.5) * g.px - c[1];
      for (let i = i0; i <= i1; i++) {
        const x = -g.fov / 2 + (i + 0.5) * g.px - c[0];
        const xr = x * cos + y * sin;
        const yr = -x * sin + y * cos;
        const rr = Math.sqrt(xr * xr + yr * yr + z * z) + 1e-9;
        const lob = 1 + p.lobulation * Math.sin(3 * Math.atan2(yr, xr) + p.lobPhase) * Math.cos(2 * Math.asin(z / rr));
        const q = Math.sqrt((xr / ea) ** 2 + (yr / eb) ** 2 + (z / ec) ** 2) / lob;
        const idx = i + g.nx * (j + g.ny * k);
        const alpha = 0.5 - ((q - 1) * meanR) / w;
        if (alpha > 0) {
          const a = alpha > 1 ? 1 : alpha;
          const cur = work[idx];
          const target = p.nodule.type === 'solid' ? solidHu : ggoHu;
          work[idx] = Math.max(cur, cur + (target - cur) * a);
        }
        if (p.nodule.type === 'part-solid') {
          const f = p.solidFraction;
          const aCore = 0.5 - ((q / f - 1) * meanR * f) / w;
          if (aCore > 0) {
            const a = aCore > 1 ? 1 : aCore;
            const cur = work[idx];
            work[idx] = Math.max(cur, cur + (solidHu - cur) * a);
          }
        }
      }
    }
  }
}

// --- tiny vector helpers (kept local: only the phantom needs them) ---
function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}
function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function normalize(a: Vec3): Vec3 {
  const n = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
}
/** direction rotated by `angle` radians about a random axis perpendicular to it */
function rotateRandom(rnd: SeededRandom, d: Vec3, angle: number): Vec3 {
  const helper: Vec3 = Math.abs(d[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u = normalize(cross(d, helper));
  const v = cross(d, u);
  const phi = rnd.uniform(0, 2 * Math.PI);
  const axisPerp = add(scale(u, Math.cos(phi)), scale(v, Math.sin(phi)));
  return normalize(add(scale(d, Math.cos(angle)), scale(axisPerp, Math.sin(angle))));
}
function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
