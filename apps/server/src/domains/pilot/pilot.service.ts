/**
 * The pilot runner (the playbook's `PilotStormRunner(tenant_id, storm_id).run_pilot(policy_mode)`): aggregates the
 * storm in SQL, adds its data health and the platform's SLO status over the storm, computes the results on
 * sufficient statistics, and renders them as JSON, Markdown, HTML or PDF.
 */
import { randomUUID } from 'node:crypto';
import { announceQuotaAlerts, checkQuota, meterInTx } from '../billing/metering.ts';
import { AppError } from '../../errors.ts';
import { authorize, PLATFORM, type ServiceContext } from '../auth/principal.ts';
import { statusOf } from '../observability/data-health.checks.ts';
import { getHealthDashboard } from '../observability/data-health.service.ts';
import { tenantSloStatus } from '../slo/slo.service.ts';
import { requireFeature } from '../tenants/tenant-flags.ts';
import { withStorm } from '../storms/storms.service.ts';
import { DEFAULT_CREW_HOUR_COST_CENTS } from '../policy/policy.schema.ts';
import {
  appliedRun,
  armTotals,
  batchRows,
  bucketRows,
  dailySeries,
  knockLogCrewHours,
  MAX_ZIP_SEGMENTS,
  scoreBuckets,
  SEGMENT_DIMENSIONS,
  segmentRows,
} from './pilot.repo.ts';
import { latestFeedback } from './pilot-feedback.repo.ts';
import { expectedHoldShare } from './pilot.batches.ts';
import { computePilotResults } from './pilot.compute.ts';
import { renderPilot, type PilotFormat } from './pilot.render.ts';
import { runPilotInput, type PilotInputs, type PilotResults, type RunPilotInput } from './pilot.schema.ts';
import { parse } from '../validate.ts';

/** A crew day, for turning the policy's doors per day into doors per crew hour. */
export const CREW_DAY_HOURS = 8;

/** The operation's input (pilot.schema.ts) and the report's clock (tests). */
export type RunPilotOptions = RunPilotInput & { now?: Date };

