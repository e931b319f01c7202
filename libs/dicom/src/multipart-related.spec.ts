import { buildMultipartRelated, parseContentType, parseMultipartRelated } from './multipart-related';

describe('multipart/related', () => {
  it('round-trips binary parts, CRLF and boundary-like bytes inside included', () => {
    const a = Uint8Array.from([0, 13, 10, 45, 45, 1, 2, 255]);
    const b = new Uint8Array(1000).map((_, i) => i % 256);
    const mp = buildMultipartRelated([{ contentType: 'application/dicom', body: a }, { contentType: 'application/dicom', body: b }], 'application/dicom');
    expect(parseContentType(mp.contentType)).toMatchObject({ mediaType: 'multipart/related', params: { type: 'application/dicom' } });
    const parts = parseMultipartRelated(mp.body, mp.contentType);
    expect(parts.map((p) => Array.from(p.body))).toEqual([Array.from(a), Array.from(b)]);
    expect(parts[0].headers['content-type']).toBe('application/dicom');
  });

  it('reads quoted parameters and refuses bodies without a boundary or a closing delimiter', () => {
    expect(parseContentType('multipart/related; type="application/dicom"; boundary="a;b"').params.boundary).toBe('a;b');
    expect(() => parseMultipartRelated(Buffer.from('x'), 'multipart/related; type="application/dicom"')).toThrow(/boundary/);
    expect(() => parseMultipartRelated(Buffer.from('--b\r\nContent-Type: application/dicom\r\n\r\nabc'), 'multipart/related; boundary=b')).toThrow(/closing boundary/);
  });
});
