/** SQL for metric buckets: additive upserts and windowed sums. Functions take a platform transaction first. */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { Counts } from './slo.burn.ts';

export interface BucketDelta {
  series: string;
  bucketStart: Date;
  good: number;
  total: number;
}

/** Adds counts to their (series, minute) rows; concurrent writers add up instead of overwriting. */
export async function addToBuckets(trx: Trx, deltas: readonly BucketDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await trx
    .insertInto('metric_bucket')
    .values(deltas.map((d) => ({ series: d.series, bucket_start: d.bucketStart, good: d.good, total: d.total })))
    .onConflict((oc) =>
      oc.columns(['series', 'bucket_start']).doUpdateSet({
        good: sql`metric_bucket.good + excluded.good`,
        total: sql`metric_bucket.total + excluded.total`,
      }),
    )
    .execute();
}

/**
 * Sums good/total per series over windows ending at `now`: a window of w minutes covers buckets starting in
 * [now - w, now). One scan for all series and windows.
 */
export async function windowSums(
  trx: Trx,
  series: readonly string[],
  now: Date,
  windowsMinutes: readonly number[],
): Promise<Map<string, Map<number, Counts>>> {
  const out = new Map<string, Map<number, Counts>>();
  if (series.length === 0 || windowsMinutes.length === 0) return out;
  const widest = Math.max(...windowsMinutes);
  const from = (m: number) => new Date(now.getTime() - m * 60_000);
  const columns = windowsMinutes.map(
    (m, i) =>
      sql`coalesce(sum(good) filter (where bucket_start >= ${from(m)}), 0)::float8 as ${sql.ref(`g${i}`)},
          coalesce(sum(total) filter (where bucket_start >= ${from(m)}), 0)::float8 as ${sql.ref(`t${i}`)}`,
  );
  const rows = await sql<Record<string, unknown>>`
    select series, ${sql.join(columns)}
    from metric_bucket
    where series in (${sql.join(series)}) and bucket_start >= ${from(widest)} and bucket_start < ${now}
    group by series`.execute(trx);
  for (const name of series) out.set(name, new Map(windowsMinutes.map((m) => [m, { good: 0, total: 0 }])));
  for (const row of rows.rows) {
    const perWindow = out.get(String(row['series']));
    windowsMinutes.forEach((m, i) => perWindow?.set(m, { good: Number(row[`g${i}`]), total: Number(row[`t${i}`]) }));
  }
  return out;
}

/** Deletes buckets older than `before` (retention). */
export async function pruneBuckets(trx: Trx, before: Date): Promise<number> {
  const r = await trx.deleteFrom('metric_bucket').where('bucket_start', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Bad events (total - good) on a series in [from, to): did this series see failures in that span. */
export async function badEvents(trx: Trx, series: string, from: Date, to: Date): Promise<number> {
  const r = await sql<{ bad: number }>`
    select coalesce(sum(total - good), 0)::float8 as bad from metric_bucket
    where series = ${series} and bucket_start >= ${from} and bucket_start < ${to}`.execute(trx);
  return Number(r.rows[0]?.bad ?? 0);
}
