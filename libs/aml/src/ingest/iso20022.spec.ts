import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Iso20022Error, parseIso20022 } from './iso20022';

const fx = (name: string) => readFileSync(join(__dirname, '..', '__fixtures__', name), 'utf8');

describe('ISO 20022 parsing', () => {
  it('reads pacs.008 credit transfers with parties, agents and both amounts', () => {
    const [a, b] = parseIso20022(fx('pacs008.xml'));
    expect(a).toMatchObject({
      id: '8a562c67-ca16-48ba-b074-65581be6f001',
      timestamp: Date.parse('2022-09-01T10:14:00Z'),
      fromBank: 'BCYPCY2N',
      fromAccount: 'CY17002001280000001200527600',
      toBank: 'DEUTDEFF',
      amountPaid: 25500,
      paymentCurrency: 'US Dollar',
      amountReceived: 25000,
      receivingCurrency: 'Euro',
      paymentFormat: 'Wire',
      fromName: 'Viktor Morozov',
      fromCountry: 'CY',
    });
    expect(b).toMatchObject({ id: 'MSG-2022-0901-001/TX-2', fromAccount: '000123456', amountPaid: 1200.5, paymentCurrency: 'UK Pound', timestamp: Date.parse('2022-09-01T00:00:00Z') });
  });

  it('reads pain.001 payment initiations', () => {
    const txs = parseIso20022(fx('pain001.xml'));
    expect(txs.map((t) => [t.id, t.fromAccount, t.toAccount, t.amountPaid, t.toName])).toEqual([
      ['PAYRUN-0915/SAL-001', 'ACME-OPS-1', 'ML-991', 3200, 'Maria Lopez'],
      ['PAYRUN-0915/SAL-002', 'ACME-OPS-1', 'JC-120', 2950, 'John Carter'],
    ]);
  });

  it('refuses XXE payloads (external entity through a DTD) before parsing', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Document><FIToFICstmrCdtTrf><GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>`;
    expect(() => parseIso20022(xxe)).toThrow(Iso20022Error);
    expect(() => parseIso20022(xxe)).toThrow(/DOCTYPE/);
    const billion = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Document>&lol2;</Document>`;
    expect(() => parseIso20022(billion)).toThrow(/DOCTYPE/);
  });

  it('answers malformed XML with the line and the problem', () => {
    expect(() => parseIso20022('<Document>\n<FIToFICstmrCdtTrf>\n</Document>')).toThrow(/malformed XML at line 3.*FIToFICstmrCdtTrf/);
  });

  it('names the missing or wrong element', () => {
    expect(() => parseIso20022('<Document><Foo/></Document>')).toThrow(/unsupported message/);
    const noAmount = fx('pacs008.xml').replace('<IntrBkSttlmAmt Ccy="EUR">25000.00</IntrBkSttlmAmt>', '');
    expect(() => parseIso20022(noAmount)).toThrow(/CdtTrfTxInf\[1\]\/IntrBkSttlmAmt: amount missing/);
    const badCcy = fx('pacs008.xml').replace('Ccy="GBP"', 'Ccy="XXX"');
    expect(() => parseIso20022(badCcy)).toThrow(/currency XXX is not supported/);
  });
});
