import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator, tenantCtx } from '../../../test/helpers.ts';
import { AppError } from '../../errors.ts';
import { importProperties } from '../properties/properties.service.ts';
import { createStorm } from '../storms/storms.service.ts';
import { getBillingDashboard } from './dashboard.service.ts';
import { customerHealth, triage } from './health.service.ts';
import { closePeriod, createInvoice, finalizeInvoice, payInvoice, voidInvoice } from './invoices.service.ts';
import { assignPlan, listPlans } from './plans.service.ts';
import { exportUsage, listQuotaAlerts, recordUsageEvents, setOverride } from './usage.service.ts';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

const csv = (n: number) => [
  Buffer.from(
    'address_line,city,state,zip\n' +
      Array.from({ length: n }, (_, i) => `${100 + i} Elm St,Moore,OK,73160`).join('\n') +
      '\n',
  ),
];

describeEachDatabase('billing', (t) => {
  it('publishes three versioned plans with included quantities and charge models', async () => {
    const plans = await listPlans(t().db);
    expect(plans.map((p) => [p.plan_code, p.version, p.base_price_cents, p.hard_quota])).toEqual([
      ['trial', 1, 0, true],
      ['standard', 1, 49_900, false],
      ['enterprise', 1, 249_900, false],
    ]);
    expect(plans[1]?.metrics.properties_imported.charge.model).toBe('graduated');
    expect(plans[1]?.support_response_sla_hours).toBe(24);
  });

  it('counts 100 concurrent identical usage events once; a reused key with another payload is a conflict', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const event = {
      tenant_id: tenantId,
      metric: 'api_calls' as const,
      quantity: 7,
      idempotency_key: 'crm-sync-1',
      timestamp: '2026-10-05T10:00:00Z',
    };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => recordUsageEvents(operator(db), { events: [event] })),
    );
    expect(results.reduce((s, r) => s + r.created, 0)).toBe(1);
    expect(results.reduce((s, r) => s + r.duplicates, 0)).toBe(99);
    const ledger = await exportUsage(operator(db), { tenant_id: tenantId, period: '2026-10' });
    expect(typeof ledger !== 'string' && ledger.events.map((e) => [e.metric, e.quantity])).toEqual([['api_calls', 7]]);
    expect(await code(recordUsageEvents(operator(db), { events: [{ ...event, quantity: 8 }] }))).toBe('CONFLICT');
    const text = await exportUsage(operator(db), { tenant_id: tenantId, period: '2026-10', format: 'csv' });
    expect(String(text).split('\n')[1]).toContain(',api_calls,7,crm-sync-1,');
  });

  it('refuses bad events naming the field, and events from tenant credentials', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const bad = await recordUsageEvents(operator(db), {
      events: [{ tenant_id: tenantId, metric: 'doors' as never, quantity: 1, idempotency_key: 'k' }],
    }).catch((e: AppError) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).message).toMatch(/^events\.0\.metric: must be one of/);
    expect(
      await code(
        recordUsageEvents(tenantCtx(db, tenantId), {
          events: [{ tenant_id: tenantId, metric: 'api_calls', quantity: 1, idempotency_key: 'k' }],
        }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('raises the soft alert exactly at 80% and the hard one exactly at 95%, each once', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db, 'trial'); // api_calls: 10,000 included
    const at = new Date().toISOString();
    let n = 0;
    const add = (quantity: number) =>
      recordUsageEvents(operator(db), {
        events: [{ tenant_id: tenantId, metric: 'api_calls', quantity, idempotency_key: `k${n++}`, timestamp: at }],
      });
    const levels = async () =>
      (await listQuotaAlerts(operator(db), { tenant_id: tenantId })).map((a) => a.level).sort();
    await add(7_999);
    expect(await levels()).toEqual([]);
    await add(1); // 8,000 = 80%
    expect(await levels()).toEqual(['soft']);
    await add(1_499); // 9,499
    expect(await levels()).toEqual(['soft']);
    await add(1); // 9,500 = 95%
    expect(await levels()).toEqual(['hard', 'soft']);
    await add(100);
    expect(await levels()).toEqual(['hard', 'soft']);
    const alerts = await listQuotaAlerts(operator(db), { tenant_id: tenantId });
    expect(alerts.find((a) => a.level === 'hard')?.ratio).toBeCloseTo(0.95, 10);
    // Announced through the notifier's outbox as a ticket incident.
    const incidents = await db.owner
      .selectFrom('alert_incident')
      .select(['alert_key', 'severity'])
      .where('alert_key', 'like', `billing:quota:${tenantId}:%`)
      .execute();
    expect(incidents.map((i) => i.severity)).toEqual(['ticket', 'ticket']);
  });

  it('refuses a trial import that would cross its quota whole, saying how many rows fit; meters the import', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db, 'trial');
    await setOverride(operator(db), { tenant_id: tenantId, metric: 'properties_imported', included: 10 });
    const ctx = tenantCtx(db, tenantId);
    const storm = await createStorm(ctx, { event_id: 'Q1', name: 'Quota storm' });
    const refused = await importProperties(ctx, { storm_id: storm.storm_id, source: csv(11) }).catch(
      (e: AppError) => e,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('QUOTA_EXCEEDED');
    expect((refused as AppError).details).toMatchObject({ fits: 10, requested: 11, metric: 'properties_imported' });
    const count = async () =>
      Number(
        (
          await db.owner
            .selectFrom('property')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('storm_id', '=', storm.storm_id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(0);
    const done = await importProperties(ctx, { storm_id: storm.storm_id, source: csv(10) });
    expect(done.inserted).toBe(10);
    const dash = await getBillingDashboard(ctx, {});
    expect(dash.usage.find((u) => u.metric === 'properties_imported')).toMatchObject({ quantity: 10, included: 10 });
    // At 100% the next import is refused before a byte is read.
    expect(await code(importProperties(ctx, { storm_id: storm.storm_id, source: csv(1) }))).toBe('QUOTA_EXCEEDED');
    expect(await count()).toBe(10);
  });

  it('meters storms in their own transaction: a trial’s fourth storm is refused and not written', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db, 'trial'); // 3 storms included
    const ctx = tenantCtx(db, tenantId);
    for (const id of ['S1', 'S2', 'S3']) await createStorm(ctx, { event_id: id, name: id });
    expect(await code(createStorm(ctx, { event_id: 'S4', name: 'S4' }))).toBe('QUOTA_EXCEEDED');
    const storms = await db.owner.selectFrom('storm').select('event_id').where('tenant_id', '=', tenantId).execute();
    expect(storms.map((s) => s.event_id).sort()).toEqual(['S1', 'S2', 'S3']);
    // A failed action counts nothing: a duplicate event id is refused and not metered.
    const { tenantId: paid } = await newTenant(db, 'standard');
    const pctx = tenantCtx(db, paid);
    await createStorm(pctx, { event_id: 'P1', name: 'P1' });
    expect(await code(createStorm(pctx, { event_id: 'P1', name: 'P1 again' }))).toBe('CONFLICT');
    const d = await getBillingDashboard(pctx, {});
    expect(d.usage.find((u) => u.metric === 'storms_created')?.quantity).toBe(1);
  });

  it('gives one invoice for two concurrent creations; finalized, the database refuses any change', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    await db.withPlatform((trx) =>
      sql`update billing_plan_assignment set starts_at = '2026-09-01' where tenant_id = ${tenantId}`.execute(trx),
    );
    const [a, b] = await Promise.all([
      createInvoice(operator(db), { tenant_id: tenantId, period: '2026-10' }),
      createInvoice(operator(db), { tenant_id: tenantId, period: '2026-10' }),
    ]);
    expect(a.invoice_id).toBe(b.invoice_id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.total_cents).toBe(49_900);
    const final = await finalizeInvoice(operator(db), { invoice_id: a.invoice_id });
    expect(final).toMatchObject({ status: 'finalized', total_cents: 49_900 });
    expect(final.number).toBeGreaterThan(0);
    for (const change of [
      sql`update invoice set total_cents = 1 where invoice_id = ${a.invoice_id}`,
      sql`update invoice set number = number + 1000 where invoice_id = ${a.invoice_id}`,
      sql`delete from invoice where invoice_id = ${a.invoice_id}`,
    ]) {
      await expect(db.withTenant(tenantId, (trx) => change.execute(trx))).rejects.toThrow(/finalized|cannot/);
      await expect(db.withPlatform((trx) => change.execute(trx))).rejects.toThrow(/finalized|cannot/);
    }
    // A late event for the invoiced period counts in the next one and says so.
    const late = await recordUsageEvents(operator(db), {
      events: [
        {
          tenant_id: tenantId,
          metric: 'storms_created',
          quantity: 1,
          idempotency_key: 'late-1',
          timestamp: '2026-10-20T00:00:00Z',
        },
      ],
    });
    expect(late.results[0]).toMatchObject({ status: 'created', period: '2026-11', late: true });
    // The same period again gives the same invoice, unchanged.
    const again = await createInvoice(operator(db), { tenant_id: tenantId, period: '2026-10' });
    expect(again).toMatchObject({
      invoice_id: a.invoice_id,
      created: false,
      number: final.number,
      total_cents: 49_900,
    });
  });

  it('numbers invoices and credit notes from one gap-free sequence; void issues a credit note; pay records it', async () => {
    const { db } = t();
    const period = new Date().toISOString().slice(0, 7);
    const tenants = [await newTenant(db), await newTenant(db), await newTenant(db)];
    const numbers: number[] = [];
    for (const { tenantId } of tenants) {
      const inv = await createInvoice(operator(db), { tenant_id: tenantId, period: period });
      numbers.push((await finalizeInvoice(operator(db), { invoice_id: inv.invoice_id })).number ?? -1);
    }
    const { invoice, credit_note } = await voidInvoice(operator(db), {
      invoice_id: (await createInvoice(operator(db), { tenant_id: tenants[0]!.tenantId, period: period })).invoice_id,
    });
    numbers.push(credit_note.number ?? -1);
    expect(numbers.map((n) => n - numbers[0]!)).toEqual([0, 1, 2, 3]);
    expect(invoice.status).toBe('void');
    expect(credit_note).toMatchObject({ kind: 'credit_note', total_cents: -invoice.total_cents, status: 'finalized' });
    const paid = await payInvoice(operator(db), {
      invoice_id: (await createInvoice(operator(db), { tenant_id: tenants[1]!.tenantId, period: period })).invoice_id,
    });
    expect(paid.status).toBe('paid');
    expect(await code(voidInvoice(operator(db), { invoice_id: paid.invoice_id }))).toBe('INVALID_TRANSITION');
  });

  it('closes a period for every tenant once; a rerun changes nothing', async () => {
    const { db } = t();
    await newTenant(db);
    const first = await closePeriod(operator(db), { period: '2026-09' });
    expect(first.finalized + first.already_final).toBe(first.tenants);
    const again = await closePeriod(operator(db), { period: '2026-09' });
    expect(again).toMatchObject({ finalized: 0, already_final: first.tenants, total_cents: first.total_cents });
    expect(await code(closePeriod(operator(db), { period: '2999-01' }))).toBe('VALIDATION');
  });

  it('two closes of one period at once (two API processes) finalize each tenant once, with gap-free numbers', async () => {
    const { db } = t();
    for (let i = 0; i < 6; i++) await newTenant(db);
    const [a, b] = await Promise.all([
      closePeriod(operator(db), { period: '2026-08' }),
      closePeriod(operator(db), { period: '2026-08' }),
    ]);
    expect(a.finalized + b.finalized).toBe(a.tenants);
    const numbers = (
      await db.owner.selectFrom('invoice').select('number').where('period', '=', '2026-08').execute()
    ).map((r) => Number(r.number));
    expect(numbers.length).toBe(a.tenants);
    const sorted = [...numbers].sort((x, y) => x - y);
    expect(sorted.map((n) => n - sorted[0]!)).toEqual(sorted.map((_, i) => i));
  });

  it('prorates a mid-period upgrade on the invoice by the day', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db, 'trial');
    await db.withPlatform(async (trx) => {
      await sql`update billing_plan_assignment set starts_at = '2026-10-01' where tenant_id = ${tenantId}`.execute(trx);
      await assignPlan(trx, tenantId, 'standard', new Date('2026-10-17T09:30:00Z'));
    });
    const inv = await createInvoice(operator(db), { tenant_id: tenantId, period: '2026-10' });
    // October: 16 trial days, 15 standard days: 49,900 x 15/31 = 24,145.16 -> 24,145.
    expect(inv.lines.filter((l) => l.type === 'proration').map((l) => [l.plan, l.quantity, l.amount_cents])).toEqual([
      ['trial', 16, 0],
      ['standard', 15, 24_145],
    ]);
  });

  it('scores customer health for staff, flags the tenants at risk, keeps a daily snapshot', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db, 'trial');
    await recordUsageEvents(operator(db), {
      events: [{ tenant_id: tenantId, metric: 'api_calls', quantity: 9_900, idempotency_key: 'h1' }],
    });
    const csm = {
      db,
      principal: { kind: 'staff' as const, staffId: 'x', email: 'c@s', role: 'customer_success_manager' as const },
    };
    const health = (await customerHealth(csm)).find((h) => h.tenant_id === tenantId);
    // usage 1, recency 1, outcomes 0.5 (none assigned), slo 1, payment 1, pilot 0.5:
    // 0.25 + 0.2 + 0.1 + 0.1 + 0.15 + 0.05 = 0.85.
    expect(health).toMatchObject({ health_score: 0.85, usage_ratio: 0.99, flags: ['high_usage'] });
    expect((await triage(csm)).map((h) => h.tenant_id)).toContain(tenantId);
    const snap = await db.owner
      .selectFrom('customer_health_snapshot')
      .select('score')
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(snap.map((s) => s.score)).toEqual([0.85]);
    expect(await code(customerHealth(tenantCtx(db, tenantId)))).toBe('FORBIDDEN');
  });
});
