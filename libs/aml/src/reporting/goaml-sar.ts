import { XMLBuilder } from 'fast-xml-parser';
import { toUsd } from '../currency';
import type { Transaction } from '../transaction';

/** A suspicious activity report ready to file: the case, its payments, who prepared and approved it. */
export interface SarReport {
  reportId: string;
  caseId: string;
  /** The reporting institution's id at the FIU. */
  reportingEntityId: string;
  preparedBy: string;
  /** The second user who approved it (four eyes); required to export. */
  approvedBy: string;
  submittedAt: Date;
  narrative: string;
  typologies: string[];
  transactions: Transaction[];
}

export class SarValidationError extends Error {}

const ISO_CODES: Record<string, string> = {
  'US Dollar': 'USD', Euro: 'EUR', 'UK Pound': 'GBP', 'Swiss Franc': 'CHF', Yuan: 'CNY', Yen: 'JPY', Rupee: 'INR',
  'Australian Dollar': 'AUD', 'Canadian Dollar': 'CAD', 'Mexican Peso': 'MXN', Ruble: 'RUB', Shekel: 'ILS',
  'Brazil Real': 'BRL', 'Saudi Riyal': 'SAR', Bitcoin: 'XBT',
};
/** goAML transmode codes for AMLworld payment formats (K: wire/electronic, A: cash, C: cheque, ...). */
const TRANSMODE: Record<string, string> = { Wire: 'K', ACH: 'K', Cash: 'A', Cheque: 'C', 'Credit Card': 'P', Bitcoin: 'V', Reinvestment: 'O' };

const iso = (d: Date) => d.toISOString().slice(0, 19);

function check(r: SarReport): void {
  if (!r.narrative || r.narrative.trim().length < 20) throw new SarValidationError('the narrative must describe the activity (at least 20 characters)');
  if (!r.transactions.length) throw new SarValidationError('a SAR needs at least one transaction');
  if (!r.approvedBy) throw new SarValidationError('a SAR needs a second user\'s approval before export');
  if (r.approvedBy === r.preparedBy) throw new SarValidationError('the approver must not be the preparer (four eyes)');
}

function party(t: Transaction, side: 'from' | 'to') {
  const bank = side === 'from' ? t.fromBank : t.toBank;
  const account = side === 'from' ? t.fromAccount : t.toAccount;
  const name = side === 'from' ? t.fromName : t.toName;
  const country = side === 'from' ? t.fromCountry : t.toCountry;
  const currency = side === 'from' ? t.paymentCurrency : t.receivingCurrency;
  return {
    [`${side}_funds_code`]: 'K',
    [`${side}_account`]: {
      institution_name: bank,
      account,
      currency_code: ISO_CODES[currency] ?? currency,
      ...(name ? { signatory: { t_person: { last_name: name } } } : {}),
    },
    [`${side}_country`]: country ?? undefined,
  };
}

/** The report as goAML-style XML (STR): reporting entity, reason, transactions with both sides, indicators. */
export function toGoAmlXml(r: SarReport): string {
  check(r);
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    report: {
      rentity_id: r.reportingEntityId,
      submission_code: 'E',
      report_code: 'STR',
      entity_reference: r.caseId,
      fiu_ref_number: r.reportId,
      submission_date: iso(r.submittedAt),
      currency_code_local: 'USD',
      reporting_person: { last_name: r.preparedBy, occupation: 'AML analyst' },
      reason: r.narrative,
      action: `Approved by ${r.approvedBy}`,
      transaction: r.transactions.map((t) => ({
        transactionnumber: t.id,
        transaction_description: `${t.paymentFormat} ${t.amountPaid} ${t.paymentCurrency} -> ${t.amountReceived} ${t.receivingCurrency}`,
        date_transaction: iso(new Date(t.timestamp)),
        transmode_code: TRANSMODE[t.paymentFormat] ?? 'O',
        amount_local: toUsd(t.amountPaid, t.paymentCurrency).toFixed(2),
        t_from: party(t, 'from'),
        t_to: party(t, 'to'),
      })),
      report_indicators: { indicator: r.typologies.length ? r.typologies : ['unspecified'] },
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(doc);
}

/** The same report as JSON (for systems that take JSON, and for the console). */
export function toSarJson(r: SarReport): Record<string, unknown> {
  check(r);
  return {
    reportId: r.reportId,
    caseId: r.caseId,
    reportingEntityId: r.reportingEntityId,
    reportCode: 'STR',
    submittedAt: r.submittedAt.toISOString(),
    preparedBy: r.preparedBy,
    approvedBy: r.approvedBy,
    narrative: r.narrative,
    typologies: r.typologies,
    totalUsd: Math.round(r.transactions.reduce((s, t) => s + toUsd(t.amountPaid, t.paymentCurrency), 0) * 100) / 100,
    parties: [...new Map(r.transactions.flatMap((t) => [
      [`${t.fromBank}:${t.fromAccount}`, { bank: t.fromBank, account: t.fromAccount, name: t.fromName ?? null, country: t.fromCountry ?? null }],
      [`${t.toBank}:${t.toAccount}`, { bank: t.toBank, account: t.toAccount, name: t.toName ?? null, country: t.toCountry ?? null }],
    ] as const)).values()],
    transactions: r.transactions.map((t) => ({ ...t, timestamp: new Date(t.timestamp).toISOString() })),
  };
}
