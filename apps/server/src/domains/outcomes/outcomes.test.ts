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
      propertyId: ids[0]!,
      eventId,
      converted: true,
      value: 15000,
      idempotencyKey: 'k-first',
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
      propertyId: ids[0]!,
      eventId,
      converted: true,
      value: 15000,
      idempotencyKey: 'k-first',
    });
    expect(again).toMatchObject({ outcome_id: o.outcome_id, replayed: true });
    await expect(
      logOutcome(ctx, { propertyId: ids[0]!, eventId, converted: false, idempotencyKey: 'k-first' }),
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
        propertyId: ids[10 + k]!,
        stormId,
        converted: true,
        value: 1000 + k,
        idempotencyKey: keys[k]!,
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
          propertyId: ids[100 + (i % 100)]!,
          stormId,
          converted: i % 3 === 0,
          idempotencyKey: `load-${i}`,
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
      logOutcome(ctx, { propertyId: p, stormId, converted: false, idempotencyKey: 'g-1' }),
      logOutcome(ctx, {
        propertyId: '00000000-0000-4000-8000-00000000000a',
        stormId,
        converted: true,
        idempotencyKey: 'g-2',
      }),
      logOutcome(ctx, { propertyId: ids[251]!, eventId: 'NOT_THIS_STORM', converted: true, idempotencyKey: 'g-3' }),
      logOutcome(ctx, { propertyId: ids[252]!, stormId, converted: false, idempotencyKey: 'k-first' }), // key taken, other payload
      logOutcome(ctx, { propertyId: p, stormId, converted: true, value: 500, idempotencyKey: 'g-5' }), // a correction of g-1
      logOutcome(ctx, { propertyId: p, stormId, converted: false, idempotencyKey: 'g-1' }), // a retry of g-1
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
    expect((await outcomeHistory(ctx, { propertyId: p })).map((h) => [h.idempotency_key, h.is_current])).toEqual([
      ['g-1', false],
      ['g-5', true],
    ]);
  });

  it('concurrent batches and single calls on the same properties leave one current outcome each, chains intact', async () => {
    const props = ids.slice(260, 270);
    const batch = (n: number) =>
      logOutcomes(ctx, {
        stormId,
        idempotencyKey: `par-${n}`,
        outcomes: props.map((propertyId, i) => ({ propertyId, converted: (i + n) % 2 === 0 })),
      });
    const singles = props.map((propertyId, i) =>
      logOutcome(ctx, { propertyId, stormId, converted: true, value: i + 1, idempotencyKey: `par-s-${i}` }),
    );
    const results = await Promise.all([batch(1), batch(2), batch(3), ...singles]);
    expect(results.slice(0, 3).map((r) => (r as { accepted: number }).accepted)).toEqual([10, 10, 10]);
    for (const propertyId of props) {
      const h = await outcomeHistory(ctx, { propertyId });
      expect(h).toHaveLength(4);
      expect(h.filter((x) => x.is_current)).toHaveLength(1);
      expect(h.at(-1)!.is_current).toBe(true);
      h.slice(1).forEach((x, i) => expect(x.supersedes).toBe(h[i]!.outcome_id));
    }
  });

  it('a correction supersedes the earlier outcome and keeps the audit trail', async () => {
    const p = ids[1]!;
    const first = await logOutcome(ctx, { propertyId: p, stormId, converted: false, idempotencyKey: 'c1' });
    const second = await logOutcome(ctx, {
      propertyId: p,
      stormId,
      converted: true,
      value: 9000.5,
      idempotencyKey: 'c2',
    });
    expect(second.supersedes).toBe(first.outcome_id);
    const history = await outcomeHistory(ctx, { propertyId: p });
    expect(history.map((h) => [h.idempotency_key, h.is_current, h.value_cents])).toEqual([
      ['c1', false, 0],
      ['c2', true, 900_050],
    ]);
  });

  it('refuses unknown properties, negative values and wrong storms with the reason', async () => {
    await expect(
      logOutcome(ctx, { propertyId: '00000000-0000-4000-8000-000000000000', eventId, converted: false }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(logOutcome(ctx, { propertyId: ids[2]!, eventId, converted: true, value: -5 })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('negative'),
    });
    await expect(
      logOutcome(ctx, { propertyId: ids[2]!, eventId: 'OTHER_EVENT', converted: true }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('refuses keys and event ids Postgres cannot store, or that would not fit once keyed by row, before writing', async () => {
    await expect(
      logOutcome(ctx, { propertyId: ids[4]!, eventId, converted: true, idempotencyKey: 'a\0b' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('NUL'),
    });
    await expect(logOutcome(ctx, { propertyId: ids[4]!, eventId: 'E\0', converted: true })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      logOutcomes(ctx, {
        stormId,
        idempotencyKey: 'k'.repeat(195),
        outcomes: [{ propertyId: ids[4]!, converted: false }],
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('idempotency_key'),
    });
    await expect(
      importOutcomes(ctx, { stormId, idempotencyKey: 'x\0', text: `property_id,converted\n${ids[4]},no\n` }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    // A row's own key is stored as validated (trimmed), the same as a single call would store it.
    const r = await logOutcomes(ctx, {
      stormId,
      outcomes: [{ propertyId: ids[4]!, converted: false, idempotencyKey: '  trimmed-key  ' }],
    });
    expect(r.accepted).toBe(1);
    expect(await count(`idempotency_key = 'trimmed-key'`)).toBe(1);
  });

  it("another tenant cannot log an outcome for this tenant's property (404)", async () => {
    const other = await newTenant(t().db);
    await expect(
      logOutcome(tenantCtx(t().db, other.tenantId), { propertyId: ids[3]!, eventId, converted: true }),
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
      stormId,
      knocks: [
        {
          propertyId: ids[280]!,
          canvasser: 'c',
          result: 'no_answer',
          knockedAt: new Date(now - 3_600_000).toISOString(),
        },
        {
          propertyId: ids[281]!,
          canvasser: 'c',
          result: 'no_answer',
          knockedAt: new Date(now - 3_600_000).toISOString(),
        },
        {
          propertyId: ids[282]!,
          canvasser: 'c',
          result: 'no_answer',
          knockedAt: new Date(now - 72 * 3_600_000).toISOString(),
        },
      ],
    });
    await logOutcomes(ctx, {
      stormId,
      idempotencyKey: 'lag-slo',
      outcomes: [280, 281, 282, 283].map((i) => ({ propertyId: ids[i]!, converted: false })),
    });
    const after = await series();
    expect([after.good - before.good, after.total - before.total]).toEqual([2, 3]);
  });

  it('batch: accepted, replayed and refused rows with reasons; retrying the batch writes nothing new', async () => {
    const outcomes = [
      { propertyId: ids[20]!, converted: true, value: 12000 },
      { propertyId: ids[21]!, converted: false },
      { propertyId: '00000000-0000-4000-8000-000000000001', converted: true },
      { propertyId: ids[22]!, converted: true, value: -1 },
      { propertyId: ids[23]!, converted: false, idempotencyKey: 'k-first' }, // used in the first test with another payload
      { propertyId: ids[20]!, converted: true, value: 13000 }, // a correction within the batch
    ];
    const r = await logOutcomes(ctx, { stormId, idempotencyKey: 'batch-1', outcomes });
    expect(r).toMatchObject({ received: 6, accepted: 3, replayed: 0, refused_count: 3 });
    expect(r.refused.map((x) => [x.row, x.code])).toEqual([
      [3, 'NOT_FOUND'],
      [4, 'VALIDATION'],
      [5, 'CONFLICT'],
    ]);
    const again = await logOutcomes(ctx, { stormId, idempotencyKey: 'batch-1', outcomes });
    expect(again).toMatchObject({ accepted: 0, replayed: 3 });
    const h = await outcomeHistory(ctx, { propertyId: ids[20]! });
    expect(h.map((x) => [x.value_cents, x.is_current])).toEqual([
      [1_200_000, false],
      [1_300_000, true],
    ]);
    expect(h[1]!.supersedes).toBe(h[0]!.outcome_id);
  });

  it('CSV import: keyed by file, so importing the same file twice is a no-op', async () => {
    const csv = `property_id,converted,value\n${ids[30]},yes,"$14,500"\n${ids[31]},no,\nnot-a-uuid,yes,1\n${ids[32]},maybe,\n`;
    const r = await importOutcomes(ctx, { stormId, text: csv });
    expect(r).toMatchObject({ received: 4, accepted: 2, refused_count: 2 });
    expect(r.refused.map((x) => x.row)).toEqual([4, 5]);
    expect((await importOutcomes(ctx, { stormId, text: csv })).replayed).toBe(2);
    expect((await outcomeHistory(ctx, { propertyId: ids[30]! }))[0]!.value_cents).toBe(1_450_000);
  });

  it('CSV import reads through the platform CSV reader: quoted line breaks, semicolons; a broken file changes nothing', async () => {
    const quoted = `property_id;converted;value;note\n${ids[33]};yes;"14500";"left a card,\nthen signed"\n${ids[34]};no;;x\n`;
    const r = await importOutcomes(ctx, { stormId, text: quoted });
    expect(r).toMatchObject({ received: 2, accepted: 2, refused_count: 0 });
    const broken = `property_id,converted\n${ids[35]},yes\n${ids[36]},no,extra\n`;
    await expect(importOutcomes(ctx, { stormId, text: broken })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^outcomes CSV, row 3\b/),
    });
    expect(await outcomeHistory(ctx, { propertyId: ids[35]! })).toEqual([]);
    const headerOnly = await importOutcomes(ctx, { stormId, text: 'property_id,converted\n' });
    expect(headerOnly).toMatchObject({ received: 0, accepted: 0 });
    const noHeader = await importOutcomes(ctx, { stormId, text: '' });
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
    const late = await logOutcome(s.ctx, { propertyId: pid, stormId: s.storm.storm_id, converted: true, value: 10 });
    expect(late.late).toBe(true);
    await t()
      .db.owner.updateTable('storm_status_change')
      .set({ changed_at: new Date(Date.now() - 15 * 86_400_000) })
      .where('storm_id', '=', s.storm.storm_id)
      .execute();
    await expect(
      logOutcome(s.ctx, { propertyId: pid, stormId: s.storm.storm_id, converted: false }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('grace'),
    });
  });
});