function pilotInput({ now, ...input }: RunPilotOptions) {
  return { input: parse(runPilotInput, input), now: now ?? new Date() };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export async function gatherPilotInputs(ctx: ServiceContext, options: RunPilotOptions): Promise<PilotInputs> {
  authorize(ctx, 'reports:read');
  return gather(ctx, pilotInput(options));
}

/** The aggregates of a storm for its parsed input (runPilot parses once and calls this). */
async function gather(ctx: ServiceContext, { input, now }: ReturnType<typeof pilotInput>): Promise<PilotInputs> {
  // The aggregates, the health checks and the SLO status are independent: on server Postgres they run on separate
  // pooled connections at once (PGlite serializes them on its one connection).
  const gathering = withStorm(ctx, input.storm_id, async (trx, storm) => {
    await requireFeature(ctx, storm.tenant_id, 'pilot_reports', trx);
    if (input.format === 'pdf') await requireFeature(ctx, storm.tenant_id, 'pdf_reports', trx);
    await checkQuota(trx, storm.tenant_id, 'reports_generated', 1);
    const run = await appliedRun(trx, input.storm_id);
    if (!run)
      throw new AppError(
        'CONFLICT',
        `storm ${storm.event_id} has no applied policy: apply one (stormops policy apply) before running the pilot report`,
      );
    if (input.mode && input.mode !== run.mode) {
      throw new AppError(
        'VALIDATION',
        `mode: the storm's arms were assigned by the ${run.mode} policy, not ${input.mode}`,
      );
    }
    const doorsPerHour = Number(run.params['doors_per_day'] ?? 60) / CREW_DAY_HOURS;
    return {
      storm,
      run,
      buckets: await bucketRows(trx, input.storm_id),
      crewHours: await knockLogCrewHours(trx, input.storm_id, doorsPerHour),
      feedback: await latestFeedback(trx, input.storm_id),
      segments: segmentInputs(await segmentRows(trx, input.storm_id)),
      batches: await batchRows(trx, input.storm_id),
    };
  });
  const [{ storm, run, buckets, crewHours, feedback, segments, batches }, daily, health, slo] = await Promise.all([
    gathering,
    withStorm(ctx, input.storm_id, (trx) => dailySeries(trx, input.storm_id)),
    getHealthDashboard(ctx, input.storm_id, { now }),
    gathering.then(({ storm: s }) =>
      tenantSloStatus({ db: ctx.db, principal: PLATFORM }, s.tenant_id, new Date(s.starts_at ?? s.created_at), now),
    ),
  ]);
  // The campaign's period: the storm's own dates, else the days its outcomes were logged (a May 2013 storm does not
  // read "today to today"), else the day it was created.
  const startsOn = storm.starts_at
    ? day(new Date(storm.starts_at))
    : (daily[0]?.date ?? day(new Date(storm.created_at)));
  const endsOn = storm.ends_at ? day(new Date(storm.ends_at)) : (daily.at(-1)?.date ?? startsOn);
  const p = run.params;
  return {
    storm: {
      storm_id: storm.storm_id,
      event_id: storm.event_id,
      name: storm.name,
      starts_on: startsOn,
      ends_on: endsOn < startsOn ? startsOn : endsOn,
    },
    policy: {
      mode: run.mode as 'moderate',
      // Each home's own batch share, averaged: the SRM check must not judge a moderate batch by an aggressive one.
      hold_share: expectedHoldShare(batches) ?? Number(p['hold_share']),
      cost_per_knock_cents: Number(p['cost_per_knock_cents'] ?? 0),
      doors_per_crew_hour: Number(p['doors_per_day'] ?? 60) / CREW_DAY_HOURS,
      ...(crewHours !== null ? { crew_hours: crewHours, crew_hours_source: 'knock_log' as const } : {}),
      crew_hour_cost_cents: Number(p['crew_hour_cost_cents'] ?? DEFAULT_CREW_HOUR_COST_CENTS),
      gross_margin: p['margin'] === undefined ? null : Number(p['margin']),
    },
    arms: { treat: armTotals(buckets, 'treat'), hold: armTotals(buckets, 'hold') },
    daily,
    score_buckets: scoreBuckets(buckets),
    // The contractor's data only: platform chores (a backup not recorded) are the operator's health, not a reason
    // for a contractor's pilot to fail its data-quality criterion.
    data_quality: contractorDataQuality(health),
    segments,
    batches,
    satisfaction: feedback ? { score: feedback.score, comment: feedback.comment } : null,
    slo,
  };
}

type SegmentInput = NonNullable<PilotInputs['segments']>[number];

/**
 * Rows per (dimension, value, arm) into the report's segments: bands in their natural order; ZIPs by size, the
 * largest MAX_ZIP_SEGMENTS kept and the rest pooled as "other ZIPs" (a storm can touch hundreds).
 */
function segmentInputs(rows: Awaited<ReturnType<typeof segmentRows>>): SegmentInput[] {
  const out: SegmentInput[] = [];
  const empty = () => ({ n: 0, conversions: 0 });
  for (const [dimension, order] of Object.entries(SEGMENT_DIMENSIONS) as [
    SegmentInput['dimension'],
    readonly string[] | null,
  ][]) {
    const byValue = new Map<string, SegmentInput>();
    for (const r of rows.filter((x) => x.dimension === dimension)) {
      const s = byValue.get(r.value) ?? { dimension, value: r.value, treat: empty(), hold: empty() };
      s[r.arm] = { n: r.n, conversions: r.conversions };
      byValue.set(r.value, s);
    }
    let list = [...byValue.values()];
    if (order) list.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
    else {
      list.sort((a, b) => b.treat.n + b.hold.n - (a.treat.n + a.hold.n) || a.value.localeCompare(b.value));
      if (list.length > MAX_ZIP_SEGMENTS) {
        const rest = list.slice(MAX_ZIP_SEGMENTS);
        const other: SegmentInput = { dimension, value: `other ZIPs (${rest.length})`, treat: empty(), hold: empty() };
        for (const s of rest)
          for (const arm of ['treat', 'hold'] as const) {
            other[arm].n += s[arm].n;
            other[arm].conversions += s[arm].conversions;
          }
        list = [...list.slice(0, MAX_ZIP_SEGMENTS), other];
      }
    }
    out.push(...list);
  }
  return out;
}

const OPERATOR_CHECKS = new Set(['backup_age']);

function contractorDataQuality(health: Awaited<ReturnType<typeof getHealthDashboard>>): PilotInputs['data_quality'] {
  const issues = health.issues.filter((i) => !OPERATOR_CHECKS.has(i.check));
  const status = statusOf(issues);
  return { status, issues: issues.map((i) => ({ message: i.message, severity: i.severity, check: i.check })) };
}

export async function runPilot(ctx: ServiceContext, options: RunPilotOptions): Promise<PilotResults> {
  authorize(ctx, 'reports:read');
  const parsed = pilotInput(options);
  const { input } = parsed;
  const inputs = await gather(ctx, parsed);
  const results = computePilotResults(inputs, input.alpha !== undefined ? { alpha: input.alpha } : {});
  // One report generated, counted once per request (a retried request with the same id counts once).
  const metered = await withStorm(ctx, input.storm_id, (trx, storm) =>
    meterInTx(trx, {
      tenantId: storm.tenant_id,
      metric: 'reports_generated',
      quantity: 1,
      key: `report:${ctx.requestId ?? randomUUID()}`,
    }),
  );
  await announceQuotaAlerts(ctx.db, metered.alerts).catch(() => {});
  return results;
}

/** The report of a storm rendered in `format`, with the results it shows (one computation). */
export async function pilotReport(
  ctx: ServiceContext,
  options: RunPilotOptions & { format: PilotFormat },
): Promise<{ results: PilotResults; body: Buffer | string }> {
  const results = await runPilot(ctx, options);
  return { results, body: await renderPilotReport(results, options.format) };
}

/** The playbook's `generate_report_pdf(results)`, in any of the formats. */
export function renderPilotReport(results: PilotResults, format: PilotFormat): Promise<Buffer | string> {
  return renderPilot(results, format);
}
