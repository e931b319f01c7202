import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { currencyName, UnknownCurrencyError } from '../currency';
import type { Transaction } from '../transaction';

/** Why an ISO 20022 message was refused; the HTTP layer answers 400 with this message. */
export class Iso20022Error extends Error {}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  // entities are never expanded: with DTDs refused there is nothing legitimate to expand
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['CdtTrfTxInf', 'PmtInf'].includes(name),
});

/**
 * Refuses anything that could make an XML parser reach outside the message or blow up:
 * DOCTYPE declarations (internal or external DTDs), ENTITY declarations and processing
 * instructions other than the XML declaration. Checked on the raw text before parsing.
 */
export function assertNoDtd(xml: string): void {
  if (/<!DOCTYPE/i.test(xml)) throw new Iso20022Error('DOCTYPE declarations are not accepted (DTDs and external entities are refused)');
  if (/<!ENTITY/i.test(xml)) throw new Iso20022Error('ENTITY declarations are not accepted');
  if (/<\?(?!xml[\s?])/i.test(xml)) throw new Iso20022Error('processing instructions are not accepted');
}

const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return text((v as Node)['#text']);
  const s = String(v).trim();
  return s || undefined;
};
const at = (n: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Node)[k] : undefined), n);

function amountOf(node: unknown, where: string): { amount: number; currency: string } {
  const value = text(node);
  const ccy = node && typeof node === 'object' ? text((node as Node)['@_Ccy']) : undefined;
  if (!value) throw new Iso20022Error(`${where}: amount missing`);
  if (!/^\d{1,18}(\.\d{1,5})?$/.test(value)) throw new Iso20022Error(`${where}: amount "${value}" is not a decimal`);
  if (!ccy) throw new Iso20022Error(`${where}: Ccy attribute missing`);
  try {
    return { amount: Number(value), currency: currencyName(ccy) };
  } catch (e) {
    if (e instanceof UnknownCurrencyError) throw new Iso20022Error(`${where}: currency ${ccy} is not supported`);
    throw e;
  }
}

function accountOf(acct: unknown, where: string): string {
  const id = text(at(acct, 'Id', 'IBAN')) ?? text(at(acct, 'Id', 'Othr', 'Id'));
  if (!id) throw new Iso20022Error(`${where}: account Id (IBAN or Othr/Id) missing`);
  return id;
}

function agentOf(agent: unknown): string {
  const fin = at(agent, 'FinInstnId');
  return text(at(fin, 'BICFI')) ?? text(at(fin, 'BIC')) ?? text(at(fin, 'ClrSysMmbId', 'MmbId')) ?? text(at(fin, 'Othr', 'Id')) ?? 'UNKNOWN';
}

function dateOf(value: string | undefined, where: string): number {
  if (!value) throw new Iso20022Error(`${where}: date missing`);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new Iso20022Error(`${where}: "${value}" is not an ISO date`);
  return ms;
}

