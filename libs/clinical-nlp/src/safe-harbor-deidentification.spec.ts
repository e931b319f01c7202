import { deidentify, findPhi } from './safe-harbor-deidentification';

const note = `Re: Mr. Thomas Reilly, DOB 04/11/1951, MRN: 00123456
Seen on 2026-03-01 at 12 Harbour Road. Phone (217) 555-0142, email t.reilly@mail.example.com.
Mr. Reilly is a 92-year-old man with CAD. Follow-up on March 15, 2026.
Sincerely,
Dr. Helena Lindqvist`;

describe('Safe Harbor de-identification', () => {
  const secret = 'test-secret';

  it('removes names, dates, MRN, phone, email, address and ages over 89', () => {
    const out = deidentify(note, { secret, patientKey: 'MRN00123456' });
    for (const phi of ['Reilly', 'Thomas', '04/11/1951', '00123456', '2026-03-01', 'Harbour Road', '555-0142', 't.reilly@', '92-year-old', 'March 15', 'Lindqvist', 'Helena']) {
      expect(out.text).not.toContain(phi);
    }
    expect(out.text).toContain('90+-year-old man with CAD');
    for (const r of out.replacements) expect(out.text.slice(r.start, r.end)).toBe(r.surrogate);
  });

  it('gives the same surrogates for the same patient, and different ones for another patient', () => {
    const a = deidentify(note, { secret, patientKey: 'p1' });
    const b = deidentify(note, { secret, patientKey: 'p1' });
    const c = deidentify(note, { secret, patientKey: 'p2' });
    expect(a.text).toBe(b.text);
    expect(c.text).not.toBe(a.text);
    // "Reilly" appears twice and is replaced by the same surname both times
    const surnames = a.replacements.filter((r) => r.type === 'NAME').map((r) => r.surrogate.split(' ').at(-1));
    expect(new Set(surnames.slice(0, 2)).size).toBe(1);
  });

  it('shifts dates consistently within a patient (intervals kept)', () => {
    const text = 'Admitted 2026-03-01, discharged 2026-03-05.';
    const out = deidentify(text, { secret, patientKey: 'p9' });
    const [d1, d2] = out.replacements.map((r) => new Date(r.surrogate).getTime());
    expect((d2 - d1) / 86400000).toBe(4);
  });

  it('leaves clinical content alone', () => {
    const text = 'Metformin 500 mg PO BID; Hgb 7.9; BP 120/80; 45 yo with HTN.';
    expect(findPhi(text)).toEqual([]);
  });

  it('replaces names the caller already knows anywhere in the text', () => {
    const out = deidentify('Linh reports less pain today.', { secret, patientKey: 'p1', knownNames: ['Linh Nguyen'] });
    expect(out.text).not.toContain('Linh');
  });
});
