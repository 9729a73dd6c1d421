/**
 * Tenant isolation, tested as an attacker would: through the API with another tenant's ids, and with hand-written
 * SQL inside a tenant's transaction, on both backends. On server Postgres the raw SQL runs over a plain `pg` client
 * under the tenant role, so nothing in the application stands between the query and the data but Postgres itself.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { buildApp } from '../http/app.ts';
import { createStorm } from '../domains/storms/storms.service.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { newTenant, operator } from '../../test/helpers.ts';

describeEachDatabase('tenant isolation', (t) => {
  let a: Awaited<ReturnType<typeof newTenant>>;
  let b: Awaited<ReturnType<typeof newTenant>>;
  let stormB: string;

  beforeAll(async () => {
    const { db } = t();
    a = await newTenant(db);
    b = await newTenant(db);
    await createStorm(operator(db), { tenant_id: a.tenantId, event_id: 'A_1', name: 'A storm' });
    stormB = (await createStorm(operator(db), { tenant_id: b.tenantId, event_id: 'B_1', name: 'B storm' })).storm_id;
  });

  it("answers 404 when tenant A's token asks for B's storm by id, exactly as for an unknown id", async () => {
    const app = await buildApp({ db: t().db, platformToken: undefined });
    const auth = { authorization: `Bearer ${a.token}` };
    const theirs = await app.inject({ method: 'GET', url: `/v1/storms/${stormB}`, headers: auth });
    const unknown = await app.inject({
      method: 'GET',
      url: '/v1/storms/6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      headers: auth,
    });
    expect(theirs.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('NOT_FOUND');
    const status = await app.inject({
      method: 'POST',
      url: `/v1/storms/${stormB}/status`,
      headers: auth,
      payload: { status: 'cancelled' },
    });
    expect(status.statusCode).toBe(404);
    const list = await app.inject({ method: 'GET', url: `/v1/storms?tenant_id=${b.tenantId}`, headers: auth });
    expect(list.statusCode).toBe(404);
    const tenant = await app.inject({ method: 'GET', url: `/v1/tenants/${b.tenantId}`, headers: auth });
    expect(tenant.statusCode).toBe(404);
    await app.close();
  });

  it("sees none of B's rows in raw SQL under A's context, even without a WHERE clause", async () => {
    const counts = await t().db.withTenant(a.tenantId, async (trx) => {
      const all = await sql<{ n: number }>`select count(*)::int as n from storm`.execute(trx);
      const theirs = await sql<{
        n: number;
      }>`select count(*)::int as n from storm where tenant_id = ${b.tenantId}`.execute(trx);
      const users = await sql<{
        n: number;
      }>`select count(*)::int as n from app_user where tenant_id <> ${a.tenantId}`.execute(trx);
      const tokens = await sql<{
        n: number;
      }>`select count(*)::int as n from api_token where tenant_id <> ${a.tenantId}`.execute(trx);
      const tenants = await sql<{ n: number }>`select count(*)::int as n from tenant`.execute(trx);
      return [all.rows[0]?.n, theirs.rows[0]?.n, users.rows[0]?.n, tokens.rows[0]?.n, tenants.rows[0]?.n];
    });
    expect(counts).toEqual([1, 0, 0, 0, 1]);
  });

  it("refuses to insert a row carrying B's tenant id under A's context", async () => {
    await expect(
      t().db.withTenant(a.tenantId, (trx) =>
        sql`insert into storm (tenant_id, event_id, name) values (${b.tenantId}, 'EVIL', 'planted')`.execute(trx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it("cannot move or delete B's rows: updates and deletes match nothing", async () => {
    const [updated, deleted] = await t().db.withTenant(a.tenantId, async (trx) => {
      const u = await sql`update storm set name = 'hijacked' where tenant_id = ${b.tenantId}`.execute(trx);
      const d = await sql`delete from storm where storm_id = ${stormB}`.execute(trx);
      return [Number(u.numAffectedRows), Number(d.numAffectedRows)];
    });
    expect([updated, deleted]).toEqual([0, 0]);
    await expect(
      t().db.withTenant(a.tenantId, (trx) => sql`update storm set tenant_id = ${b.tenantId}`.execute(trx)),
    ).rejects.toMatchObject({ code: '42501' });
    const name = await t().db.withPlatform((trx) =>
      trx.selectFrom('storm').select('name').where('storm_id', '=', stormB).executeTakeFirst(),
    );
    expect(name?.name).toBe('B storm');
  });

  it('sees nothing at all when no tenant is set, and cannot change its own tier', async () => {
    const { db } = t();
    const n = await db.owner.transaction().execute(async (trx) => {
      await sql`set local role stormops_tenant`.execute(trx);
      return (await sql<{ n: number }>`select count(*)::int as n from storm`.execute(trx)).rows[0]?.n;
    });
    expect(n).toBe(0);
    await expect(
      db.withTenant(a.tenantId, (trx) => sql`update tenant set tier = 'enterprise'`.execute(trx)),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('keeps the tenant of concurrent transactions apart on one connection', async () => {
    const { db } = t();
    const ids = Array.from({ length: 40 }, (_, i) => (i % 2 ? a.tenantId : b.tenantId));
    const seen = await Promise.all(
      ids.map((id) =>
        db.withTenant(id, async (trx) => {
          await new Promise((r) => setTimeout(r, 1));
          const row = await sql<{ t: string }>`select current_setting('app.tenant_id', true) as t`.execute(trx);
          return row.rows[0]?.t;
        }),
      ),
    );
    expect(seen).toEqual(ids);
  });

  it('holds on server Postgres for a plain pg client under the tenant role', async (ctx) => {
    const url = t().url;
    if (!url) return ctx.skip();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('set local role stormops_tenant');
      await client.query('select set_tenant_context($1)', [a.tenantId]);
      const visible = await client.query('select tenant_id from storm');
      expect(visible.rows.map((r: { tenant_id: string }) => r.tenant_id)).toEqual([a.tenantId]);
      await expect(
        client.query(`insert into storm (tenant_id, event_id, name) values ($1, 'X', 'x')`, [b.tenantId]),
      ).rejects.toMatchObject({
        code: '42501',
      });
      await client.query('rollback');
      // The tenant role may not turn row security off, nor own the tables.
      await client.query('begin');
      await client.query('set local role stormops_tenant');
      await expect(client.query('alter table storm disable row level security')).rejects.toMatchObject({
        code: '42501',
      });
      await client.query('rollback');
    } finally {
      await client.end();
    }
  });
});
