import { DicomError } from './dicom-error';
import type { DicomInstance } from './dicom-instance';
import { decodeFrame, modalityValues } from './pixel-decoder';

export type Vec3 = [number, number, number];

/** What the slice geometry of a series looks like, for the user and for the analysis. */
export interface GeometryReport {
  slices: number;
  /** median distance between neighbouring slices along the normal (mm) */
  sliceSpacingMm: number;
  uniformSpacing: boolean;
  /** places where slices are missing: the step after `afterSlice` (0-based, sorted order) */
  gaps: { afterSlice: number; stepMm: number }[];
  duplicatesDropped: number;
  /** angle between the slice normal and the line through the slice positions (gantry tilt) */
  tiltDeg: number;
  /** true when sorting by position disagreed with InstanceNumber order (not an error, worth knowing) */
  instanceNumberOrderDiffers: boolean;
  warnings: string[];
}

/** A CT volume in HU with its voxel-to-patient (LPS) transform; same shape as @suite/imaging's CtVolume. */
export interface DicomVolume {
  dims: Vec3;
  spacing: Vec3;
  origin: Vec3;
  rowDir: Vec3;
  colDir: Vec3;
  sliceDir: Vec3;
  hu: Int16Array;
  seriesInstanceUid: string;
  /** SOP Instance UIDs in slice order (k = 0, 1, ...) */
  sopInstanceUids: string[];
  geometry: GeometryReport;
}

/** Group instances by SeriesInstanceUID. */
export function groupBySeries(instances: DicomInstance[]): Map<string, DicomInstance[]> {
  const out = new Map<string, DicomInstance[]>();
  for (const i of instances) {
    const list = out.get(i.seriesInstanceUid) ?? [];
    list.push(i);
    out.set(i.seriesInstanceUid, list);
  }
  return out;
}

/** Unit normal of the slices (row direction × column direction). */
export function sliceNormal(iop: readonly number[]): Vec3 {
  const r = [iop[0], iop[1], iop[2]];
  const c = [iop[3], iop[4], iop[5]];
  const n: Vec3 = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const len = Math.hypot(...n);
  if (len < 1e-6) throw new DicomError('bad-value', 'ImageOrientationPatient row and column directions are parallel');
  return n.map((x) => x / len) as Vec3;
}

/**
 * Sort the slices of one series by their position along the slice normal (never by InstanceNumber
 * or file name), check spacing and orientation, and build the HU volume.
 */
