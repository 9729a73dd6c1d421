/**
 * How often the demo storm's report would miss its own lift: seeds the demo once (embedded Postgres, as `npm start`
 * does), takes the homes in its experiment with both potential outcomes from the generator's hidden truth, and
 * re-randomizes the hold-out N times the way the policy does (seeded order within strata, systematic allocation).
 * Counts the draws where the lift is not significant, falls below the detectable lift, or lands more than four
 * standard errors from the truth. docs/demo.md quotes its figure.
 *
 *   npx tsx scripts/demo-power.ts [draws=4000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { analyzeTwoArms, mulberry32 } from '@stormops/stats';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { drawOutcome, generateProperties } from '../apps/server/src/domains/demo/generator.ts';
import { detectableLift } from '../apps/server/src/domains/policy/detectable-lift.ts';
import { DEMO_POLICY } from '../apps/server/src/start/demo-campaign.ts';
import { seedDemo } from '../apps/server/src/start/demo-seed.ts';

const draws = Number(process.argv[2] ?? 4000);
if (!Number.isInteger(draws) || draws < 1)
  throw new Error(`draws must be a whole number above 0, got ${process.argv[2]}`);
const dir = await mkdtemp(join(tmpdir(), 'stormops-demo-power-'));
const db = await openDatabase({ kind: 'pglite-memory' });
await migrate(db);
const seed = await seedDemo(db, dir);
const arms = await sql<{ external_id: string; stratum: string }>`
  select p.external_id, a.stratum from assignment a join property p on p.property_id = a.property_id
  where a.storm_id = ${seed.storm.storm_id} and a.arm in ('treat', 'hold')`.execute(db.owner);
await db.close();
await rm(dir, { recursive: true, force: true });

const strata = new Map(arms.rows.map((r) => [Number(r.external_id.split('-')[2]), r.stratum]));
const homes: { y1: boolean; y0: boolean; stratum: string }[] = [];
for (const p of generateProperties({ count: Math.max(...strata.keys()) + 1, seed: 2013, rates: 'planning' })) {
  const stratum = strata.get(p.index);
  if (stratum !== undefined)
    homes.push({ y1: drawOutcome(p, 'treat', 2013).converted, y0: drawOutcome(p, 'hold', 2013).converted, stratum });
}
const trueLift = (homes.filter((h) => h.y1).length - homes.filter((h) => h.y0).length) / homes.length;

const random = mulberry32(20130520);
const misses = { not_significant: 0, below_detectable: 0, beyond_4_se: 0, any: 0 };
const share = DEMO_POLICY.hold_share;
for (let d = 0; d < draws; d++) {
  const order = homes
    .map((h) => ({ h, k: random() }))
    .sort((a, b) => a.h.stratum.localeCompare(b.h.stratum) || a.k - b.k);
  const u = random();
  const treat = { n: 0, conversions: 0 };
  const hold = { n: 0, conversions: 0 };
  order.forEach(({ h }, pos) => {
    const held = Math.floor((pos + 1) * share + u) > Math.floor(pos * share + u);
    const arm = held ? hold : treat;
    arm.n++;
    if (held ? h.y0 : h.y1) arm.conversions++;
  });
  const lift = analyzeTwoArms(treat, hold).lift;
  const pt = treat.conversions / treat.n;
  const ph = hold.conversions / hold.n;
  const se = Math.sqrt((pt * (1 - pt)) / treat.n + (ph * (1 - ph)) / hold.n);
  const mde = detectableLift(treat.n, hold.n, { baseRate: ph }).pts ?? Infinity;
  const miss = {
    not_significant: !(lift.p_value < 0.05),
    below_detectable: !(mde < lift.absolute * 100),
    beyond_4_se: Math.abs(lift.absolute - trueLift) > 4 * se,
  };
  for (const [k, v] of Object.entries(miss)) if (v) misses[k as keyof typeof miss]++;
  if (Object.values(miss).some(Boolean)) misses.any++;
}
console.log(
  JSON.stringify({ homes_in_experiment: homes.length, true_lift_pts: +(trueLift * 100).toFixed(2), draws, misses }),
);
