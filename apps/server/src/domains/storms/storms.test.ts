import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { SERVER_URL, createScratchDatabase, describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator, tenantCtx, underBothPlans } from '../../../test/helpers.ts';
import * as repo from './storms.repo.ts';
import * as storms from './storms.service.ts';

describeEachDatabase('storms', (t) => {
  it('creates a storm in planning, with optional dates and region', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const s = await storms.createStorm(tenantCtx(db, tenantId), {
      event_id: 'DFW_STORM_001',
      name: 'DFW Storm Feb 2026',
      starts_at: '2026-02-10',
      ends_at: '2026-02-12T06:00:00Z',
      region: 'Dallas-Fort Worth, TX',
    });
    expect(s).toMatchObject({
      tenant_id: tenantId,
      status: 'planning',
      starts_at: '2026-02-10T00:00:00.000Z',
      region: 'Dallas-Fort Worth, TX',
    });
  });

  it('keeps event ids unique per tenant only', async () => {
    const { db } = t();
    const a = await newTenant(db);
    const b = await newTenant(db);
    await storms.createStorm(tenantCtx(db, a.tenantId), { event_id: 'E1', name: 'one' });
    await expect(storms.createStorm(tenantCtx(db, a.tenantId), { event_id: 'E1', name: 'dup' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('E1'),
    });
    await expect(
      storms.createStorm(tenantCtx(db, b.tenantId), { event_id: 'E1', name: 'theirs' }),
    ).resolves.toMatchObject({ event_id: 'E1' });
  });

  it.each([
    [{ event_id: '', name: 'x' }, 'event_id'],
    [{ event_id: 'bad id!', name: 'x' }, 'event_id'],
    [{ event_id: 'E', name: '  ' }, 'name'],
    [{ event_id: 'E', name: 'x', starts_at: 'yesterday' }, 'starts_at'],
    [{ event_id: 'E', name: 'x', starts_at: '2026-02-10', ends_at: '2026-02-01' }, 'ends_at'],
  ])('refuses %j naming %s', async (input, field) => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    await expect(storms.createStorm(tenantCtx(db, tenantId), input)).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(new RegExp(`^${field}: `)),
    });
  });

  it('moves planning -> active -> closed, keeps the history, and refuses other moves with the reason', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const ctx = tenantCtx(db, tenantId);
    const s = await storms.createStorm(ctx, { event_id: 'S1', name: 's' });
    await expect(storms.setStormStatus(ctx, s.storm_id, { status: 'closed' })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('it can move to active or cancelled'),
    });
    await storms.setStormStatus(ctx, s.storm_id, { status: 'active', reason: 'hail confirmed' });
    expect((await storms.setStormStatus(ctx, s.storm_id, { status: 'active' })).status).toBe('active');
    await storms.setStormStatus(ctx, s.storm_id, { status: 'closed' });
    await expect(storms.setStormStatus(ctx, s.storm_id, { status: 'active' })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('closed is final'),
    });
    const shown = await storms.getStorm(ctx, s.storm_id);
    expect(shown.status_history).toMatchObject([
      { from_status: 'planning', to_status: 'active', reason: 'hail confirmed' },
      { from_status: 'active', to_status: 'closed' },
    ]);
  });

  it('lets the operator act on a storm by id alone, and lists newest first with a status filter', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const s1 = await storms.createStorm(operator(db), { tenant_id: tenantId, event_id: 'L1', name: 'first' });
    const s2 = await storms.createStorm(operator(db), { tenant_id: tenantId, event_id: 'L2', name: 'second' });
    await storms.setStormStatus(operator(db), s1.storm_id, { status: 'cancelled' });
    expect((await storms.getStorm(operator(db), s1.storm_id)).status).toBe('cancelled');
    const all = await storms.listStorms(operator(db), { tenant_id: tenantId });
    expect(all.map((s) => s.event_id)).toEqual([s2.event_id, s1.event_id]);
    expect(
      (await storms.listStorms(operator(db), { tenant_id: tenantId, status: 'planning' })).map((s) => s.storm_id),
    ).toEqual([s2.storm_id]);
    await expect(storms.listStorms(operator(db))).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(storms.getStorm(operator(db), 'nope')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(storms.getStorm(operator(db), '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lists storms and status history in the order they happened when their timestamps are equal', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const ctx = tenantCtx(db, tenantId);
    // One transaction: now() is constant inside it, so every row gets the same created_at / changed_at.
    const events = Array.from({ length: 8 }, (_, i) => `TIE_${i}`);
    const stormId = await db.withTenant(tenantId, async (trx) => {
      for (const eventId of events)
        await repo.insertStorm(trx, { tenant_id: tenantId, event_id: eventId, name: eventId });
      const first = await trx
        .selectFrom('storm')
        .selectAll()
        .where('event_id', '=', events[0]!)
        .executeTakeFirstOrThrow();
      const active = await repo.updateStatus(trx, first, 'active', 'one');
      await repo.updateStatus(trx, active, 'closed', 'two');
      return first.storm_id;
    });
    // A row's place in the table is not its age (an update or a reused slot moves it): put the first change last.
    await sql`update storm_status_change set reason = reason where storm_id = ${stormId} and to_status = 'active'`.execute(
      db.owner,
    );
    const read = await underBothPlans(db, tenantId, async (trx) => ({
      storms: (await repo.listStorms(trx, { limit: 100 })).map((s) => s.event_id),
      history: (await repo.statusHistory(trx, stormId)).map((h) => h.reason),
    }));
    const expected = { storms: [...events].reverse(), history: ['one', 'two'] };
    expect(read).toEqual({ index: expected, scan: expected });
    expect((await storms.getStorm(ctx, stormId)).status_history).toMatchObject([{ reason: 'one' }, { reason: 'two' }]);
  });
});

it.skipIf(!SERVER_URL)(
  'reads a date-only start as midnight UTC whatever the server time zone [server Postgres]',
  async () => {
    const scratch = await createScratchDatabase(SERVER_URL as string);
    const name = new URL(scratch.url).pathname.slice(1);
    try {
      const admin = new pg.Client({ connectionString: SERVER_URL });
      await admin.connect();
      await admin.query(`alter database ${name} set timezone to 'America/Chicago'`);
      await admin.end();
      const db = await openDatabase({ kind: 'postgres', url: scratch.url });
      try {
        await migrate(db);
        expect(
          (await sql<{ tz: string }>`select current_setting('TimeZone') as tz`.execute(db.owner)).rows[0]?.tz,
        ).toBe('UTC');
        const { tenantId } = await newTenant(db);
        const s = await storms.createStorm(tenantCtx(db, tenantId), {
          event_id: 'TZ_1',
          name: 'tz',
          starts_at: '2026-02-10',
          ends_at: '2026-02-12',
        });
        expect([s.starts_at, s.ends_at]).toEqual(['2026-02-10T00:00:00.000Z', '2026-02-12T00:00:00.000Z']);
      } finally {
        await db.close();
      }
    } finally {
      await scratch.drop();
    }
  },
);
