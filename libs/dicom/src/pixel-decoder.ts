import * as dicomParser from 'dicom-parser';
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import { DicomError } from './dicom-error';
import type { DicomInstance, ImageAttributes } from './dicom-instance';
import { decodeRleFrame } from './rle-decoder';
import { isBigEndian } from './transfer-syntax';

/** One decoded frame: stored pixel values, samples interleaved (RGB r,g,b,r,g,b...). */
export interface DecodedFrame {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** stored values, sign applied (pixel representation) and bits above BitsStored removed
   * (Float64Array only for unsigned 32-bit data, which does not fit an Int32Array) */
  stored: Int32Array | Float64Array;
}

/**
 * Decode one frame of an instance, whatever its transfer syntax; compressed syntaxes without a
 * decoder here (JPEG-LS, JPEG 2000, lossy JPEG) raise DicomError('undecodable') naming the syntax.
 */
export function decodeFrame(inst: DicomInstance, frameIndex = 0): DecodedFrame {
  const img = inst.image;
  if (!img || !img.hasPixelData) throw new DicomError('missing-attribute', 'the object has no image pixel data');
  if (frameIndex < 0 || frameIndex >= img.numberOfFrames) {
    throw new DicomError('bad-value', `frame ${frameIndex + 1} requested; the object has ${img.numberOfFrames}`);
  }
  if (![1, 8, 16, 32].includes(img.bitsAllocated)) {
    throw new DicomError('unsupported', `BitsAllocated ${img.bitsAllocated} is not supported (1, 8, 16 or 32)`);
  }
  const ts = inst.transferSyntax;
  const el = inst.dataSet.elements.x7fe00010;
  const pixels = img.rows * img.columns;
  if (img.bitsAllocated === 1) return decodeBitPacked(inst, img, frameIndex);
  const ybr422 = img.photometricInterpretation === 'YBR_FULL_422' && ts.encoding === 'native';
  // YBR_FULL_422 stores two luminance samples per chroma pair: 2 samples per pixel on disk
  const frameBytes = pixels * (ybr422 ? 2 : img.samplesPerPixel) * (img.bitsAllocated / 8);
  let bytes: Uint8Array;
  let littleEndian = true;
  switch (ts.encoding) {
    case 'native': {
      const start = el.dataOffset + frameIndex * frameBytes;
      const available = Math.min(el.length, inst.dataSet.byteArray.length - el.dataOffset);
      if ((frameIndex + 1) * frameBytes > available) {
        throw new DicomError('truncated', `pixel data holds ${available} bytes; frame ${frameIndex + 1} needs bytes up to ${(frameIndex + 1) * frameBytes}`);
      }
      bytes = inst.dataSet.byteArray.subarray(start, start + frameBytes);
      littleEndian = !isBigEndian(ts.uid);
      if (ybr422) {
        if (img.bitsAllocated !== 8) throw new DicomError('unsupported', 'YBR_FULL_422 is supported with 8-bit samples only');
        bytes = expandYbr422(bytes, pixels);
      }
      // planar RGB (R plane, G plane, B plane) → interleaved
      if (img.samplesPerPixel > 1 && img.planarConfiguration === 1) bytes = interleavePlanes(bytes, img);
      break;
    }
    case 'rle':
      bytes = decodeRleFrame(encapsulatedFrame(inst, frameIndex), img.rows, img.columns, img.samplesPerPixel, img.bitsAllocated);
      break;
    case 'jpeg-lossless': {
      const frame = encapsulatedFrame(inst, frameIndex);
      const decoded = new JpegLosslessDecoder().decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.length, img.bitsAllocated / 8) as unknown as ArrayLike<number>;
      return { rows: img.rows, columns: img.columns, samplesPerPixel: img.samplesPerPixel, stored: fixBits(Int32Array.from(decoded), img) };
    }
    default:
      throw new DicomError('undecodable', `${ts.name} (${ts.uid}): ${ts.reason ?? 'cannot be decoded here'}; the object is stored as received`);
  }
  return { rows: img.rows, columns: img.columns, samplesPerPixel: img.samplesPerPixel, stored: readSamples(bytes, img, littleEndian) };
}

/** YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair) → YBR_FULL interleaved (Y Cb Cr per pixel). */
function expandYbr422(src: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let p = 0, s = 0; p + 1 < pixels + 1 && s + 3 < src.length + 1; p += 2, s += 4) {
    out[3 * p] = src[s];
    out[3 * p + 1] = src[s + 2];
    out[3 * p + 2] = src[s + 3];
    if (p + 1 < pixels) {
      out[3 * p + 3] = src[s + 1];
      out[3 * p + 4] = src[s + 2];
      out[3 * p + 5] = src[s + 3];
    }
  }
  return out;
}

