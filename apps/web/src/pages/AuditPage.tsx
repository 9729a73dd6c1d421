/** The audit log, newest first (audit:read: the operator, a tenant admin for its own tenant). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEvent } from '../api/types';
import { api, unwrap } from '../api/client';
import { Empty, QueryView } from '../components/Async';
import { TableScroll } from '../components/TableScroll';

const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export default function AuditPage() {
  const [since, setSince] = useState('');
  const events = useQuery({
    queryKey: ['audit', since],
    queryFn: () =>
      unwrap<{ events: AuditEvent[] }>(
        api.GET('/v1/audit', { params: { query: { limit: 200, ...(since ? { since } : {}) } } }),
      ),
  });
  return (
    <>
      <h1>Audit log</h1>
      <label>
        Since
        <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
      </label>
      <QueryView query={events} what="audit events">
        {(d) =>
          d.events.length === 0 ? (
            <Empty>No audit event{since ? ' since then' : ''}.</Empty>
          ) : (
            <TableScroll label="Audit events">
              <table data-testid="audit">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                  </tr>
                </thead>
                <tbody>
                  {d.events.map((e) => (
                    <tr key={e.event_id}>
                      <td>{when.format(new Date(e.at))}</td>
                      <td>
                        {e.actor.kind}
                        {e.actor.role ? ` (${e.actor.role})` : ''}
                      </td>
                      <td>{e.action}</td>
                      <td>{e.target ? `${e.target.type} ${e.target.id?.slice(0, 8) ?? ''}` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
    </>
  );
}
