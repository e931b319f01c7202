import type { Extraction } from '../clinical-entity';
import { buildFhirBundle, parseQuantity } from './fhir-bundle';
import { validateFhirBundle } from './fhir-validation';

const text = 'Metformin 500 mg PO BID x 7 days for DM2. No fever. Mother with breast cancer. Hgb 7.9 g/dL. CXR showed pneumonia. s/p appendectomy. Allergies: penicillin';
const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length, text: s });
const extraction: Extraction = {
  entities: [
    { id: 'T1', type: 'DRUG', ...at('Metformin'), code: { system: 'http://www.whocc.no/atc', code: 'A10BA02', display: 'metformin' } },
    { id: 'T2', type: 'STRENGTH', ...at('500 mg') },
    { id: 'T3', type: 'ROUTE', ...at('PO') },
    { id: 'T4', type: 'FREQUENCY', ...at('BID') },
    { id: 'T5', type: 'DURATION', ...at('7 days') },
    { id: 'T6', type: 'PROBLEM', ...at('DM2'), assertion: 'present' },
    { id: 'T7', type: 'PROBLEM', ...at('fever'), assertion: 'absent' },
    { id: 'T8', type: 'PROBLEM', ...at('breast cancer'), assertion: 'family' },
    { id: 'T9', type: 'TEST', ...at('Hgb') },
    { id: 'T10', type: 'VALUE', ...at('7.9 g/dL') },
    { id: 'T11', type: 'TEST', ...at('CXR') },
    { id: 'T12', type: 'PROBLEM', ...at('pneumonia'), assertion: 'possible' },
    { id: 'T13', type: 'TREATMENT', ...at('appendectomy') },
    { id: 'T14', type: 'DRUG', ...at('penicillin'), section: 'Allergies' },
  ],
  relations: [
    { type: 'has_strength', head: 'T1', tail: 'T2' },
    { type: 'has_route', head: 'T1', tail: 'T3' },
    { type: 'has_frequency', head: 'T1', tail: 'T4' },
    { type: 'has_duration', head: 'T1', tail: 'T5' },
    { type: 'treats', head: 'T1', tail: 'T6' },
    { type: 'has_value', head: 'T9', tail: 'T10' },
    { type: 'reveals', head: 'T11', tail: 'T12' },
  ],
};

describe('buildFhirBundle', () => {
  const bundle = buildFhirBundle({ noteId: 'n1', text, patientId: 'MRN1', encounterId: 'E1', createdAt: new Date('2026-03-01T10:00:00Z') }, extraction) as any;
  const byType = (t: string) => bundle.entry.map((e: any) => e.resource).filter((r: any) => r.resourceType === t);

  it('validates against the R4 subset schema', () => {
    expect(validateFhirBundle(bundle)).toEqual([]);
  });

  it('maps assertions to verificationStatus and family history to FamilyMemberHistory', () => {
    const conditions = byType('Condition');
    const status = (s: string) => conditions.find((c: any) => c.code.text === s).verificationStatus.coding[0].code;
    expect(status('DM2')).toBe('confirmed');
    expect(status('fever')).toBe('refuted');
    expect(status('pneumonia')).toBe('provisional');
    expect(conditions.find((c: any) => c.code.text === 'fever').clinicalStatus).toBeUndefined();
    expect(byType('FamilyMemberHistory')[0].condition[0].code.text).toBe('breast cancer');
  });

  it('puts the sig into MedicationStatement.dosage with the ATC coding and the reason', () => {
    const [med] = byType('MedicationStatement');
    expect(med.medicationCodeableConcept.coding[0]).toEqual({ system: 'http://www.whocc.no/atc', code: 'A10BA02', display: 'metformin' });
    expect(med.dosage[0].doseAndRate[0].doseQuantity).toEqual({ value: 500, unit: 'mg' });
    expect(med.dosage[0].route.text).toBe('PO');
    expect(med.dosage[0].timing.repeat.boundsDuration).toEqual({ value: 7, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' });
    const dm2 = bundle.entry.find((e: any) => e.resource.code?.text === 'DM2');
    expect(med.reasonReference[0].reference).toBe(dm2.fullUrl);
  });

  it('links test values and findings, procedures and allergies', () => {
    const obs = byType('Observation');
    expect(obs.find((o: any) => o.code.text === 'Hgb').valueQuantity).toEqual({ value: 7.9, unit: 'g/dL' });
    const cxr = bundle.entry.find((e: any) => e.resource.code?.text === 'CXR');
    const pna = byType('Condition').find((c: any) => c.code.text === 'pneumonia');
    expect(pna.evidence[0].detail[0].reference).toBe(cxr.fullUrl);
    expect(byType('Procedure')[0].status).toBe('completed');
    expect(byType('AllergyIntolerance')[0].code.text).toBe('penicillin');
    const doc = byType('DocumentReference')[0];
    expect(Buffer.from(doc.content[0].attachment.data, 'base64').toString('utf8')).toBe(text);
  });

  it('gives the same ids when the same note is exported twice', () => {
    const again = buildFhirBundle({ noteId: 'n1', text, patientId: 'MRN1', encounterId: 'E1', createdAt: new Date('2026-03-01T10:00:00Z') }, extraction);
    expect(again).toEqual(bundle);
  });
});

describe('the R4 subset schema rejects what R4 rejects', () => {
  const base = { resourceType: 'Bundle', type: 'collection' };
  it.each([
    ['an unknown Bundle.type', { ...base, type: 'bag' }],
    ['a Condition without subject', { ...base, entry: [{ resource: { resourceType: 'Condition', code: { text: 'x' } } }] }],
    ['a bad verification status code element', { ...base, entry: [{ resource: { resourceType: 'Observation', status: 'done', code: { text: 'x' } } }] }],
    ['an element R4 does not define', { ...base, entry: [{ resource: { resourceType: 'Procedure', status: 'unknown', subject: { reference: 'Patient/1' }, surgeon: 'x' } }] }],
    ['a malformed dateTime', { ...base, entry: [{ resource: { resourceType: 'Condition', subject: { reference: 'Patient/1' }, recordedDate: '2026-13-01' } }] }],
    ['an empty string', { ...base, entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { text: '' } } }] }],
  ])('%s', (_label, bad) => {
    expect(validateFhirBundle(bad).length).toBeGreaterThan(0);
  });

  it('parses quantities with commas and comparators', () => {
    expect(parseQuantity('2,340')).toEqual({ value: 2340 });
    expect(parseQuantity('<3 ng/L')).toEqual({ value: 3, comparator: '<', unit: 'ng/L' });
    expect(parseQuantity('positive')).toBeUndefined();
  });
});
