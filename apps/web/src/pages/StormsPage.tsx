/** The tenant's storms, newest first, each linking to its page. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import type { Storm } from '../api/types';
import { Empty, QueryView } from '../components/Async';
import { usDate } from '../lib/format';
import { TableScroll } from '../components/TableScroll';

export default function StormsPage() {
  const storms = useQuery({
    queryKey: ['storms'],
    queryFn: () => unwrap<{ storms: Storm[] }>(api.GET('/v1/storms', { params: { query: { limit: 200 } } })),
  });
  return (
    <>
      <h1>Storms</h1>
      <QueryView query={storms} what="storms">
        {({ storms: list }) =>
          list.length === 0 ? (
            <Empty>No storms yet. Create one with `stormops storm create` or the API.</Empty>
          ) : (
            <TableScroll label="Storms table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Storm</th>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Dates</th>
                    <th scope="col">Region</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.storm_id}>
                      <th scope="row">
                        <Link href={`/storms/${s.storm_id}`}>{s.name}</Link>
                      </th>
                      <td>{s.event_id}</td>
                      <td>{s.status}</td>
                      <td>
                        {usDate(s.starts_at)}
                        {s.ends_at && s.ends_at !== s.starts_at ? ` – ${usDate(s.ends_at)}` : ''}
                      </td>
                      <td>{s.region ?? '—'}</td>
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
