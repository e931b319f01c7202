import { BarChart } from '../charts/bar-chart';
import type { AmlAlert, AmlRule, AmlTransaction, ScreeningResult } from '../api/aml-types';
import { DISAGREEMENT_WORDS, formatScore } from '../layout/format';
import { conditionLines } from '../rules/condition-words';

/** The model track for one transaction: the score against the threshold and what drove it. */
export function ScoreAndFeatures({ txn, threshold }: { txn: AmlTransaction; threshold: number | null }) {
  const top = (txn.topFeatures ?? []).filter((f) => Math.abs(f.contribution) > 1e-4).slice(0, 8);
  return (
    <div className="score-block">
      <p className="score-line">
        <span className="big-score" aria-label={`Model score ${formatScore(txn.score)}`}>
          {formatScore(txn.score)}
        </span>
        <span>
          model score{threshold !== null ? <> (review threshold {formatScore(threshold)})</> : null} · decision <span className={`pill d-${txn.decision}`}>{txn.decision}</span> · rule set v{txn.ruleVersion}
        </span>
      </p>
      <h3>Top features</h3>
      <BarChart
        title="Top features of the model score"
        bars={top.map((f) => ({ label: `${f.feature} = ${round(f.value)}`, value: f.contribution, tone: f.contribution > 0 ? 'alert' : 'muted' }))}
        format={(v) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`}
        width={400}
        labelWidth={150}
        emptyText="No feature attributions for this transaction (it was allowed, so none were computed)."
      />
      <p className="muted small">How much the score drops when the feature is set to its training mean.</p>
    </div>
  );
}

const round = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The rules that fired, each with its conditions in words (from the rule set version in force now). */
export function RulesFired({ txn, rules }: { txn: AmlTransaction; rules: Map<string, AmlRule> | null }) {
  if (!txn.ruleHits?.length) return <p className="empty">No rule fired on this transaction.</p>;
  return (
    <ul className="rule-hits">
      {txn.ruleHits.map((h) => {
        const rule = rules?.get(h.ruleId);
        return (
          <li key={h.ruleId}>
            <p>
              <strong>{h.name}</strong> <span className="pill">{h.typology}</span> <span className={`pill s-${h.severity}`}>{h.severity}</span> <code>{h.ruleId}</code>
            </p>
            {rule ? (
              <>
                {rule.description && <p className="muted">{rule.description}</p>}
                <p className="small">It fires when:</p>
                <ul className="conditions" aria-label={`Conditions of ${h.name}`}>
                  {conditionLines(rule.conditions).map((l, i) => (
                    <li key={i} style={{ marginLeft: `${l.depth * 1.2}em` }}>
                      {l.text}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="muted small">{rules ? 'This rule is no longer in the active rule set.' : 'Loading the rule…'}</p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function Disagreement({ alert }: { alert: AmlAlert | undefined }) {
  if (!alert?.disagreement) return <p className="muted">The model and the rules agree on this alert.</p>;
  return (
    <div className="disagreement" role="note" aria-label="Disagreement between the tracks">
      <strong>{alert.disagreement === 'MODEL_ONLY' ? 'Model only' : 'Rules only'}:</strong> {DISAGREEMENT_WORDS[alert.disagreement]}
    </div>
  );
}

export function SanctionsHits({ result, txns }: { result: ScreeningResult | null; txns: AmlTransaction[] }) {
  const ruleHits = txns.flatMap((t) => (t.ruleHits ?? []).filter((h) => h.typology === 'sanctions').map((h) => ({ t, h })));
  const matches = (result?.results ?? []).filter((r) => r.matches.length);
  const names = new Set(txns.flatMap((t) => [t.fromName, t.toName]).filter(Boolean));
  if (!matches.length && !ruleHits.length) {
    return <p className="empty">No sanctions hits{names.size ? ` for the ${names.size} party names in this case` : ' (the transactions carry no party names)'}.</p>;
  }
  return (
    <div>
      {ruleHits.length > 0 && <p><strong>{ruleHits.length}</strong> transaction(s) hit the sanctions rule.</p>}
      <table className="grid compact" aria-label="Sanctions matches">
        <thead>
          <tr><th scope="col">Party</th><th scope="col">Listed as</th><th scope="col">Score</th><th scope="col">Programs</th><th scope="col">Why</th></tr>
        </thead>
        <tbody>
          {matches.flatMap((r) =>
            r.matches.map((m) => (
              <tr key={`${r.name}-${m.entryId}`}>
                <td>{r.name}</td>
                <td>{m.primaryName}{m.matchedName !== m.primaryName ? ` (alias ${m.matchedName})` : ''}</td>
                <td className="num">{formatScore(m.score)}</td>
                <td>{m.programs.join(', ')}</td>
                <td>{m.why.join('; ')}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
