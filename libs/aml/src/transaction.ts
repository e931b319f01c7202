/** One payment between two accounts, in the words of IBM's AMLworld data set and of the REST API. */
export interface Transaction {
  /** Caller's id; resubmitting it returns the stored decision (idempotent). */
  id: string;
  /** When the payment was made (epoch milliseconds, UTC). */
  timestamp: number;
  fromBank: string;
  fromAccount: string;
  toBank: string;
  toAccount: string;
  amountPaid: number;
  paymentCurrency: string;
  amountReceived: number;
  receivingCurrency: string;
  paymentFormat: string;
  fromName?: string;
  toName?: string;
  fromCountry?: string;
  toCountry?: string;
  /** Ground truth when the source carries it (AMLworld's Is Laundering column); never used to decide. */
  isLaundering?: boolean;
}

/** The account key used by feature state: `bank:account`. */
export function accountKey(bank: string, account: string): string {
  return `${bank}:${account}`;
}

export const PaymentFormat = {
  ACH: 'ACH',
  Bitcoin: 'Bitcoin',
  Cash: 'Cash',
  Cheque: 'Cheque',
  CreditCard: 'Credit Card',
  Reinvestment: 'Reinvestment',
  Wire: 'Wire',
} as const;
export type PaymentFormat = (typeof PaymentFormat)[keyof typeof PaymentFormat];

/** AMLworld's payment formats in the model's one-hot order (card preprocessing.paymentFormats). */
export const PAYMENT_FORMATS: readonly string[] = ['ACH', 'Bitcoin', 'Cash', 'Cheque', 'Credit Card', 'Reinvestment', 'Wire'];