/** BitsAllocated 1 (segmentations): bits packed LSB first, frames not necessarily byte aligned. */
function decodeBitPacked(inst: DicomInstance, img: ImageAttributes, frameIndex: number): DecodedFrame {
  if (inst.transferSyntax.encoding !== 'native') throw new DicomError('unsupported', '1-bit pixel data is supported uncompressed only');
  const el = inst.dataSet.elements.x7fe00010;
  const n = img.rows * img.columns * img.samplesPerPixel;
  const firstBit = frameIndex * n;
  if (Math.ceil((firstBit + n) / 8) > el.length) throw new DicomError('truncated', `pixel data too short for frame ${frameIndex + 1}`);
  const bytes = inst.dataSet.byteArray;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const bit = firstBit + i;
    out[i] = (bytes[el.dataOffset + (bit >> 3)] >> (bit & 7)) & 1;
  }
  return { rows: img.rows, columns: img.columns, samplesPerPixel: img.samplesPerPixel, stored: out };
}

function encapsulatedFrame(inst: DicomInstance, frameIndex: number): Uint8Array {
  const ds = inst.dataSet;
  const el = ds.elements.x7fe00010;
  if (!el.encapsulatedPixelData || !el.fragments?.length) {
    throw new DicomError('bad-value', `${inst.transferSyntax.name} needs encapsulated pixel data (fragments); none found`);
  }
  const frames = inst.image!.numberOfFrames;
  try {
    if (el.basicOffsetTable && el.basicOffsetTable.length) {
      return new Uint8Array(dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex));
    }
    if (frames === 1) return new Uint8Array(dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, el.fragments.length));
    if (el.fragments.length === frames) return new Uint8Array(dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, frameIndex, 1));
    const table = dicomParser.createJPEGBasicOffsetTable(ds, el);
    return new Uint8Array(dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex, table));
  } catch (e) {
    throw new DicomError('truncated', `cannot read frame ${frameIndex + 1} from the fragments: ${String((e as Error)?.message ?? e)}`);
  }
}

function interleavePlanes(bytes: Uint8Array, img: ImageAttributes): Uint8Array {
  const n = img.rows * img.columns;
  const bps = img.bitsAllocated / 8;
  const out = new Uint8Array(bytes.length);
  for (let s = 0; s < img.samplesPerPixel; s++) {
    for (let p = 0; p < n; p++) {
      for (let b = 0; b < bps; b++) out[(p * img.samplesPerPixel + s) * bps + b] = bytes[(s * n + p) * bps + b];
    }
  }
  return out;
}

function readSamples(bytes: Uint8Array, img: ImageAttributes, littleEndian: boolean): Int32Array | Float64Array {
  const count = img.rows * img.columns * img.samplesPerPixel;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (img.bitsAllocated === 32) {
    const out = img.pixelRepresentation === 1 ? new Int32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = img.pixelRepresentation === 1 ? view.getInt32(4 * i, littleEndian) : view.getUint32(4 * i, littleEndian);
    return out;
  }
  const out = new Int32Array(count);
  if (img.bitsAllocated === 8) for (let i = 0; i < count; i++) out[i] = bytes[i];
  else for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, littleEndian);
  return fixBits(out, img);
}

/** Keep BitsStored bits and apply the sign (two's complement at BitsStored) when PixelRepresentation is 1. */
function fixBits(values: Int32Array, img: ImageAttributes): Int32Array {
  const bits = Math.min(img.bitsStored, img.bitsAllocated);
  if (bits >= 32) return values;
  const mask = bits === 32 ? -1 : (1 << bits) - 1;
  const sign = 1 << (bits - 1);
  const signed = img.pixelRepresentation === 1;
  for (let i = 0; i < values.length; i++) {
    let v = values[i] & mask;
    if (signed && v & sign) v -= 1 << bits;
    values[i] = v;
  }
  return values;
}

/**
 * Modality values (HU for CT): stored * RescaleSlope + RescaleIntercept. Pixels equal to the padding
 * value (or inside the padding range) are set to `paddingTo` (air for CT by default).
 */
export function modalityValues(frame: DecodedFrame, img: ImageAttributes, paddingTo = -1024): Float64Array {
  const out = new Float64Array(frame.stored.length);
  const slope = img.rescaleSlope;
  const icpt = img.rescaleIntercept;
  const pad = img.pixelPaddingValue;
  const limit = img.pixelPaddingRangeLimit;
  const lo = pad === undefined ? undefined : limit === undefined ? pad : Math.min(pad, limit);
  const hi = pad === undefined ? undefined : limit === undefined ? pad : Math.max(pad, limit);
  for (let i = 0; i < out.length; i++) {
    const s = frame.stored[i];
    out[i] = lo !== undefined && s >= lo && s <= (hi as number) ? paddingTo : s * slope + icpt;
  }
  return out;
}