function parse(xml: string): Node {
  assertNoDtd(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Iso20022Error(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const doc = parser.parse(xml) as Node;
  const root = doc.Document as Node | undefined;
  if (!root || typeof root !== 'object') throw new Iso20022Error('root element must be Document');
  return root;
}

/**
 * Credit transfers of a pacs.008 (FIToFICstmrCdtTrf) or pain.001 (CstmrCdtTrfInitn) message as
 * transactions, in document order. Ids are the UETR when present, else `MsgId/EndToEndId` (or TxId),
 * so re-sending a message is idempotent.
 * @throws Iso20022Error naming the element at fault
 */
export function parseIso20022(xml: string): Transaction[] {
  const root = parse(xml);
  if (root.FIToFICstmrCdtTrf) return pacs008(root.FIToFICstmrCdtTrf as Node);
  if (root.CstmrCdtTrfInitn) return pain001(root.CstmrCdtTrfInitn as Node);
  throw new Iso20022Error(`unsupported message: Document holds ${Object.keys(root).filter((k) => !k.startsWith('@_')).join(', ') || 'nothing'}; expected FIToFICstmrCdtTrf (pacs.008) or CstmrCdtTrfInitn (pain.001)`);
}

function pacs008(msg: Node): Transaction[] {
  const hdr = msg.GrpHdr as Node | undefined;
  const msgId = text(at(hdr, 'MsgId'));
  if (!msgId) throw new Iso20022Error('GrpHdr/MsgId missing');
  const created = dateOf(text(at(hdr, 'CreDtTm')), 'GrpHdr/CreDtTm');
  const txs = (msg.CdtTrfTxInf as Node[] | undefined) ?? [];
  if (!txs.length) throw new Iso20022Error('no CdtTrfTxInf in the message');
  return txs.map((tx, i) => {
    const where = `CdtTrfTxInf[${i + 1}]`;
    const settled = amountOf(tx.IntrBkSttlmAmt, `${where}/IntrBkSttlmAmt`);
    const instructed = tx.InstdAmt ? amountOf(tx.InstdAmt, `${where}/InstdAmt`) : settled;
    const pmt = tx.PmtId as Node | undefined;
    const ref = text(at(pmt, 'UETR')) ?? `${msgId}/${text(at(pmt, 'TxId')) ?? text(at(pmt, 'EndToEndId')) ?? i + 1}`;
    const when = text(tx.AccptncDtTm) ?? text(tx.IntrBkSttlmDt);
    return {
      id: ref,
      timestamp: when ? dateOf(when, `${where}/AccptncDtTm`) : created,
      fromBank: agentOf(tx.DbtrAgt),
      fromAccount: accountOf(tx.DbtrAcct, `${where}/DbtrAcct`),
      toBank: agentOf(tx.CdtrAgt),
      toAccount: accountOf(tx.CdtrAcct, `${where}/CdtrAcct`),
      amountPaid: instructed.amount,
      paymentCurrency: instructed.currency,
      amountReceived: settled.amount,
      receivingCurrency: settled.currency,
      paymentFormat: 'Wire',
      fromName: text(at(tx, 'Dbtr', 'Nm')),
      toName: text(at(tx, 'Cdtr', 'Nm')),
      fromCountry: text(at(tx, 'Dbtr', 'PstlAdr', 'Ctry')),
      toCountry: text(at(tx, 'Cdtr', 'PstlAdr', 'Ctry')),
    };
  });
}

function pain001(msg: Node): Transaction[] {
  const msgId = text(at(msg, 'GrpHdr', 'MsgId'));
  if (!msgId) throw new Iso20022Error('GrpHdr/MsgId missing');
  const created = dateOf(text(at(msg, 'GrpHdr', 'CreDtTm')), 'GrpHdr/CreDtTm');
  const blocks = (msg.PmtInf as Node[] | undefined) ?? [];
  if (!blocks.length) throw new Iso20022Error('no PmtInf in the message');
  const out: Transaction[] = [];
  blocks.forEach((pi, b) => {
    const where = `PmtInf[${b + 1}]`;
    const exec = text(at(pi, 'ReqdExctnDt', 'DtTm')) ?? text(at(pi, 'ReqdExctnDt', 'Dt')) ?? text(pi.ReqdExctnDt);
    const ts = exec ? dateOf(exec, `${where}/ReqdExctnDt`) : created;
    const fromAccount = accountOf(pi.DbtrAcct, `${where}/DbtrAcct`);
    const fromBank = agentOf(pi.DbtrAgt);
    const txs = (pi.CdtTrfTxInf as Node[] | undefined) ?? [];
    if (!txs.length) throw new Iso20022Error(`${where}: no CdtTrfTxInf`);
    txs.forEach((tx, i) => {
      const w = `${where}/CdtTrfTxInf[${i + 1}]`;
      const amt = amountOf(at(tx, 'Amt', 'InstdAmt'), `${w}/Amt/InstdAmt`);
      out.push({
        id: `${msgId}/${text(at(tx, 'PmtId', 'EndToEndId')) ?? `${b + 1}.${i + 1}`}`,
        timestamp: ts,
        fromBank,
        fromAccount,
        toBank: agentOf(tx.CdtrAgt),
        toAccount: accountOf(tx.CdtrAcct, `${w}/CdtrAcct`),
        amountPaid: amt.amount,
        paymentCurrency: amt.currency,
        amountReceived: amt.amount,
        receivingCurrency: amt.currency,
        paymentFormat: 'Wire',
        fromName: text(at(pi, 'Dbtr', 'Nm')),
        toName: text(at(tx, 'Cdtr', 'Nm')),
        fromCountry: text(at(pi, 'Dbtr', 'PstlAdr', 'Ctry')),
        toCountry: text(at(tx, 'Cdtr', 'PstlAdr', 'Ctry')),
      });
    });
  });
  return out;
}
