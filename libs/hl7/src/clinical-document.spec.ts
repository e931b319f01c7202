import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractClinicalDocument } from './clinical-document';
import { Hl7Message } from './hl7-message';
import { buildOruR01 } from './oru-builder';
import { readPatientDemographics } from './patient-demographics';

const samples = join(__dirname, '..', '..', '..', 'data', 'emr', 'hl7');
const sample = (name: string) => Hl7Message.parse(readFileSync(join(samples, name), 'utf8'));

describe('extractClinicalDocument', () => {
  it('joins one TX OBX per line and decodes escapes', () => {
    const doc = extractClinicalDocument(sample('oru-r01-tx.hl7'));
    const lines = doc.text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('Medications: Metoprolol 25 mg PO BID& aspirin 81 mg daily');
    expect(doc.patientId).toBe('MRN12345');
    expect(doc.encounterId).toBe('ENC778');
  });

  it('turns \\.br\\ in one FT OBX into line breaks and keeps unicode', () => {
    const doc = extractClinicalDocument(sample('mdm-t02-ft-crlf.hl7'));
    expect(doc.text.split('\n')[0]).toBe('DISCHARGE SUMMARY');
    expect(doc.text).toContain('38.9 °C');
    expect(doc.observationCount).toBe(1);
  });

  it('decodes ED values in Base64 and plain text, and ignores numeric OBX', () => {
    const b64 = Buffer.from('Note über Ödem\nline two').toString('base64');
    const msg = Hl7Message.parse(`MSH|^~\\&|A|B|C|D|1||ORU^R01|9|P|2.5\rOBX|1|NM|2345-7^Glucose^LN||105\rOBX|2|ED|N^Note||^TEXT^^Base64^${b64}\rOBX|3|ED|N^Note||^TEXT^^A^third\\.br\\fourth`);
    expect(extractClinicalDocument(msg).text).toBe('Note über Ödem\nline two\nthird\nfourth');
  });

  it('gives empty text when no OBX carries text', () => {
    expect(extractClinicalDocument(sample('adt-a01-lf.hl7')).text).toBe('');
  });
});

describe('readPatientDemographics', () => {
  it('reads PID-3, -5, -7, -8, -11 and -13', () => {
    expect(readPatientDemographics(sample('adt-a01-lf.hl7'))).toEqual({
      identifier: 'MRN777',
      assigningAuthority: 'GENHOSP',
      family: 'Nguyen',
      given: 'Linh',
      birthDate: '19880920',
      sex: 'F',
      address: { street: '45 Elm St', city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' },
      phone: '(217)555-0142',
    });
  });
});

describe('buildOruR01', () => {
  it('builds a message that parses back with escaped values intact', () => {
    const msg = buildOruR01(
      { controlId: 'OUT-1', sendingApplication: 'SUITE-EMR', patientId: 'MRN1', encounterId: 'E1', fillerOrderNumber: 'note-1', service: { id: 'NLP', text: 'Structured note', system: 'L' } },
      [
        { code: { id: 'DRUG', text: 'Drug', system: 'L' }, value: 'metoprolol', subId: '1', coded: { code: 'C07AB02', text: 'metoprolol', system: 'ATC' } },
        { code: { id: 'PROBLEM', text: 'Problem', system: 'L' }, value: 'chest pain | SOB ^ x', subId: '2', interpretation: 'present' },
      ],
    );
    const back = Hl7Message.parse(msg.toString());
    expect(back.messageType).toEqual({ code: 'ORU', event: 'R01', structure: 'ORU_R01' });
    const obx = back.getAllSegments('OBX');
    expect(obx[0].getComponent(5, 1)).toBe('C07AB02');
    expect(obx[0].getComponent(5, 3)).toBe('ATC');
    expect(obx[1].getComponent(5)).toBe('chest pain | SOB ^ x');
    expect(back.getSegment('PV1')?.getComponent(19)).toBe('E1');
  });
});
