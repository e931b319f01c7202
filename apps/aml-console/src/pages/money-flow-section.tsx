import { useMemo, useState } from 'react';
import { api } from '../api/api-client';
import type { AmlTransaction, CaseFile, Page } from '../api/aml-types';
import { ErrorMessage, Loading } from '../layout/feedback';
import { formatTime, formatUsd } from '../layout/format';
import { useApi } from '../layout/use-api';
import { buildMoneyFlow, type Transfer } from '../money-flow/money-flow';
import { MoneyFlowGraph } from '../money-flow/money-flow-graph';

/** Neighbourhood fetched for the picture: this many accounts, this many transfers each. */
const FLOW_ACCOUNTS = 8;
const FLOW_PER_ACCOUNT = 100;

/** The case's transfers and their accounts' other transfers, drawn, with the pinned account's list. */
export function MoneyFlowSection({ c }: { c: CaseFile }) {
  const accounts = useMemo(() => c.accounts.slice(0, FLOW_ACCOUNTS), [c.accounts]);
  const around = useApi(
    () => Promise.all(accounts.map((a) => api.get<Page<AmlTransaction>>('/api/transactions', { account: a, pageSize: FLOW_PER_ACCOUNT }).then((p) => p.items))).then((x) => x.flat()),
    [accounts.join(',')],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const flagged = useMemo(() => new Set(c.transactions.map((t) => t.id)), [c.transactions]);
  const flow = useMemo(() => {
    const all = [...c.transactions, ...(around.data ?? [])];
    const transfers: Transfer[] = all.map((t) => ({ id: t.id, timestamp: t.timestamp, from: `${t.fromBank}:${t.fromAccount}`, to: `${t.toBank}:${t.toAccount}`, amountUsd: t.amountUsd, flagged: flagged.has(t.id) }));
    return buildMoneyFlow(transfers, c.accounts);
  }, [c, around.data, flagged]);
  const ofSelected = selected ? [...c.transactions, ...(around.data ?? [])].filter((t, i, all) => all.findIndex((x) => x.id === t.id) === i && (`${t.fromBank}:${t.fromAccount}` === selected || `${t.toBank}:${t.toAccount}` === selected)) : [];
  return (
    <div>
      <ErrorMessage error={around.error} context="neighbouring transfers" />
      {around.loading && <Loading what="neighbouring transfers" />}
      <p className="legend small">
        <span className="key flagged" /> alerted transfer in this case <span className="key normal" /> other transfer <span className="key case-node" /> case account · hover or focus an account to highlight its transfers, click or press Enter to pin it.
      </p>
      <MoneyFlowGraph flow={flow} onSelect={setSelected} />
      {selected && (
        <div role="region" aria-label={`Transfers of ${selected}`}>
          <h3>Transfers of {selected}</h3>
          <table className="grid compact">
            <thead><tr><th scope="col">Time</th><th scope="col">Direction</th><th scope="col">Counterparty</th><th scope="col">Amount (USD)</th><th scope="col">Decision</th></tr></thead>
            <tbody>
              {ofSelected.map((t) => {
                const out = `${t.fromBank}:${t.fromAccount}` === selected;
                return (
                  <tr key={t.id} className={flagged.has(t.id) ? 'flagged-row' : undefined}>
                    <td>{formatTime(t.timestamp)}</td>
                    <td>{out ? 'sent' : 'received'}</td>
                    <td className="acct">{out ? `${t.toBank}:${t.toAccount}` : `${t.fromBank}:${t.fromAccount}`}</td>
                    <td className="num">{formatUsd(t.amountUsd)}</td>
                    <td>{t.decision}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
