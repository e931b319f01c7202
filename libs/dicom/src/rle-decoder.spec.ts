import { decodeRleFrame } from './rle-decoder';

/** Hand-built RLE frames (PS3.5 G.3), one literal run and one replicate run per segment. */
function rleFrame(segments: number[][]): Uint8Array {
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((s, i) => {
    view.setUint32(4 + 4 * i, offset, true);
    offset += s.length;
  });
  const out = new Uint8Array(offset);
  out.set(header);
  let o = 64;
  for (const s of segments) {
    out.set(s, o);
    o += s.length;
  }
  return out;
}

describe('decodeRleFrame', () => {
  it('unpacks literal and replicate runs', () => {
    // 2x3 8-bit: literal [1,2,3] then replicate 9 three times
    const f = rleFrame([[2, 1, 2, 3, 0xfe, 9]]);
    expect(Array.from(decodeRleFrame(f, 2, 3, 1, 8))).toEqual([1, 2, 3, 9, 9, 9]);
  });

  it('puts the most significant byte segment first for 16-bit samples (output little endian)', () => {
    // pixels 0x0102, 0x0304
    const f = rleFrame([
      [1, 0x01, 0x03],
      [1, 0x02, 0x04],
    ]);
    expect(Array.from(decodeRleFrame(f, 1, 2, 1, 16))).toEqual([0x02, 0x01, 0x04, 0x03]);
  });

  it('interleaves colour planes', () => {
    const f = rleFrame([[0xff, 10], [0xff, 20], [0xff, 30]]);
    expect(Array.from(decodeRleFrame(f, 1, 2, 3, 8))).toEqual([10, 20, 30, 10, 20, 30]);
  });

  it('refuses a segment count that does not fit the image, and short segments', () => {
    expect(() => decodeRleFrame(rleFrame([[0, 1]]), 1, 1, 1, 16)).toThrow(/2 expected/);
    expect(() => decodeRleFrame(rleFrame([[0, 1]]), 2, 2, 1, 8)).toThrow(/decodes to 1 of 4 bytes/);
  });
});
