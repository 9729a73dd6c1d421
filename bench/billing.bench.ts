/**
 * Billing on server Postgres:
 * - metering overhead on a 1,000,000-row import (goal: within 5%): the import is run through the service (metered),
 *   then the statements metering adds to it (the quota check before reading, the check at commit and the usage row,
 *   on the same populated database) are timed alone, and their share of the import is the overhead;
 * - `billing close` for 1,000 tenants and 1,000,000 usage events (goal: under 30 s). Tenants and events are seeded in
 *   SQL (seeding is not what is measured).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { PLATFORM, type ServiceContext } from '../apps/server/src/domains/auth/principal.ts';
import { closePeriod } from '../apps/server/src/domains/billing/invoices.service.ts';
import { checkQuota, meterInTx } from '../apps/server/src/domains/billing/metering.ts';
import { propertiesCsv } from '../apps/server/src/domains/demo/properties-csv.ts';
import { importProperties } from '../apps/server/src/domains/properties/properties.service.ts';
import { createStorm } from '../apps/server/src/domains/storms/storms.service.ts';
import { provisionTenant } from '../apps/server/src/domains/tenants/tenants.service.ts';
import type { BenchContext, BenchFigure } from './harness.ts';
import { timeMs } from './harness.ts';
import { onScratchServer } from './scratch.ts';

const ROWS = 1_000_000;
const TENANTS = 1_000;
const EVENTS_PER_TENANT = 1_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export function run(ctx: BenchContext): Promise<BenchFigure[]> {
  return onScratchServer(ctx, async (db) => {
    const op: ServiceContext = { db, principal: PLATFORM };
    const t = await provisionTenant(op, { org_name: 'Bench Billing', tier: 'standard', admin_email: 'b@bill.example' });
    const tc: ServiceContext = {
      db,
      principal: { kind: 'tenant', tenantId: t.tenant_id, userId: t.admin_user_id, role: 'admin' },
    };
    const storm = await createStorm(tc, { event_id: 'BILL-1M', name: 'a million homes, metered' });
    ctx.log(`importing ${ROWS.toLocaleString()} rows (metered)`);
    const csv = propertiesCsv(ROWS, 7);
    const chunks = Array.from({ length: Math.ceil(csv.length / 65536) }, (_, i) =>
      csv.subarray(i * 65536, (i + 1) * 65536),
    );
    const imported = await timeMs(() => importProperties(tc, { storm_id: storm.storm_id, source: chunks }));
    const samples: number[] = [];
    for (let i = 0; i < 21; i++) {
      const m = await timeMs(() =>
        db
          .withTenant(t.tenant_id, async (trx) => {
            await checkQuota(trx, t.tenant_id, 'properties_imported', 1);
            await checkQuota(trx, t.tenant_id, 'properties_imported', ROWS);
            await meterInTx(trx, {
              tenantId: t.tenant_id,
              metric: 'properties_imported',
              quantity: ROWS,
              key: `bench:${randomUUID()}`,
            });
            // Measured, not kept: rolled back, so the ledger stays as the import left it.
            throw new RollBack();
          })
          .catch((e: unknown) => {
            if (!(e instanceof RollBack)) throw e;
          }),
      );
      samples.push(m.ms);
    }
    const meteringMs = median(samples);

    ctx.log(`seeding ${TENANTS} tenants and ${(TENANTS * EVENTS_PER_TENANT).toLocaleString()} usage events`);
    await sql`insert into tenant (tenant_id, org_name, org_key, tier, admin_email, created_at, updated_at)
      select gen_random_uuid(), 'Seed ' || i, 'seed ' || i, (array['trial','standard','enterprise'])[1 + i % 3],
             'a' || i || '@seed.example', '2026-01-01', '2026-01-01'
        from generate_series(1, ${TENANTS}::int) i`.execute(db.owner);
    await sql`insert into billing_plan_assignment (tenant_id, plan_code, plan_version, starts_at)
      select tenant_id, tier, 1, '2026-01-01' from tenant where org_key like 'seed %'`.execute(db.owner);
    await sql`insert into app_user (tenant_id, email, role)
      select tenant_id, admin_email, 'admin' from tenant where org_key like 'seed %'`.execute(db.owner);
    await sql`insert into usage_event (tenant_id, metric, quantity, idempotency_key, payload_hash, occurred_at, period, source)
      select t.tenant_id,
             (array['properties_imported','properties_scored','storms_created','reports_generated','api_calls'])[1 + j % 5],
             1 + (j % 97) * 10, 'seed-' || j, 'x',
             timestamptz '2026-10-01' + (j % 31) * interval '1 day', '2026-10', 'api'
        from tenant t cross join generate_series(1, ${EVENTS_PER_TENANT}::int) j
       where t.org_key like 'seed %'`.execute(db.owner);
    await sql`vacuum analyze`.execute(db.owner);
    ctx.log('closing 2026-10');
    const close = await timeMs(() => closePeriod(op, { period: '2026-10' }));
    const rerun = await timeMs(() => closePeriod(op, { period: '2026-10' }));
    return [
      {
        name: `1,000,000-row import, metered (server Postgres)`,
        value: imported.ms / 1000,
        unit: 's',
        notes: `${imported.result.inserted} rows inserted`,
      },
      {
        name: 'metering statements added to that import (quota checks + usage row, median of 21)',
        value: meteringMs,
        unit: 'ms',
      },
      {
        name: 'metering overhead on the 1,000,000-row import',
        value: (meteringMs / imported.ms) * 100,
        unit: '%',
        target: { op: '<=', value: 5 },
        notes: 'metering statements / metered import time, same database, same run',
      },
      {
        name: `billing close: ${TENANTS} tenants, ${(TENANTS * EVENTS_PER_TENANT).toLocaleString()} usage events (server Postgres)`,
        value: close.ms / 1000,
        unit: 's',
        target: { op: '<', value: 30 },
        notes: `${close.result.finalized} finalized, total ${close.result.total_cents} cents`,
      },
      {
        name: 'billing close rerun (nothing left to do)',
        value: rerun.ms / 1000,
        unit: 's',
        notes: `${rerun.result.already_final} already final`,
      },
    ];
  });
}

class RollBack extends Error {}
