import { DicomError } from './dicom-error';

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, each segment a
 * PackBits stream of one byte plane. Segments run sample by sample, most significant byte first.
 * @returns the frame as little-endian interleaved bytes (planar configuration 0), as native data would be.
 */
export function decodeRleFrame(frame: Uint8Array, rows: number, columns: number, samplesPerPixel: number, bitsAllocated: number): Uint8Array {
  if (frame.length < 64) throw new DicomError('truncated', 'RLE frame shorter than its 64-byte header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const bytesPerSample = bitsAllocated / 8;
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) {
    throw new DicomError('bad-value', `RLE header lists ${segments} segments, ${expected} expected for ${samplesPerPixel} sample(s) of ${bitsAllocated} bits`);
  }
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + 4 * s, true));
  const pixels = rows * columns;
  const out = new Uint8Array(pixels * expected);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segments; s++) {
    const start = offsets[s];
    const end = s + 1 < segments ? offsets[s + 1] : frame.length;
    if (start < 64 || start > frame.length || end > frame.length || end < start) {
      throw new DicomError('bad-value', `RLE segment ${s + 1} offset ${start} lies outside the frame`);
    }
    unpackBits(frame, start, end, plane);
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // segment order is MSB first
    const stride = expected;
    const base = sample * bytesPerSample + byteInSample;
    for (let p = 0; p < pixels; p++) out[p * stride + base] = plane[p];
  }
  return out;
}

function unpackBits(src: Uint8Array, start: number, end: number, out: Uint8Array) {
  let i = start;
  let o = 0;
  while (i < end && o < out.length) {
    const n = (src[i++] << 24) >> 24; // signed header byte
    if (n >= 0) {
      const count = n + 1;
      for (let c = 0; c < count && o < out.length; c++) out[o++] = src[i++];
    } else if (n !== -128) {
      const count = 1 - n;
      const v = src[i++];
      for (let c = 0; c < count && o < out.length; c++) out[o++] = v;
    }
  }
  if (o < out.length) throw new DicomError('truncated', `RLE segment decodes to ${o} of ${out.length} bytes`);
}
