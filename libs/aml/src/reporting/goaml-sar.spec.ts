import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SarValidationError, toGoAmlXml, toSarJson, type SarReport } from './goaml-sar';

const report: SarReport = {
  reportId: 'SAR-1',
  caseId: 'CASE-7',
  reportingEntityId: 'DEMO-BANK-001',
  preparedBy: 'analyst',
  approvedBy: 'supervisor',
  submittedAt: new Date('2022-09-20T12:00:00Z'),
  narrative: 'Funds from seven new senders collected & forwarded abroad within hours <urgent>.',
  typologies: ['fan-in', 'pass-through'],
  transactions: [
    { id: 't1', timestamp: Date.UTC(2022, 8, 1, 10), fromBank: '001', fromAccount: 'A1', toBank: '002', toAccount: 'B1', amountPaid: 9000, paymentCurrency: 'Euro', amountReceived: 9000, receivingCurrency: 'Euro', paymentFormat: 'Wire', fromName: 'Ann Example', fromCountry: 'DE' },
    { id: 't2', timestamp: Date.UTC(2022, 8, 1, 12), fromBank: '002', fromAccount: 'B1', toBank: '003', toAccount: 'C1', amountPaid: 8800, paymentCurrency: 'Euro', amountReceived: 1257142.86, receivingCurrency: 'Yen', paymentFormat: 'ACH' },
  ],
};

describe('goAML-style SAR', () => {
  it('writes well-formed XML with the transactions, parties and narrative (escaped)', () => {
    const xml = toGoAmlXml(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ parseTagValue: false }).parse(xml).report;
    expect(doc.report_code).toBe('STR');
    expect(doc.entity_reference).toBe('CASE-7');
    expect(doc.reason).toBe(report.narrative);
    expect(doc.transaction).toHaveLength(2);
    expect(doc.transaction[0].t_from.from_account).toMatchObject({ institution_name: '001', account: 'A1', currency_code: 'EUR' });
    expect(doc.transaction[1].t_to.to_account.currency_code).toBe('JPY');
    expect(doc.transaction[1].transmode_code).toBe('K');
    expect(doc.report_indicators.indicator).toEqual(['fan-in', 'pass-through']);
    expect(xml).toContain('&lt;urgent&gt;');
  });

  it('gives the same report as JSON with distinct parties and a total', () => {
    const j = toSarJson(report);
    expect(j.parties).toHaveLength(3);
    expect(j.totalUsd).toBe(17800);
  });

  it('refuses without a second approver, a self-approval, a narrative or transactions', () => {
    expect(() => toGoAmlXml({ ...report, approvedBy: '' })).toThrow(SarValidationError);
    expect(() => toGoAmlXml({ ...report, approvedBy: 'analyst' })).toThrow(/four eyes/);
    expect(() => toSarJson({ ...report, narrative: 'short' })).toThrow(/narrative/);
    expect(() => toSarJson({ ...report, transactions: [] })).toThrow(/at least one transaction/);
  });
});
