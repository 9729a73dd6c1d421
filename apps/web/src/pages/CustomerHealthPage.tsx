/**
 * Platform staff's customer health (the playbook's CustomerHealthDashboard): every tenant's health score, usage
 * ratio, projected cost and flags, sortable and filterable. The API refuses callers without billing:read, and the
 * page says so.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, unwrap } from '../api/client';
import type { CustomerHealth } from '../api/types';
import { Empty, QueryView } from '../components/Async';
import { money, ratioPct } from '../lib/format';
import { TableScroll } from '../components/TableScroll';

type SortKey = 'org_name' | 'health_score' | 'usage_ratio' | 'projected_cost_cents';
const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'org_name', label: 'Organization', numeric: false },
  { key: 'health_score', label: 'Health', numeric: true },
  { key: 'usage_ratio', label: 'Usage', numeric: true },
  { key: 'projected_cost_cents', label: 'Projected cost', numeric: true },
];

export default function CustomerHealthPage() {
  const health = useQuery({
    queryKey: ['customer-health'],
    queryFn: () => unwrap<{ tenants: CustomerHealth[] }>(api.GET('/billing/usage')),
  });
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'health_score', asc: true });
  const [text, setText] = useState('');
  const [flag, setFlag] = useState('');
  const tenants = health.data?.tenants;
  const flags = useMemo(() => [...new Set((tenants ?? []).flatMap((t) => t.flags))].sort(), [tenants]);
  const rows = useMemo(() => {
    const q = text.trim().toLowerCase();
    const list = (tenants ?? []).filter(
      (t) => (!q || t.org_name.toLowerCase().includes(q) || t.tier.includes(q)) && (!flag || t.flags.includes(flag)),
    );
    const dir = sort.asc ? 1 : -1;
    return list.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      return (typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number)) * dir;
    });
  }, [tenants, text, flag, sort]);

  return (
    <>
      <h1>Customer health</h1>
      <QueryView query={health} what="customer health">
        {() => (
          <>
            <div className="grid-2">
              <label>
                Search organizations
                <input type="search" value={text} onChange={(e) => setText(e.currentTarget.value)} />
              </label>
              <label>
                Flag
                <select value={flag} onChange={(e) => setFlag(e.currentTarget.value)}>
                  <option value="">Any</option>
                  {flags.map((f) => (
                    <option key={f} value={f}>
                      {f}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {rows.length === 0 ? (
              <Empty>No tenant matches.</Empty>
            ) : (
              <TableScroll label="Tenants">
                <table data-testid="health-table">
                  <thead>
                    <tr>
                      {COLUMNS.map((c) => (
                        <th
                          key={c.key}
                          scope="col"
                          className={c.numeric ? 'num' : undefined}
                          aria-sort={sort.key === c.key ? (sort.asc ? 'ascending' : 'descending') : 'none'}
                        >
                          <button
                            type="button"
                            className="secondary outline"
                            onClick={() => setSort({ key: c.key, asc: sort.key === c.key ? !sort.asc : true })}
                          >
                            {c.label}
                          </button>
                        </th>
                      ))}
                      <th scope="col">Tier</th>
                      <th scope="col">Flags</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((t) => (
                      <tr key={t.tenant_id}>
                        <th scope="row">{t.org_name}</th>
                        <td className="num">{t.health_score.toFixed(2)}</td>
                        <td className="num">{ratioPct(t.usage_ratio)}</td>
                        <td className="num">{money(t.projected_cost_cents)}</td>
                        <td>{t.tier}</td>
                        <td>{t.flags.join(', ') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
