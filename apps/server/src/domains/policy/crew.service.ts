/**
 * Crew work: split a storm's treat list among canvassers by geography, export each list in walking order (CSV or
 * GeoJSON), and the canvassing log. A knock on a hold property is contamination: it is flagged when written and
 * reported in the knock's answer and in the storm's contamination summary.
 */
import { csvRow } from '../../lib/csv/writer.ts';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { authorize, type ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { parse } from '../validate.ts';
import { contamination, insertKnocks, knockByKey, type KnockRow } from './knocks.repo.ts';
import { routeKm, splitTerritories, walkingOrder, type Door } from './territories.ts';
import * as territories from './territories.repo.ts';
import type { ContaminationView } from './policy.schema.ts';
import {
  knockInput,
  planInput,
  walkListInput,
  type KnockInput,
  type LogKnocksInput,
  type PlanInput,
  type WalkListInput,
} from './crew.schema.ts';

export { KNOCK_RESULTS } from './knock-results.ts';
export interface TerritoryView {
  territory: number;
  canvasser: string;
  doors: number;
  route_km: number;
  bbox: [number, number, number, number] | null;
}

/** Splits the treat list into territories (recursive bisection) and stores each door's canvasser and walk order. */
export async function planTerritories(ctx: ServiceContext, input: PlanInput) {
  authorize(ctx, 'territories:write');
  const p = parse(planInput, input);
  const names =
    typeof p.canvassers === 'number'
      ? Array.from({ length: p.canvassers }, (_, i) => `canvasser-${i + 1}`)
      : p.canvassers;
  if (new Set(names).size !== names.length)
    throw new AppError('VALIDATION', 'canvasser names must be distinct', { field: 'canvassers' });
  return withStorm(ctx, p.storm_id, async (trx, storm) => {
    const rows = await territories.treatDoors(trx, storm.storm_id);
    const located = rows.filter((r): r is Door => r.lat !== null && r.lon !== null);
    const groups = splitTerritories(located, names.length).map(walkingOrder);
    const ids: string[] = [],
      terr: number[] = [],
      seq: number[] = [],
      who: string[] = [];
    groups.forEach((g, t) =>
      g.forEach((d, i) => (ids.push(d.property_id), terr.push(t + 1), seq.push(i + 1), who.push(names[t]!))),
    );
    await territories.replaceTerritories(trx, storm.storm_id, { ids, territory: terr, seq, canvasser: who });
    const planned: TerritoryView[] = groups.map((g, t) => ({
      territory: t + 1,
      canvasser: names[t]!,
      doors: g.length,
      route_km: Math.round(routeKm(g) * 100) / 100,
      bbox: g.length
        ? [
            Math.min(...g.map((d) => d.lon)),
            Math.min(...g.map((d) => d.lat)),
            Math.max(...g.map((d) => d.lon)),
            Math.max(...g.map((d) => d.lat)),
          ]
        : null,
    }));
    return {
      storm_id: storm.storm_id,
      treat: rows.length,
      unlocated: rows.length - located.length,
      territories: planned,
    };
  });
}

/** One territory's (or every territory's) walk list: CSV text or a GeoJSON FeatureCollection. */
export async function exportWalkList(ctx: ServiceContext, walkList: WalkListInput) {
  authorize(ctx, 'walklists:read');
  const input = parse(walkListInput, walkList);
  return withStorm(ctx, input.storm_id, async (trx, storm) => {
    const rows = await territories.walkList(trx, storm.storm_id, input.territory);
    if (rows.length === 0)
      throw new AppError(
        'NOT_FOUND',
        `storm ${storm.storm_id} has no planned territory${input.territory ? ` ${input.territory}` : ''}: run policy territories first`,
      );
    if (input.format === 'geojson') {
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((w) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [w.lon, w.lat] as [number, number] },
          properties: {
            territory: w.territory,
            canvasser: w.canvasser,
            walk_seq: w.walk_seq,
            property_id: w.property_id,
            address: w.address_line,
            zip: w.zip,
          },
        })),
      };
    }
    const lines = ['territory,canvasser,walk_seq,property_id,address,city,zip,lat,lon'];
    for (const w of rows)
      lines.push(
        csvRow([w.territory, w.canvasser, w.walk_seq, w.property_id, w.address_line, w.city, w.zip, w.lat, w.lon]),
      );
    return lines.join('\n') + '\n';
  });
}

export interface KnockView extends Omit<KnockRow, 'knocked_at' | 'recorded_at'> {
  knocked_at: string;
  recorded_at: string;
  warning: string | null;
  contamination: ContaminationView;
}

function knockView(k: KnockRow, c: ContaminationView): KnockView {
  return {
    ...k,
    knocked_at: new Date(k.knocked_at).toISOString(),
    recorded_at: new Date(k.recorded_at).toISOString(),
    warning: k.contaminated
      ? `property ${k.property_id} is in the hold (control) group: this knock contaminates the experiment`
      : null,
    contamination: c,
  };
}

/** Logs one knock; a hold property's knock is recorded and flagged as contamination (never refused: it happened). */
export async function logKnock(ctx: ServiceContext, input: KnockInput): Promise<KnockView> {
  authorize(ctx, 'knocks:write');
  const k = parse(knockInput, input);
  return withStorm(ctx, k.storm_id, async (trx, storm) => {
    const rows = await insertKnocks(trx, {
      tenantId: storm.tenant_id,
      stormId: storm.storm_id,
      propertyIds: [k.property_id],
      canvassers: [k.canvasser],
      results: [k.result],
      knockedAt: [k.knocked_at ?? new Date().toISOString()],
      keys: [k.idempotency_key ?? randomUUID()],
    });
    const row = rows[0] ?? (k.idempotency_key ? await knockByKey(trx, k.idempotency_key) : undefined);
    if (!row)
      throw new AppError('NOT_FOUND', `property ${k.property_id} not found in storm ${storm.storm_id}`, {
        property_id: k.property_id,
      });
    return knockView(row, await contamination(trx, storm.storm_id));
  });
}

/** Many knocks of one storm in one statement (imports, demos); returns written and contaminated counts. */
export async function logKnocks(ctx: ServiceContext, input: LogKnocksInput) {
  authorize(ctx, 'knocks:write');
  const logged = await withStorm(ctx, input.storm_id, async (trx, storm) => {
    const ks = input.knocks;
    const rows = await insertKnocks(trx, {
      tenantId: storm.tenant_id,
      stormId: storm.storm_id,
      propertyIds: ks.map((x) => x.property_id),
      canvassers: ks.map((x) => x.canvasser),
      results: ks.map((x) => x.result),
      knockedAt: ks.map((x) => x.knocked_at),
      keys: ks.map((x) => x.idempotency_key ?? randomUUID()),
    });
    return {
      storm_id: storm.storm_id,
      written: rows.length,
      contaminated: rows.filter((r) => r.contaminated).length,
      contamination: await contamination(trx, storm.storm_id),
    };
  });
  if (logged.written > 0) await ctx.db.analyze(['knock']);
  return logged;
}
