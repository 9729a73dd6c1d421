/**
 * A 1,000,000-property storm on server Postgres, through the platform's services: score it with a trained model
 * (target <= 15 s), apply a policy (<= 5 s), then with 200,000 logged outcomes run the pilot report (<= 3 s).
 * The homes are seeded with one INSERT ... SELECT (seeding is not what is measured).
 */
import { CompiledQuery, sql } from 'kysely';
import { PLATFORM, type ServiceContext } from '../apps/server/src/domains/auth/principal.ts';
import { historyCsv } from '../apps/server/src/domains/demo/properties-csv.ts';
import { promoteModel, trainModel } from '../apps/server/src/domains/models/models.service.ts';
import { scoreStorm } from '../apps/server/src/domains/models/scoring.service.ts';
import { runPilot } from '../apps/server/src/domains/pilot/pilot.service.ts';
import { applyPolicy, configurePolicy } from '../apps/server/src/domains/policy/policy.service.ts';
import { createStorm } from '../apps/server/src/domains/storms/storms.service.ts';
import { provisionTenant } from '../apps/server/src/domains/tenants/tenants.service.ts';
import type { BenchContext, BenchFigure } from './harness.ts';
import { onScratchServer, seedStormProperties } from './scratch.ts';
import { timeMs } from './harness.ts';

const HOMES = 1_000_000;
const OUTCOMES = 200_000;

export function run(ctx: BenchContext): Promise<BenchFigure[]> {
  return onScratchServer(ctx, async (db) => {
    const op: ServiceContext = { db, principal: PLATFORM };
    const t = await provisionTenant(op, {
      org_name: 'Bench Million',
      tier: 'enterprise',
      admin_email: 'b@bench.example',
    });
    const tc: ServiceContext = {
      db,
      principal: { kind: 'tenant', tenantId: t.tenant_id, userId: t.admin_user_id, role: 'admin' },
    };
    const storm = await createStorm(tc, { event_id: 'MILLION', name: 'a million homes' });
    ctx.log('seeding 1,000,000 homes');
    await sql`select setseed(0.5)`.execute(db.owner);
    await seedStormProperties((text, params) => db.owner.executeQuery(CompiledQuery.raw(text, params ?? [])), {
      columns: `tenant_id, storm_id, address_key, address_line, city, state, zip, lat, lon,
        year_built, roof_age_years, roof_material, home_value_cents, square_feet, owner_occupied, prior_customer, max_hail_in, nearest_hail_mi, attributes`,
      select: `select $1::uuid, $2::uuid, i::text || '|73160', i || ' Main St', 'Moore', 'OK', '73160',
        35.3 + random() * 0.2, -97.6 + random() * 0.2, 1950 + (random() * 70)::int, random() * 30,
        (array['asphalt_shingle','metal','tile'])[1 + (random() * 2)::int], (100000 + random() * 400000)::bigint * 100,
        (900 + random() * 3000)::int, random() < 0.7, random() < 0.1, (random() * 3)::numeric(3,2), random() * 10,
        jsonb_build_object('last_contact_days', (random() * 700)::int::text)
      from generate_series(1, $3::int) i`,
      params: [t.tenant_id, storm.storm_id, HOMES],
    });
    await sql`vacuum analyze property`.execute(db.owner);
    const model = await trainModel(tc, {
      csv: { source: [historyCsv(10_000, 5)], sourceName: 'past.csv', treatmentCol: 'arm', outcomeCol: 'converted' },
    });
    await promoteModel(tc, { model_id: model.model_id, stage: 'production' });
    ctx.log('scoring');
    const score = await timeMs(() => scoreStorm(tc, { storm_id: storm.storm_id }));
    await configurePolicy(tc, {
      mode: 'custom',
      params: { crews: 1000, doors_per_day: 60, days: 5, top_share: 0.5, hold_share: 0.2 },
    });
    ctx.log('applying the policy');
    const policy = await timeMs(() => applyPolicy(tc, { storm_id: storm.storm_id, mode: 'custom', seed: 1 }));
    ctx.log('logging 200,000 outcomes and the treat knocks');
    await sql`insert into knock (tenant_id, storm_id, property_id, canvasser, result, knocked_at, arm)
      select tenant_id, storm_id, property_id, 'crew', 'no_answer', now(), arm from assignment where storm_id = ${storm.storm_id} and arm = 'treat'`.execute(
      db.owner,
    );
    await sql`insert into outcome (tenant_id, storm_id, property_id, converted, value_cents, idempotency_key, recorded_at)
      select tenant_id, storm_id, property_id, c, case when c then 1200000 else 0 end, property_id::text, now() - (random() * 5)::int * interval '1 day'
      from (select *, random() < case when arm = 'treat' then 0.25 else 0.12 end as c from assignment
            where storm_id = ${storm.storm_id} and arm in ('treat', 'hold') order by property_id limit ${OUTCOMES}) a`.execute(
      db.owner,
    );
    await sql`vacuum analyze`.execute(db.owner);
    ctx.log('running the pilot report');
    const pilot = await timeMs(() => runPilot(tc, { storm_id: storm.storm_id }));
    return [
      {
        name: 'score a 1,000,000-property storm (server Postgres, end to end)',
        value: score.ms / 1000,
        unit: 's',
        target: { op: '<=', value: 15 },
        notes: `${score.result.scored} scored, ${model.learner}`,
      },
      {
        name: 'apply a policy to a 1,000,000-property storm (server Postgres)',
        value: policy.ms / 1000,
        unit: 's',
        target: { op: '<=', value: 5 },
        notes: `${policy.result.treat} treat, ${policy.result.hold} hold`,
      },
      {
        name: 'pilot report, 1,000,000 properties, 200,000 outcomes (server Postgres)',
        value: pilot.ms / 1000,
        unit: 's',
        target: { op: '<=', value: 3 },
        notes: `lift ${(pilot.result.outcomes.lift.absolute * 100).toFixed(1)} pts`,
      },
    ];
  });
}
