type Choice = string | { value: string; label: string };

/**
 * One server-side filter of a list page: a labelled select whose empty value means "no filter".
 * `any` names that empty choice; null leaves it out (for selects that always have a value, like sort).
 */
export function FilterSelect({ label, value, onChange, choices, any = 'any' }: { label: string; value: string; onChange: (value: string) => void; choices: readonly Choice[]; any?: string | null }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {any !== null && <option value="">{any}</option>}
        {choices.map((c) => (typeof c === 'string' ? <option key={c} value={c}>{c}</option> : <option key={c.value} value={c.value}>{c.label}</option>))}
      </select>
    </label>
  );
}