export function seriesToVolume(instances: DicomInstance[]): DicomVolume {
  const images = instances.filter((i) => i.image?.hasPixelData);
  if (!images.length) throw new DicomError('missing-attribute', 'the series has no image instances');
  const series = new Set(images.map((i) => i.seriesInstanceUid));
  if (series.size > 1) throw new DicomError('bad-value', `instances of ${series.size} series given; build one volume per series`);
  const first = images[0].image!;
  if (images.length === 1 && first.numberOfFrames > 1) {
    throw new DicomError('unsupported', 'multi-frame images are not assembled into volumes (per-frame geometry is not read); send a single-frame series');
  }
  const iop = first.imageOrientationPatient;
  if (!iop) throw new DicomError('missing-attribute', 'ImageOrientationPatient (0020,0037) is missing: slice geometry unknown');
  const normal = sliceNormal(iop);
  const warnings: string[] = [];
  for (const i of images) {
    const a = i.image!;
    if (a.rows !== first.rows || a.columns !== first.columns) {
      throw new DicomError('bad-value', `slice ${i.sopInstanceUid} is ${a.rows}x${a.columns}, the series is ${first.rows}x${first.columns}`);
    }
    if (!a.imagePositionPatient) throw new DicomError('missing-attribute', `slice ${i.sopInstanceUid} has no ImagePositionPatient (0020,0032)`);
    const o = a.imageOrientationPatient;
    if (!o || o.some((v, k) => Math.abs(v - iop[k]) > 1e-3)) {
      throw new DicomError('bad-value', `slice ${i.sopInstanceUid} has a different ImageOrientationPatient: not one stack`);
    }
  }
  const withDistance = images
    .map((inst) => {
      const p = inst.image!.imagePositionPatient!;
      return { inst, p, d: p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2] };
    })
    .sort((a, b) => a.d - b.d);
  // drop slices at the same position (re-sent or duplicated objects)
  const sorted: typeof withDistance = [];
  let duplicates = 0;
  for (const s of withDistance) {
    if (sorted.length && Math.abs(s.d - sorted[sorted.length - 1].d) < 1e-3) {
      duplicates++;
      continue;
    }
    sorted.push(s);
  }
  if (duplicates) warnings.push(`${duplicates} slice(s) at an already occupied position were dropped`);
  const steps = sorted.slice(1).map((s, k) => s.d - sorted[k].d);
  const median = steps.length ? [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)] : first.sliceThickness ?? 1;
  const gaps = steps.map((st, k) => ({ afterSlice: k, stepMm: round3(st) })).filter((g) => g.stepMm > 1.5 * median);
  const uniform = steps.every((st) => Math.abs(st - median) <= 0.01 * median + 0.01);
  if (!uniform) warnings.push(`slice spacing is not uniform (median ${round3(median)} mm${gaps.length ? `, ${gaps.length} gap(s)` : ''})`);
  // tilt: the line through the slice origins leaves the normal when the gantry was tilted
  let sliceDir: Vec3 = normal;
  let tiltDeg = 0;
  let spacingK = median;
  if (sorted.length > 1) {
    const a = sorted[0].p;
    const b = sorted[sorted.length - 1].p;
    const delta: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const len = Math.hypot(...delta);
    const cos = Math.min(1, Math.abs(delta[0] * normal[0] + delta[1] * normal[1] + delta[2] * normal[2]) / len);
    tiltDeg = round3((Math.acos(cos) * 180) / Math.PI);
    if (tiltDeg > 0.5) {
      warnings.push(`gantry tilt of ${tiltDeg} degrees: the volume keeps the sheared slice positions`);
      sliceDir = delta.map((x) => x / len) as Vec3;
    }
    spacingK = len / (sorted.length - 1);
  }
  const ps = first.pixelSpacing;
  if (!ps) warnings.push('PixelSpacing (0028,0030) missing: 1 mm assumed');
  const [rowSpacing, colSpacing] = ps ?? [1, 1];
  const numberOrder = sorted.map((s) => s.inst.instanceNumber ?? 0);
  const ascending = numberOrder.every((n, k) => k === 0 || n >= numberOrder[k - 1]);
  const descending = numberOrder.every((n, k) => k === 0 || n <= numberOrder[k - 1]);
  const nx = first.columns;
  const ny = first.rows;
  const nz = sorted.length;
  const hu = new Int16Array(nx * ny * nz);
  sorted.forEach((s, k) => {
    const img = s.inst.image!;
    if (img.samplesPerPixel !== 1) throw new DicomError('unsupported', `slice ${s.inst.sopInstanceUid} is colour; a CT volume needs one sample per pixel`);
    const values = modalityValues(decodeFrame(s.inst, 0), img, -1024);
    const off = k * nx * ny;
    for (let p = 0; p < values.length; p++) {
      const v = Math.round(values[p]);
      hu[off + p] = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
    }
  });
  const first3 = sorted[0].p;
  return {
    dims: [nx, ny, nz],
    // PixelSpacing is [between rows, between columns]: i (along a row) steps by the column spacing
    spacing: [colSpacing, rowSpacing, spacingK],
    origin: [first3[0], first3[1], first3[2]],
    rowDir: [iop[0], iop[1], iop[2]],
    colDir: [iop[3], iop[4], iop[5]],
    sliceDir,
    hu,
    seriesInstanceUid: first ? images[0].seriesInstanceUid : '',
    sopInstanceUids: sorted.map((s) => s.inst.sopInstanceUid),
    geometry: {
      slices: nz,
      sliceSpacingMm: round3(median),
      uniformSpacing: uniform,
      gaps,
      duplicatesDropped: duplicates,
      tiltDeg,
      instanceNumberOrderDiffers: !(ascending || descending),
      warnings,
    },
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
