import fc from 'fast-check';
import { Readable } from 'node:stream';
import { AmlworldHeaderError, readAmlworldCsv } from './amlworld-csv';
import { Iso20022Error, parseIso20022 } from './iso20022';

const HEADER = 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n';

describe('parsers on arbitrary input', () => {
  it('the AMLworld reader reports every bad row by line and never throws after a good header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string(), fc.constant('2022/09/01 00:20,010,A,011,B,1,Euro,1,Euro,ACH,0'), fc.constant('"unclosed,quote')), { maxLength: 20 }), async (lines) => {
        let count = 0;
        try {
          for await (const item of readAmlworldCsv(Readable.from([HEADER + lines.join('\n')]), 'p')) {
            count++;
            expect(item.line).toEqual(expect.any(Number));
            if ('error' in item) expect(item.error.length).toBeGreaterThan(0);
          }
        } catch (e) {
          throw new Error(`reader threw ${(e as Error).message} after ${count} items`);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('the AMLworld reader refuses a wrong header with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }).filter((s) => !s.startsWith('Timestamp')), async (text) => {
        const run = async () => {
          for await (const _ of readAmlworldCsv(Readable.from([text]), 'p')) void _;
        };
        await run().then(
          () => undefined,
          (e) => expect(e).toBeInstanceOf(AmlworldHeaderError),
        );
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('the ISO 20022 parser throws only Iso20022Error on arbitrary text and mutated messages', () => {
    const base = '<Document><FIToFICstmrCdtTrf><GrpHdr><MsgId>M</MsgId><CreDtTm>2022-09-01T00:00:00Z</CreDtTm></GrpHdr><CdtTrfTxInf><IntrBkSttlmAmt Ccy="EUR">1.00</IntrBkSttlmAmt><DbtrAcct><Id><IBAN>X</IBAN></Id></DbtrAcct><CdtrAcct><Id><IBAN>Y</IBAN></Id></CdtrAcct></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>';
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.tuple(fc.nat(base.length), fc.nat(40), fc.string()).map(([at, cut, ins]) => base.slice(0, at) + ins + base.slice(at + cut))), (xml) => {
        try {
          parseIso20022(xml);
        } catch (e) {
          expect(e).toBeInstanceOf(Iso20022Error);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
