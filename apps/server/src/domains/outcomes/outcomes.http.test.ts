import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant } from '../../../test/helpers.ts';
import { buildApp } from '../../http/app.ts';
import { scoredStorm } from '../policy/test-fixtures.ts';

describeEachDatabase('outcomes and policy over HTTP', (t) => {
  it('applies a policy, logs outcomes with Idempotency-Key (201, 200 replay, 409 naming the key), imports CSV, isolates tenants', async () => {
    const db = t().db;
    const s = await scoredStorm(db, 200, 91);
    const app = await buildApp({ db, platformToken: undefined });
    const auth = { authorization: `Bearer ${s.tenant.token}` };
    const applied = await app.inject({
      method: 'POST',
      url: `/v1/storms/${s.storm.storm_id}/policy/apply`,
      headers: auth,
      payload: { mode: 'moderate', seed: 1 },
    });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ mode: 'moderate', policy_version: 1 });
    const pid = await db.withTenant(
      s.tenant.tenantId,
      async (trx) =>
        (
          await sql<{
            property_id: string;
          }>`select property_id from property where storm_id = ${s.storm.storm_id} limit 1`.execute(trx)
        ).rows[0]!.property_id,
    );
    const body = { property_id: pid, event_id: s.storm.event_id, converted: true, value: 15000 };
    const first = await app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: { ...auth, 'idempotency-key': 'h-1' },
      payload: body,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ value_cents: 1_500_000, idempotency_key: 'h-1' });
    const replay = await app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: auth,
      payload: { ...body, idempotency_key: 'h-1' },
    });
    expect(replay.statusCode).toBe(200);
    const clash = await app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: { ...auth, 'idempotency-key': 'h-1' },
      payload: { ...body, value: 1 },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toContain('h-1');
    const negative = await app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: auth,
      payload: { ...body, value: -3 },
    });
    expect(negative.statusCode).toBe(400);
    const batch = await app.inject({
      method: 'POST',
      url: '/v1/outcomes/batch',
      headers: auth,
      payload: {
        storm_id: s.storm.storm_id,
        idempotency_key: 'b',
        outcomes: [{ property_id: pid, converted: false }, { nonsense: 1 }],
      },
    });
    expect(batch.statusCode).toBe(200);
    expect(batch.json()).toMatchObject({ accepted: 1, refused_count: 1 });
    const csv = await app.inject({
      method: 'POST',
      url: `/v1/storms/${s.storm.storm_id}/outcomes/import`,
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: `property_id,converted,value\n${pid},true,100\n`,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.json()).toMatchObject({ accepted: 1 });
    const history = await app.inject({ method: 'GET', url: `/v1/properties/${pid}/outcomes`, headers: auth });
    expect(history.json().outcomes).toHaveLength(3);
    const other = await newTenant(db);
    const foreign = await app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: { authorization: `Bearer ${other.token}` },
      payload: body,
    });
    expect(foreign.statusCode).toBe(404);
    const contamination = await app.inject({
      method: 'GET',
      url: `/v1/storms/${s.storm.storm_id}/contamination`,
      headers: auth,
    });
    expect(contamination.json()).toMatchObject({ hold_knocked: 0 });
    await app.close();
  });
});
