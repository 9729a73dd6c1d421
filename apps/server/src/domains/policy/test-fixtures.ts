/** Test fixtures for policy and outcome suites: a storm with properties imported through the real importer, scored. */
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { newTenant, operator, tenantCtx } from '../../../test/helpers.ts';
import { writePropertiesCsv } from '../demo/properties-csv.ts';
import { importProperties } from '../properties/properties.service.ts';
import { createStorm } from '../storms/storms.service.ts';

/** The generated CSV as Buffer chunks (in memory, no file). */
export async function csvChunks(
  properties: number,
  seed: number,
): Promise<{ chunks: Buffer[]; uplift: Map<string, number> }> {
  const chunks: Buffer[] = [];
  const uplift = new Map<string, number>();
  const out = new PassThrough();
  out.on('data', (d: Buffer) => chunks.push(d));
  await writePropertiesCsv(out, { properties, seed, onProperty: (p) => uplift.set(p.external_id, p.true_uplift) });
  out.end();
  return { chunks, uplift };
}

export async function importInto(
  db: Database,
  stormId: string,
  properties: number,
  seed: number,
): Promise<Map<string, number>> {
  const { chunks, uplift } = await csvChunks(properties, seed);
  await importProperties(operator(db), { storm_id: stormId, source: chunks, source_name: `test-${seed}.csv` });
  return uplift;
}

/** A production model row and scores for every unscored property of the storm (uplift from `score(external_id)`). */
export async function scoreStorm(
  db: Database,
  tenantId: string,
  stormId: string,
  score: (externalId: string) => number,
): Promise<number> {
  return db.withTenant(tenantId, async (trx) => {
    let model = await trx
      .selectFrom('uplift_model')
      .select('model_id')
      .where('stage', '=', 'production')
      .executeTakeFirst();
    if (!model) {
      model = await trx
        .insertInto('uplift_model')
        .values({
          tenant_id: tenantId,
          version: 1,
          learner: 'test',
          feature_schema: '{}',
          training_source: '{}',
          training_fingerprint: 'test',
          training_rows: 0,
          artifact: '{}',
          stage: 'production',
        })
        .returning('model_id')
        .executeTakeFirstOrThrow();
    }
    const rows = await sql<{
      property_id: string;
      external_id: string;
      zip: string | null;
    }>`select p.property_id, p.external_id, p.zip from property p
      where p.storm_id = ${stormId} and not exists (select 1 from property_score s where s.property_id = p.property_id)`.execute(
      trx,
    );
    const ids = rows.rows.map((r) => r.property_id);
    const uplifts = rows.rows.map((r) => score(r.external_id));
    const zips = rows.rows.map((r) => r.zip);
    await sql`insert into property_score (tenant_id, property_id, storm_id, zip, model_id, uplift)
      select ${tenantId}::uuid, i.id, ${stormId}::uuid, i.zip, ${model.model_id}::uuid, i.u
      from unnest(${ids}::uuid[], ${zips}::text[], ${uplifts}::float8[]) as i(id, zip, u)`.execute(trx);
    return ids.length;
  });
}

/** A tenant and a storm in it with `n` scored properties (uplift = the generator's hidden true uplift). */
export async function scoredStorm(db: Database, n: number, seed = 7) {
  const tenant = await newTenant(db, 'enterprise');
  const storm = await createStorm(tenantCtx(db, tenant.tenantId), {
    event_id: `OKC_${seed}_${Date.now()}`,
    name: 'Test storm',
  });
  const uplift = await importInto(db, storm.storm_id, n, seed);
  await scoreStorm(db, tenant.tenantId, storm.storm_id, (id) => uplift.get(id) ?? 0);
  return { tenant, storm, ctx: tenantCtx(db, tenant.tenantId), uplift };
}
