import { useState } from 'react';
import { api } from '../api/api-client';
import type { CaseComment, CaseFile } from '../api/aml-types';
import { Section } from '../layout/feedback';
import { formatTime } from '../layout/format';
import { saveFile } from '../layout/save-file';
import type { RunAction } from './case-action';

/** The analysts' comments on a case, oldest first. */
export function Comments({ c, onAdded, act, busy }: { c: CaseFile; onAdded: (cm: CaseComment) => void; act: RunAction; busy: boolean }) {
  const [body, setBody] = useState('');
  return (
    <Section title="Comments">
      {c.comments.length ? (
        <ul className="comments" aria-label="Comments">
          {c.comments.map((cm) => (
            <li key={cm.id}>
              <p className="small muted"><strong>{cm.author}</strong> · {formatTime(cm.createdAt)}</p>
              <p>{cm.body}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No comments yet.</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            onAdded(await api.post<CaseComment>(`/api/cases/${c.id}/comments`, { body }));
            setBody('');
          });
        }}
      >
        <label className="block">
          Comment
          <textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || !body.trim()}>Add comment</button>
      </form>
    </Section>
  );
}

type Attachment = CaseFile['attachments'][number];

/** Evidence files: uploaded as base64 JSON (the API's limit is about 10 MB), downloaded with the user's token. */
export function Attachments({ c, onAdded, act, busy }: { c: CaseFile; onAdded: (a: Attachment) => void; act: RunAction; busy: boolean }) {
  const upload = (file: File) =>
    act(async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      onAdded(await api.post<Attachment>(`/api/cases/${c.id}/attachments`, { filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: btoa(binary) }));
    });
  const download = (a: Attachment) =>
    act(async () => {
      const res = await api.raw('GET', `/api/cases/${c.id}/attachments/${a.id}`, undefined, { Accept: '*/*' });
      await saveFile(res, a.filename);
    });
  return (
    <Section title="Attachments">
      {c.attachments.length ? (
        <ul className="comments" aria-label="Attachments">
          {c.attachments.map((a) => (
            <li key={a.id}>
              <button type="button" className="link" onClick={() => void download(a)}>{a.filename}</button>{' '}
              <span className="muted small">{a.size < 1024 ? `${a.size} bytes` : `${(a.size / 1024).toFixed(1)} KB`} · {a.uploadedBy} · {formatTime(a.createdAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No attachments.</p>
      )}
      <label className="file-button">
        Attach a file
        <input
          type="file"
          disabled={busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void upload(f);
          }}
        />
      </label>
    </Section>
  );
}
