/**
 * Property import by upload: the file goes to POST /v1/storms/{id}/properties/import (streamed, 202 with a job),
 * then the job is polled for live progress (rows and bytes read) until it ends, with its counts and the rows it
 * rejected (GET /v1/imports/{id}/errors), downloadable as CSV.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, authHeaders, download, errorOf, unwrap } from '../../api/client';
import type { ImportJob } from '../../api/types';
import { ErrorNote } from '../../components/Async';
import { TableScroll } from '../../components/TableScroll';
import { count } from '../../lib/format';
import { parseCsv } from '../../lib/csv';

const RUNNING = 'running';

function contentType(file: File): string {
  return /\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv';
}

export function ImportPanel({ stormId }: { stormId: string }) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(true);
  const [sent, setSent] = useState<number | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const job = useQuery({
    queryKey: ['import', importId],
    enabled: importId !== null,
    queryFn: () =>
      unwrap<ImportJob>(api.GET('/v1/imports/{import_id}', { params: { path: { import_id: importId ?? '' } } })),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== RUNNING ? false : 400),
  });
  const done = job.data && job.data.status !== RUNNING ? job.data : null;
  useEffect(() => {
    if (!done) return;
    for (const key of ['storm-map', 'health', 'pilot']) void qc.invalidateQueries({ queryKey: [key, stormId] });
  }, [done, qc, stormId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setImportId(null);
    setSent(0);
    const q = new URLSearchParams({ file_name: file.name, skip_invalid: String(skipInvalid) });
    try {
      const started = await upload(`/v1/storms/${stormId}/properties/import?${q}`, file, setSent);
      setImportId(started.import_id);
    } catch (err) {
      setError(err);
    } finally {
      setSent(null);
    }
  }

  const running = sent !== null || (job.data?.status ?? (importId ? RUNNING : null)) === RUNNING;
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import properties</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Property file (CSV or JSON Lines)
          <input
            type="file"
            accept=".csv,.tsv,.txt,.jsonl,.ndjson,text/csv,application/x-ndjson"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            required
          />
        </label>
        <label>
          <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
          Skip invalid rows (import the rest and list the rejected rows)
        </label>
        <button type="submit" disabled={!file || running}>
          Upload and import
        </button>
      </form>
      {error !== null && <ErrorNote error={error} />}
      {sent !== null && file && (
        <p>
          <label>
            Uploading {file.name}
            <progress value={sent} max={file.size} />
          </label>
        </p>
      )}
      {job.error !== null && job.error !== undefined && <ErrorNote error={job.error} />}
      {job.data && <JobView job={job.data} />}
    </section>
  );
}

function JobView({ job }: { job: ImportJob }) {
  const p = job.progress;
  if (job.status === RUNNING)
    return (
      <div role="status" data-testid="import-progress">
        <label>
          Importing: {count(p?.rows_read ?? job.rows_read)} rows read
          {p?.bytes_total ? ` (${Math.round((100 * p.bytes_read) / p.bytes_total)}%)` : ''}
          <progress {...(p?.bytes_total ? { value: p.bytes_read, max: p.bytes_total } : {})} />
        </label>
      </div>
    );
  return (
    <div role="status" data-testid="import-result" data-status={job.status}>
      <p>
        <strong>Import {job.status}</strong>
        {job.elapsed_ms !== null ? ` in ${(job.elapsed_ms / 1000).toFixed(1)} s` : ''}: {count(job.rows_read)} rows
        read, {count(job.inserted)} new, {count(job.updated)} updated, {count(job.unchanged)} unchanged,{' '}
        {count(job.duplicates)} duplicates, <span data-testid="import-invalid">{count(job.invalid)}</span> rejected.
      </p>
      {typeof job.error?.['message'] === 'string' && <p className="error-note">{job.error['message']}</p>}
      {job.invalid > 0 && <RowErrors importId={job.import_id} />}
    </div>
  );
}

const SHOWN = 50;

function RowErrors({ importId }: { importId: string }) {
  const [error, setError] = useState<unknown>(null);
  const rows = useQuery({
    queryKey: ['import-errors', importId],
    queryFn: async () => {
      const r = await fetch(`/v1/imports/${importId}/errors`, { headers: authHeaders('GET') });
      if (!r.ok) throw await errorOf(r);
      return parseCsv(await r.text()).slice(1);
    },
  });
  if (rows.isPending) return <p aria-busy="true">Loading the rejected rows…</p>;
  if (rows.error) return <ErrorNote error={rows.error} />;
  return (
    <>
      <h3>Rejected rows</h3>
      <TableScroll label="Rejected rows">
        <table data-testid="import-errors">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Column</th>
              <th scope="col">Value</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {rows.data.slice(0, SHOWN).map((r, i) => (
              <tr key={i}>
                <td className="num">{r[0]}</td>
                <td>{r[1]}</td>
                <td>{r[2]}</td>
                <td>{r[4]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {rows.data.length > SHOWN && (
        <p>
          The first {SHOWN} of {count(rows.data.length)} rejected rows.
        </p>
      )}
      <button
        type="button"
        className="secondary"
        onClick={() => download(`/v1/imports/${importId}/errors`, `import-${importId}-errors.csv`).catch(setError)}
      >
        Download the rejected rows (CSV)
      </button>
      {error !== null && <ErrorNote error={error} />}
    </>
  );
}

/** POSTs the file with upload progress (fetch reports none), answering the started job. */
function upload(url: string, file: File, onSent: (bytes: number) => void): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', contentType(file));
    for (const [k, v] of Object.entries(authHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onerror = () => reject(new Error('The upload failed: the server could not be reached.'));
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as ImportJob);
      else void errorOf(response).then(reject);
    };
    xhr.send(file);
  });
}
