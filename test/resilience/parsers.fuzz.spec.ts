import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { AmlworldHeaderError, Iso20022Error, parseIso20022, readAmlworldCsv } from '@suite/aml';
import { DicomError, parseInstance } from '@suite/dicom';
import { Hl7Message, Hl7ParseError, MllpDecoder } from '@suite/hl7';
import { mutated, outcome } from './mutations';

const root = join(__dirname, '..', '..');
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

/** Every generated input must be accepted or refused with the parser's own error, never crash. */
async function fuzz(sample: Uint8Array, run: (input: Uint8Array) => Promise<unknown> | unknown, expected: (new (...a: never[]) => Error)[]) {
  const seen = { accepted: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(mutated(sample), async (input) => {
      const o = await outcome(() => run(input), expected);
      if (o !== 'accepted' && o !== 'refused') throw new Error(o);
      seen[o]++;
    }),
    { numRuns: RUNS, seed: 20261128 },
  );
  return seen;
}

const ORU = [
  'MSH|^~\\&|LAB|HOSP|EMR|SUITE|20261128120000||ORU^R01|MSG0001|P|2.5.1',
  'PID|1||MRN123^^^HOSP^MR||DOE^JANE||19700101|F',
  'OBR|1||ORD1|11506-3^Progress note^LN',
  'OBX|1|TX|11506-3^Progress note^LN||Patient denies chest pain. Started metformin 500 mg PO BID.||||||F',
].join('\r');

describe('parsers under generated malformed input', () => {
  it('HL7 v2 parsing: accepts or refuses with Hl7ParseError', async () => {
    const seen = await fuzz(Buffer.from(ORU), (b) => Hl7Message.parse(Buffer.from(b).toString('latin1')), [Hl7ParseError]);
    expect(seen.accepted + seen.refused).toBe(RUNS);
  });

  it('MLLP framing: never throws, whatever bytes arrive', async () => {
    const frame = Buffer.concat([Buffer.from([0x0b]), Buffer.from(ORU), Buffer.from([0x1c, 0x0d])]);
    await fuzz(frame, (b) => {
      const d = new MllpDecoder(4096);
      const events = d.push(Buffer.from(b));
      // whatever arrives, the decoder reports frames, oversize blocks or garbage, and never buffers past its limit
      if (!Array.isArray(events)) throw new Error('decoder did not report events');
    }, []);
  });

  it('AMLworld CSV: every row is a transaction or a line-numbered error; a bad header is refused', async () => {
    const csv = readFileSync(join(root, 'data', 'aml', 'amlworld-sample.csv')).subarray(0, 1500);
    await fuzz(csv, async (b) => {
      for await (const item of readAmlworldCsv(Readable.from([Buffer.from(b)]), 'fz')) {
        if ('error' in item && typeof item.line !== 'number') throw new Error('error without a line number');
      }
    }, [AmlworldHeaderError]);
  });

  it('ISO 20022 pacs.008: accepts or refuses with Iso20022Error', async () => {
    const xml = readFileSync(join(root, 'data', 'aml', 'demo-pacs008.xml'));
    await fuzz(xml, (b) => parseIso20022(Buffer.from(b).toString('utf8')), [Iso20022Error]);
  });

  it('DICOM instances: accepts or refuses with DicomError', async () => {
    const file = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
    expect(existsSync(file)).toBe(true); // Debian python3-pydicom (installed by .ci/run)
    await fuzz(new Uint8Array(readFileSync(file)), (b) => parseInstance(b), [DicomError]);
  });
});
