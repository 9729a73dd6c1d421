/**
 * Territories per canvasser: the stored walk lists (GET .../walk-list, every territory) counted per canvasser, and,
 * for callers with territories:write, a form that splits the treat list among named canvassers (or a count).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, api, unwrap } from '../../api/client';
import { useCan } from '../../api/session';
import type { TerritoryPlan, WalkList } from '../../api/types';
import { Empty, ErrorNote, Loading } from '../../components/Async';
import { TableScroll } from '../../components/TableScroll';
import { count } from '../../lib/format';

export function TerritoriesPanel({ stormId }: { stormId: string }) {
  const can = useCan();
  const qc = useQueryClient();
  const [names, setNames] = useState('');
  const walk = useQuery({
    queryKey: ['walk-list', stormId],
    queryFn: async () => {
      try {
        return await unwrap<WalkList>(
          api.GET('/v1/storms/{storm_id}/walk-list', { params: { path: { storm_id: stormId }, query: {} } }),
        );
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null; // no territory planned yet
        throw err;
      }
    },
  });
  const plan = useMutation({
    mutationFn: (canvassers: string[] | number) =>
      unwrap<TerritoryPlan>(
        api.POST('/v1/storms/{storm_id}/territories', {
          params: { path: { storm_id: stormId } },
          body: { canvassers },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['walk-list', stormId] }),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const list = names
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const n = list.length === 1 && /^\d+$/.test(list[0]!) ? Number(list[0]) : list;
    plan.mutate(n);
  }
  return (
    <section aria-labelledby="territories-title">
      <h2 id="territories-title">Territories</h2>
      {walk.isPending ? (
        <Loading what="territories" />
      ) : walk.error ? (
        <ErrorNote error={walk.error} />
      ) : walk.data ? (
        <PerCanvasser list={walk.data} />
      ) : (
        <Empty>No territory planned yet{can('territories:write') ? ': split the treat list below.' : '.'}</Empty>
      )}
      {can('territories:write') && (
        <form onSubmit={submit}>
          <label>
            Canvassers (names separated by commas or lines, or how many)
            <textarea rows={2} value={names} onChange={(e) => setNames(e.target.value)} required />
          </label>
          <button type="submit" className="secondary" disabled={plan.isPending}>
            Split the treat list
          </button>
          {plan.error && <ErrorNote error={plan.error} />}
          {plan.data && (
            <p role="status">
              {count(plan.data.treat)} treat doors split into {plan.data.territories.length} territories
              {plan.data.unlocated ? ` (${count(plan.data.unlocated)} without a location left out)` : ''}.
            </p>
          )}
        </form>
      )}
    </section>
  );
}

function PerCanvasser({ list }: { list: WalkList }) {
  const rows = new Map<string, { territory: number; doors: number }>();
  for (const f of list.features) {
    const r = rows.get(f.properties.canvasser) ?? { territory: f.properties.territory, doors: 0 };
    r.doors++;
    rows.set(f.properties.canvasser, r);
  }
  return (
    <TableScroll label="Territories per canvasser">
      <table data-testid="territories">
        <thead>
          <tr>
            <th scope="col" className="num">
              Territory
            </th>
            <th scope="col">Canvasser</th>
            <th scope="col" className="num">
              Doors
            </th>
          </tr>
        </thead>
        <tbody>
          {[...rows].map(([name, r]) => (
            <tr key={name}>
              <td className="num">{r.territory}</td>
              <th scope="row">{name}</th>
              <td className="num">{count(r.doors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
