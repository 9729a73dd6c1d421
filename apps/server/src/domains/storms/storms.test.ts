import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, nextMillisecond, operator, tenantCtx } from '../../../test/helpers.ts';
import * as storms from './storms.service.ts';

describeEachDatabase('storms', (t) => {
  it('creates a storm in planning, with optional dates and region', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const s = await storms.createStorm(tenantCtx(db, tenantId), {
      eventId: 'DFW_STORM_001',
      name: 'DFW Storm Feb 2026',
      startsAt: '2026-02-10',
      endsAt: '2026-02-12T06:00:00Z',
      region: 'Dallas-Fort Worth, TX',
    });
    expect(s).toMatchObject({ tenant_id: tenantId, status: 'planning', starts_at: '2026-02-10T00:00:00.000Z', region: 'Dallas-Fort Worth, TX' });
  });

  it('keeps event ids unique per tenant only', async () => {
    const { db } = t();
    const a = await newTenant(db);
    const b = await newTenant(db);
    await storms.createStorm(tenantCtx(db, a.tenantId), { eventId: 'E1', name: 'one' });
    await expect(storms.createStorm(tenantCtx(db, a.tenantId), { eventId: 'E1', name: 'dup' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('E1'),
    });
    await expect(storms.createStorm(tenantCtx(db, b.tenantId), { eventId: 'E1', name: 'theirs' })).resolves.toMatchObject({ event_id: 'E1' });
  });

  it.each([
    [{ eventId: '', name: 'x' }, 'eventId'],
    [{ eventId: 'bad id!', name: 'x' }, 'eventId'],
    [{ eventId: 'E', name: '  ' }, 'name'],
    [{ eventId: 'E', name: 'x', startsAt: 'yesterday' }, 'startsAt'],
    [{ eventId: 'E', name: 'x', startsAt: '2026-02-10', endsAt: '2026-02-01' }, 'endsAt'],
  ])('refuses %j naming %s', async (input, field) => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    await expect(storms.createStorm(tenantCtx(db, tenantId), input)).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining(field),
    });
  });

  it('moves planning -> active -> closed, keeps the history, and refuses other moves with the reason', async () => {
    const { db } = t();
    const { tenantId } = await newTenant(db);
    const ctx = tenantCtx(db, tenantId);
    const s = await storms.createStorm(ctx, { eventId: 'S1', name: 's' });
    await expect(storms.setStormStatus(ctx, s.storm_id, { status: 'closed' })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('it can move to active or cancelled'),
    });
    await storms.setStormStatus(ctx, s.storm_id, { status: 'active', reason: 'hail confirmed' });
    expect((await storms.setStormStatus(ctx, s.storm_id, { status: 'active' })).status).toBe('active');
    await nextMillisecond(); // the history is ordered by changed_at alone
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
    const s1 = await storms.createStorm(operator(db), { tenantId, eventId: 'L1', name: 'first' });
    await nextMillisecond(); // else both can get the same created_at on PGlite, and the order falls to the random storm_id
    const s2 = await storms.createStorm(operator(db), { tenantId, eventId: 'L2', name: 'second' });
    await storms.setStormStatus(operator(db), s1.storm_id, { status: 'cancelled' });
    expect((await storms.getStorm(operator(db), s1.storm_id)).status).toBe('cancelled');
    const all = await storms.listStorms(operator(db), { tenantId });
    expect(all.map((s) => s.event_id)).toEqual([s2.event_id, s1.event_id]);
    expect((await storms.listStorms(operator(db), { tenantId, status: 'planning' })).map((s) => s.storm_id)).toEqual([s2.storm_id]);
    await expect(storms.listStorms(operator(db))).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(storms.getStorm(operator(db), 'nope')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(storms.getStorm(operator(db), '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
