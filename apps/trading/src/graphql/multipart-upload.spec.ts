import { MultipartError, MultipartParser } from './multipart-upload';

function body(boundary: string, parts: { name: string; filename?: string; data: string }[]): Buffer {
  const chunks = parts.map(
    (p) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n` +
      `${p.filename ? 'Content-Type: text/csv\r\n' : ''}\r\n${p.data}\r\n`,
  );
  return Buffer.from(`preamble ignored\r\n${chunks.join('')}--${boundary}--\r\n`);
}

function parse(buf: Buffer, boundary: string, splitAt: number[]) {
  const parts: { name: string; filename: string | null; data: string }[] = [];
  let current: { name: string; filename: string | null; bytes: Buffer[] } | null = null;
  const parser = new MultipartParser(boundary, {
    onPart(h) {
      current = { name: h.name, filename: h.filename, bytes: [] };
      return (c) => (current!.bytes.push(Buffer.from(c)), true);
    },
    onPartEnd() {
      parts.push({ name: current!.name, filename: current!.filename, data: Buffer.concat(current!.bytes).toString() });
    },
  });
  let last = 0;
  for (const at of [...splitAt, buf.length]) {
    parser.write(buf.subarray(last, at));
    last = at;
  }
  return { parts, finished: parser.finished };
}

describe('MultipartParser', () => {
  const boundary = '----bench123';
  // file content that contains CRLFs, dashes and a near-boundary
  const csv = 'symbol,time,open,high,low,close,volume\r\nX,2024-01-02,1,1,1,1,1\r\n--not-the-boundary\r\n------bench12\r\n';
  const buf = body(boundary, [
    { name: 'operations', data: '{"query":"q"}' },
    { name: 'map', data: '{"0":["variables.f"]}' },
    { name: '0', filename: 'a.csv', data: csv },
  ]);

  it('splits parts whole', () => {
    const { parts, finished } = parse(buf, boundary, []);
    expect(finished).toBe(true);
    expect(parts).toEqual([
      { name: 'operations', filename: null, data: '{"query":"q"}' },
      { name: 'map', filename: null, data: '{"0":["variables.f"]}' },
      { name: '0', filename: 'a.csv', data: csv },
    ]);
  });

  it('gives the same parts however the bytes are chunked (every split point, and byte by byte)', () => {
    const expected = parse(buf, boundary, []).parts;
    for (let at = 1; at < buf.length; at++) expect(parse(buf, boundary, [at]).parts).toEqual(expected);
    expect(parse(buf, boundary, Array.from({ length: buf.length - 1 }, (_, i) => i + 1)).parts).toEqual(expected);
  });

  it('refuses a part without a name', () => {
    const bad = Buffer.from(`--${boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${boundary}--\r\n`);
    expect(() => parse(bad, boundary, [])).toThrow(MultipartError);
  });
});
