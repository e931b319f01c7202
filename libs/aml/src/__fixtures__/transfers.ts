import type { Transaction } from '../transaction';

/** A same-bank US-dollar transfer `minute` minutes after 2022-09-01 00:00 UTC, for hand-made sequences. */
export function usdTransfer(id: string, minute: number, from: string, to: string, amount: number, paymentFormat = 'ACH', extra: Partial<Transaction> = {}): Transaction {
  return {
    id,
    timestamp: Date.UTC(2022, 8, 1) + minute * 60_000,
    fromBank: '001',
    fromAccount: from,
    toBank: '001',
    toAccount: to,
    amountPaid: amount,
    paymentCurrency: 'US Dollar',
    amountReceived: amount,
    receivingCurrency: 'US Dollar',
    paymentFormat,
    ...extra,
  };
}
