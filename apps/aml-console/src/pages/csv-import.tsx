import { useRef, useState, type ChangeEvent } from 'react';
import { api } from '../api/api-client';
import type { ImportSummary, Job } from '../api/aml-types';
import { ErrorMessage } from '../layout/feedback';

/**
 * Uploads an AMLworld CSV as a stream (the service decides it as a background job) and follows the
 * job's progress; bad lines are listed by number, good lines are kept.
 */
export function CsvImport({ onDone }: { onDone: (s: ImportSummary) => void }) {
  const [job, setJob] = useState<Job<ImportSummary> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setError(null);
    setJob(null);
    try {
      const started = await api.post<{ jobId?: string; id?: string }>(`/api/transactions/import?filename=${encodeURIComponent(file.name)}`, file, { 'Content-Type': 'application/octet-stream' });
      const jobId = started.jobId ?? started.id;
      if (!jobId) throw new Error('the service accepted the upload but named no job to follow');
      for (;;) {
        const j = await api.get<Job<ImportSummary>>(`/api/jobs/${encodeURIComponent(jobId)}`);
        setJob(j);
        if (j.status === 'done') {
          if (j.result) onDone(j.result);
          break;
        }
        if (j.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 400));
      }
    } catch (err) {
      setError(err);
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  const s = job?.result;
  return (
    <div className="import">
      <label className="file-button">
        Import AMLworld CSV
        <input ref={input} type="file" accept=".csv,text/csv" onChange={(e) => void upload(e)} />
      </label>
      {job && job.status !== 'done' && job.status !== 'failed' && (
        <span className="progress-line">
          <progress max={1} value={job.progress} aria-label="Import progress" /> {Math.round(job.progress * 100)}%
        </span>
      )}
      {job?.status === 'failed' && <div role="alert" className="error">Import failed: {job.error}</div>}
      {s && (
        <div role="status" className="notice">
          Import finished: {s.rows} rows, {s.decided} decided, {s.alerts} alerts, {s.duplicates} duplicates, {s.badLines} bad lines.
          {s.errors.length > 0 && (
            <details>
              <summary>Bad lines</summary>
              <ul>
                {s.errors.slice(0, 50).map((x) => (
                  <li key={x.line}>
                    line {x.line}: {x.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      <ErrorMessage error={error} context="import" />
    </div>
  );
}
