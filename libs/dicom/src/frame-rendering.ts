import { PNG } from 'pngjs';
import { DicomError } from './dicom-error';
import type { DicomInstance } from './dicom-instance';
import { decodeFrame, modalityValues } from './pixel-decoder';

/**
 * A frame as PNG for WADO-RS /rendered: modality LUT, then the linear VOI window (PS3.3 C.11.2.1.2)
 * from the request or the object's own WindowCenter/Width (else min-max), MONOCHROME1 inverted.
 * Colour images are written as RGB (YBR_FULL converted).
 */
export function renderFramePng(inst: DicomInstance, frameIndex: number, window?: { center: number; width: number }): Buffer {
  const img = inst.image;
  if (!img) throw new DicomError('missing-attribute', 'not an image');
  const frame = decodeFrame(inst, frameIndex);
  const png = new PNG({ width: img.columns, height: img.rows });
  const n = img.rows * img.columns;
  if (img.samplesPerPixel === 3) {
    const ybr = img.photometricInterpretation.startsWith('YBR');
    const scale = img.bitsAllocated > 8 ? 255 / ((1 << Math.min(16, img.bitsStored)) - 1) : 1;
    for (let p = 0; p < n; p++) {
      let r = frame.stored[3 * p] * scale;
      let g = frame.stored[3 * p + 1] * scale;
      let b = frame.stored[3 * p + 2] * scale;
      if (ybr) {
        const [y, cb, cr] = [r, g, b];
        r = y + 1.402 * (cr - 128);
        g = y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128);
        b = y + 1.772 * (cb - 128);
      }
      png.data[4 * p] = clamp255(r);
      png.data[4 * p + 1] = clamp255(g);
      png.data[4 * p + 2] = clamp255(b);
      png.data[4 * p + 3] = 255;
    }
    return PNG.sync.write(png);
  }
  const values = modalityValues(frame, img, Number.NaN);
  let center = window?.center ?? img.windowCenter;
  let width = window?.width ?? img.windowWidth;
  if (center === undefined || width === undefined || !(width >= 1)) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (Number.isNaN(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    center = (lo + hi) / 2;
    width = Math.max(1, hi - lo);
  }
  const invert = img.photometricInterpretation === 'MONOCHROME1';
  const low = center - 0.5 - (width - 1) / 2;
  const high = center - 0.5 + (width - 1) / 2;
  for (let p = 0; p < n; p++) {
    const v = values[p];
    let g = Number.isNaN(v) ? 0 : v <= low ? 0 : v > high ? 255 : ((v - (center - 0.5)) / (width - 1) + 0.5) * 255;
    if (invert) g = 255 - g;
    const q = clamp255(g);
    png.data[4 * p] = png.data[4 * p + 1] = png.data[4 * p + 2] = q;
    png.data[4 * p + 3] = 255;
  }
  return PNG.sync.write(png);
}

function clamp255(x: number): number {
  return x < 0 ? 0 : x > 255 ? 255 : Math.round(x);
}
