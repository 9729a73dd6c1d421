import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator, tenantCtx } from '../../../test/helpers.ts';
import type { ServiceContext } from '../auth/principal.ts';
import { setStormStatus } from '../storms/storms.service.ts';
import { scoredStorm } from '../policy/test-fixtures.ts';
import { logKnocks } from '../policy/crew.service.ts';
import { importOutcomes, logOutcome, logOutcomes, outcomeHistory } from './outcomes.service.ts';

describeEachDatabase('outcomes', (t) => {
  let ctx: ServiceContext;
  let tenantId: string;
  let stormId: string;
  let eventId: string;
  let ids: string[];

  beforeAll(async () => {
    const s = await scoredStorm(t().db, 300, 81);
    ctx = s.ctx;
    tenantId = s.tenant.tenantId;
    stormId = s.storm.storm_id;
    eventId = s.storm.event_id;
    ids = await t().db.withTenant(tenantId, async (trx) =>
      (
        await sql<{
          property_id: string;
        }>`select property_id from property where storm_id = ${stormId} order by property_id`.execute(trx)
      ).rows.map((r) => r.property_id),
    );
  });

  const count = (where: string) =>
    t().db.withTenant(tenantId, async (trx) =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from outcome where ${sql.raw(where)}`.execute(trx)).rows[0]!.n,
      ),
    );

  it('logs the playbook call (value in dollars -> integer cents)', async () => {
    const o = await logOutcome(ctx, {
      property_id: ids[0]!,
      event_id: eventId,
      converted: true,
      value: 15000,
      idempotency_key: 'k-first',
    });
    expect(o).toMatchObject({
      converted: true,
      value_cents: 1_500_000,
      value: 15000,
      is_current: true,
      late: false,
      replayed: false,
      supersedes: null,
    });
    const again = await logOutcome(ctx, {
      property_id: ids[0]!,
      event_id: eventId,
      converted: true,
      value: 15000,
      idempotency_key: 'k-first',
    });
    expect(again).toMatchObject({ outcome_id: o.outcome_id, replayed: true });
    await expect(
      logOutcome(ctx, { property_id: ids[0]!, event_id: eventId, converted: false, idempotency_key: 'k-first' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('k-first'),
    });
  });

  it('100 concurrent clients with the same keys leave exactly one outcome per key', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => `race-${i}`);
    const calls = Array.from({ length: 100 }, (_, i) => {
      const k = i % 5;
      return logOutcome(ctx, {
        property_id: ids[10 + k]!,
        storm_id: stormId,
        converted: true,
        value: 1000 + k,
        idempotency_key: keys[k]!,
      });
    });
    const results = await Promise.all(calls);
    expect(results.filter((r) => !r.replayed)).toHaveLength(5);
    expect(await count(`idempotency_key like 'race-%'`)).toBe(5);
  });

  it('N concurrent distinct outcomes are all written', async () => {
    const n = 120;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        logOutcome(ctx, {
          property_id: ids[100 + (i % 100)]!,
          storm_id: stormId,
          converted: i % 3 === 0,
          idempotency_key: `load-${i}`,
        }),
      ),
    );
    expect(await count(`idempotency_key like 'load-%'`)).toBe(n);
    // Many outcomes per property (corrections): still exactly one current per property.
    const dupCurrent = await t().db.withTenant(
      tenantId,
      async (trx) =>
        (
          await sql<{
            n: string;
          }>`select count(*) as n from (select property_id from outcome where is_current group by property_id having count(*) > 1) x`.execute(
            trx,
          )
        ).rows[0]!.n,
    );
    expect(Number(dupCurrent)).toBe(0);
  });

  it('concurrent calls written as one group each get the answer they would have had alone', async () => {
    const p = ids[250]!;
    const settled = await Promise.allSettled([
      logOutcome(ctx, { property_id: p, storm_id: stormId, converted: false, idempotency_key: 'g-1' }),
      logOutcome(ctx, {
        property_id: '00000000-0000-4000-8000-00000000000a',
        storm_id: stormId,
        converted: true,
        idempotency_key: 'g-2',
      }),
      logOutcome(ctx, { property_id: ids[251]!, event_id: 'NOT_THIS_STORM', converted: true, idempotency_key: 'g-3' }),
      logOutcome(ctx, { property_id: ids[252]!, storm_id: stormId, converted: false, idempotency_key: 'k-first' }), // key taken, other payload
      logOutcome(ctx, { property_id: p, storm_id: stormId, converted: true, value: 500, idempotency_key: 'g-5' }), // a correction of g-1
      logOutcome(ctx, { property_id: p, storm_id: stormId, converted: false, idempotency_key: 'g-1' }), // a retry of g-1
    ]);
    const [first, unknown, wrongStorm, taken, correction, retry] = settled;
    expect(first).toMatchObject({ status: 'fulfilled', value: { replayed: false, supersedes: null } });
    expect(unknown).toMatchObject({ status: 'rejected', reason: { code: 'NOT_FOUND' } });
    expect(wrongStorm).toMatchObject({ status: 'rejected', reason: { code: 'VALIDATION' } });
    expect(taken).toMatchObject({
      status: 'rejected',
      reason: { code: 'CONFLICT', message: expect.stringContaining('different outcome') },
    });
    const firstId = first.status === 'fulfilled' ? first.value.outcome_id : '';
    expect(correction).toMatchObject({
      status: 'fulfilled',
      value: { replayed: false, supersedes: firstId, is_current: true },
    });
    expect(retry).toMatchObject({ status: 'fulfilled', value: { replayed: true, outcome_id: firstId } });
    expect((await outcomeHistory(ctx, { property_id: p })).map((h) => [h.idempotency_key, h.is_current])).toEqual([
      ['g-1', false],
      ['g-5', true],
    ]);
  });

  it('concurrent batches and single calls on the same properties leave one current outcome each, chains intact', async () => {
    const props = ids.slice(260, 270);
    const batch = (n: number) =>
      logOutcomes(ctx, {
        storm_id: stormId,
        idempotency_key: `par-${n}`,
        outcomes: props.map((propertyId, i) => ({ property_id: propertyId, converted: (i + n) % 2 === 0 })),
      });
    const singles = props.map((propertyId, i) =>
      logOutcome(ctx, {
        property_id: propertyId,
        storm_id: stormId,
        converted: true,
        value: i + 1,
        idempotency_key: `par-s-${i}`,
      }),
    );
    const results = await Promise.all([batch(1), batch(2), batch(3), ...singles]);
    expect(results.slice(0, 3).map((r) => (r as { accepted: number }).accepted)).toEqual([10, 10, 10]);
    for (const propertyId of props) {
      const h = await outcomeHistory(ctx, { property_id: propertyId });
      expect(h).toHaveLength(4);
      expect(h.filter((x) => x.is_current)).toHaveLength(1);
      expect(h.at(-1)!.is_current).toBe(true);
      h.slice(1).forEach((x, i) => expect(x.supersedes).toBe(h[i]!.outcome_id));
    }
  });

  it('a correction supersedes the earlier outcome and keeps the audit trail', async () => {
    const p = ids[1]!;
    const first = await logOutcome(ctx, { property_id: p, storm_id: stormId, converted: false, idempotency_key: 'c1' });
    const second = await logOutcome(ctx, {
      property_id: p,
      storm_id: stormId,
      converted: true,
      value: 9000.5,
      idempotency_key: 'c2',
    });
    expect(second.supersedes).toBe(first.outcome_id);
    const history = await outcomeHistory(ctx, { property_id: p });
    expect(history.map((h) => [h.idempotency_key, h.is_current, h.value_cents])).toEqual([
      ['c1', false, 0],
      ['c2', true, 900_050],
    ]);
  });

  it('refuses unknown properties, negative values and wrong storms with the reason', async () => {
    await expect(
      logOutcome(ctx, { property_id: '00000000-0000-4000-8000-000000000000', event_id: eventId, converted: false }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      logOutcome(ctx, { property_id: ids[2]!, event_id: eventId, converted: true, value: -5 }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('negative'),
    });
    await expect(
      logOutcome(ctx, { property_id: ids[2]!, event_id: 'OTHER_EVENT', converted: true }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('refuses keys and event ids Postgres cannot store, or that would not fit once keyed by row, before writing', async () => {
    await expect(
      logOutcome(ctx, { property_id: ids[4]!, event_id: eventId, converted: true, idempotency_key: 'a\0b' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('NUL'),
    });
    await expect(logOutcome(ctx, { property_id: ids[4]!, event_id: 'E\0', converted: true })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      logOutcomes(ctx, {
        storm_id: stormId,
        idempotency_key: 'k'.repeat(195),
        outcomes: [{ property_id: ids[4]!, converted: false }],
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('idempotency_key'),
    });
    await expect(
      importOutcomes(ctx, { storm_id: stormId, idempotency_key: 'x\0', text: `property_id,converted\n${ids[4]},no\n` }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    // A row's own key is stored as validated (trimmed), the same as a single call would store it.
    const r = await logOutcomes(ctx, {
      storm_id: stormId,
      outcomes: [{ property_id: ids[4]!, converted: false, idempotency_key: '  trimmed-key  ' }],
    });
    expect(r.accepted).toBe(1);
    expect(await count(`idempotency_key = 'trimmed-key'`)).toBe(1);
  });

  it("another tenant cannot log an outcome for this tenant's property (404)", async () => {
    const other = await newTenant(t().db);
    await expect(
      logOutcome(tenantCtx(t().db, other.tenantId), { property_id: ids[3]!, event_id: eventId, converted: true }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('feeds the outcome-ingestion-lag SLO: outcomes logged within 48 h of the first knock are on time', async () => {
    const series = () =>
      t().db.withPlatform(
        async (trx) =>
          (
            await sql<{
              good: number;
              total: number;
            }>`select coalesce(sum(good), 0)::int as good, coalesce(sum(total), 0)::int as total
            from metric_bucket where series = 'job.outcomes.ingestion_lag'`.execute(trx)
          ).rows[0]!,
      );
    const before = await series();
    const now = Date.now();
    // Two homes knocked an hour ago, one knocked three days ago, one never knocked (not counted).
    await logKnocks(ctx, {
      storm_id: stormId,
      knocks: [
        {
          property_id: ids[280]!,
          canvasser: 'c',
          result: 'no_answer',
          knocked_at: new Date(now - 3_600_000).toISOString(),
        },
        {
          property_id: ids[281]!,
          canvasser: 'c',
          result: 'no_answer',
          knocked_at: new Date(now - 3_600_000).toISOString(),
        },
        {
          property_id: ids[282]!,
          canvasser: 'c',
          result: 'no_answer',
          knocked_at: new Date(now - 72 * 3_600_000).toISOString(),
        },
      ],
    });
    await logOutcomes(ctx, {
      storm_id: stormId,
      idempotency_key: 'lag-slo',
      outcomes: [280, 281, 282, 283].map((i) => ({ property_id: ids[i]!, converted: false })),
    });
    const after = await series();
    expect([after.good - before.good, after.total - before.total]).toEqual([2, 3]);
  });

  it('batch: accepted, replayed and refused rows with reasons; retrying the batch writes nothing new', async () => {
    const outcomes = [
      { property_id: ids[20]!, converted: true, value: 12000 },
      { property_id: ids[21]!, converted: false },
      { property_id: '00000000-0000-4000-8000-000000000001', converted: true },
      { property_id: ids[22]!, converted: true, value: -1 },
      { property_id: ids[23]!, converted: false, idempotency_key: 'k-first' }, // used in the first test with another payload
      { property_id: ids[20]!, converted: true, value: 13000 }, // a correction within the batch
    ];
    const r = await logOutcomes(ctx, { storm_id: stormId, idempotency_key: 'batch-1', outcomes });
    expect(r).toMatchObject({ received: 6, accepted: 3, replayed: 0, refused_count: 3 });
    expect(r.refused.map((x) => [x.row, x.code])).toEqual([
      [3, 'NOT_FOUND'],
      [4, 'VALIDATION'],
      [5, 'CONFLICT'],
    ]);
    const again = await logOutcomes(ctx, { storm_id: stormId, idempotency_key: 'batch-1', outcomes });
    expect(again).toMatchObject({ accepted: 0, replayed: 3 });
    const h = await outcomeHistory(ctx, { property_id: ids[20]! });
    expect(h.map((x) => [x.value_cents, x.is_current])).toEqual([
      [1_200_000, false],
      [1_300_000, true],
    ]);
    expect(h[1]!.supersedes).toBe(h[0]!.outcome_id);
  });

  it('CSV import: keyed by file, so importing the same file twice is a no-op', async () => {
    const csv = `property_id,converted,value\n${ids[30]},yes,"$14,500"\n${ids[31]},no,\nnot-a-uuid,yes,1\n${ids[32]},maybe,\n`;
    const r = await importOutcomes(ctx, { storm_id: stormId, text: csv });
    expect(r).toMatchObject({ received: 4, accepted: 2, refused_count: 2 });
    expect(r.refused.map((x) => x.row)).toEqual([4, 5]);
    expect((await importOutcomes(ctx, { storm_id: stormId, text: csv })).replayed).toBe(2);
    expect((await outcomeHistory(ctx, { property_id: ids[30]! }))[0]!.value_cents).toBe(1_450_000);
  });

  it('CSV import reads through the platform CSV reader: quoted line breaks, semicolons; a broken file changes nothing', async () => {
    const quoted = `property_id;converted;value;note\n${ids[33]};yes;"14500";"left a card,\nthen signed"\n${ids[34]};no;;x\n`;
    const r = await importOutcomes(ctx, { storm_id: stormId, text: quoted });
    expect(r).toMatchObject({ received: 2, accepted: 2, refused_count: 0 });
    const broken = `property_id,converted\n${ids[35]},yes\n${ids[36]},no,extra\n`;
    await expect(importOutcomes(ctx, { storm_id: stormId, text: broken })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^outcomes CSV, row 3\b/),
    });
    expect(await outcomeHistory(ctx, { property_id: ids[35]! })).toEqual([]);
    const headerOnly = await importOutcomes(ctx, { storm_id: stormId, text: 'property_id,converted\n' });
    expect(headerOnly).toMatchObject({ received: 0, accepted: 0 });
    const noHeader = await importOutcomes(ctx, { storm_id: stormId, text: '' });
    expect(noHeader.refused[0]).toMatchObject({ row: 1, reason: 'the header must name property_id and converted' });
  });

  it('accepts late outcomes within the grace window (flagged) and refuses them after', async () => {
    const s = await scoredStorm(t().db, 5, 82);
    const pid = await t().db.withTenant(
      s.tenant.tenantId,
      async (trx) =>
        (
          await sql<{
            property_id: string;
          }>`select property_id from property where storm_id = ${s.storm.storm_id} limit 1`.execute(trx)
        ).rows[0]!.property_id,
    );
    await setStormStatus(operator(t().db), s.storm.storm_id, { status: 'active' });
    await setStormStatus(operator(t().db), s.storm.storm_id, { status: 'closed' });
    const late = await logOutcome(s.ctx, { property_id: pid, storm_id: s.storm.storm_id, converted: true, value: 10 });
    expect(late.late).toBe(true);
    await t()
      .db.owner.updateTable('storm_status_change')
      .set({ changed_at: new Date(Date.now() - 15 * 86_400_000) })
      .where('storm_id', '=', s.storm.storm_id)
      .execute();
    await expect(
      logOutcome(s.ctx, { property_id: pid, storm_id: s.storm.storm_id, converted: false }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('grace'),
    });
  });
});
