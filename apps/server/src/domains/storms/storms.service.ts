/**
 * Storms: one hail event a tenant works. Event ids are unique per tenant; status moves planning -> active -> closed
 * (or cancelled) and every change is kept with its reason.
 */
import { meteredTx } from '../billing/metering.ts';
import { AppError, fromDatabaseError } from '../../errors.ts';
import type { StormRow } from '../../db/schema.ts';
import type { Trx } from '../../db/database.ts';
import { authorize, actingTenant, type ServiceContext } from '../auth/principal.ts';
import { parse } from '../validate.ts';
import { audit } from '../audit/audit.service.ts';
import * as repo from './storms.repo.ts';
import {
  TRANSITIONS,
  createStormInput,
  listStormsInput,
  statusChangeInput,
  stormId as stormIdSchema,
  type CreateStormInput,
  type ListStormsInput,
  type StatusChangeInput,
  type StormStatus,
  type StormView,
} from './storms.schema.ts';

export function toView(row: StormRow): StormView {
  const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
  return {
    storm_id: row.storm_id,
    tenant_id: row.tenant_id,
    event_id: row.event_id,
    name: row.name,
    status: row.status as StormStatus,
    starts_at: iso(row.starts_at),
    ends_at: iso(row.ends_at),
    region: row.region,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

export async function createStorm(ctx: ServiceContext, input: CreateStormInput): Promise<StormView> {
  authorize(ctx, 'storms:write');
  const s = parse(createStormInput, input);
  const tenantId = actingTenant(ctx, s.tenant_id);
  try {
    const row = await meteredTx(
      ctx.db,
      tenantId,
      { metric: 'storms_created', key: (r: StormRow) => `storm:${r.storm_id}` },
      (trx) =>
        repo.insertStorm(trx, {
          tenant_id: tenantId,
          event_id: s.event_id,
          name: s.name,
          starts_at: s.starts_at ?? null,
          ends_at: s.ends_at ?? null,
          region: s.region ?? null,
        }),
    );
    return toView(row);
  } catch (err) {
    const mapped = fromDatabaseError(err);
    if (mapped?.code === 'CONFLICT') {
      throw new AppError('CONFLICT', `event id ${s.event_id} already names a storm of this tenant`, {
        event_id: s.event_id,
      });
    }
    if (mapped?.code === 'NOT_FOUND')
      throw new AppError('NOT_FOUND', `tenant ${tenantId} not found`, { tenant_id: tenantId });
    throw mapped ?? err;
  }
}

export async function listStorms(ctx: ServiceContext, input: ListStormsInput = {}): Promise<StormView[]> {
  authorize(ctx, 'storms:read');
  const filter = parse(listStormsInput, input);
  const tenantId = actingTenant(ctx, filter.tenant_id);
  const limit = filter.limit ?? 100;
  const rows = await ctx.db.withTenant(tenantId, (trx) =>
    repo.listStorms(trx, { ...(filter.status ? { status: filter.status } : {}), limit }),
  );
  return rows.map(toView);
}

/**
 * Runs `fn` inside the tenant that owns the storm. A tenant principal looks only inside itself, so another
 * tenant's storm id answers NOT_FOUND exactly like an unknown one; the platform first resolves the owner.
 */
export async function withStorm<T>(
  ctx: ServiceContext,
  stormId: string,
  fn: (trx: Trx, storm: StormRow) => Promise<T>,
  opts: { forUpdate?: boolean } = {},
): Promise<T> {
  const id = parse(stormIdSchema, stormId, 'storm_id');
  const tenantId =
    ctx.principal.kind === 'tenant'
      ? ctx.principal.tenantId
      : await ctx.db.withPlatform((trx) => repo.tenantOfStorm(trx, id));
  const missing = () => new AppError('NOT_FOUND', `storm ${id} not found`, { storm_id: id });
  if (!tenantId) throw missing();
  return ctx.db.withTenant(tenantId, async (trx) => {
    const storm = opts.forUpdate ? await repo.findStormForUpdate(trx, id) : await repo.findStorm(trx, id);
    if (!storm) throw missing();
    return fn(trx, storm);
  });
}

export async function getStorm(
  ctx: ServiceContext,
  stormId: string,
): Promise<
  StormView & {
    status_history: {
      from_status: StormStatus | null;
      to_status: StormStatus;
      reason: string | null;
      changed_at: string;
    }[];
  }
> {
  authorize(ctx, 'storms:read');
  return withStorm(ctx, stormId, async (trx, storm) => {
    const history = await repo.statusHistory(trx, storm.storm_id);
    return {
      ...toView(storm),
      status_history: history.map((h) => ({
        ...h,
        from_status: h.from_status as StormStatus | null,
        to_status: h.to_status as StormStatus,
        changed_at: new Date(h.changed_at).toISOString(),
      })),
    };
  });
}

export async function setStormStatus(
  ctx: ServiceContext,
  stormId: string,
  input: StatusChangeInput,
): Promise<StormView> {
  authorize(ctx, 'storms:write');
  const { status, reason } = parse(statusChangeInput, input);
  return withStorm(
    ctx,
    stormId,
    async (trx, storm) => {
      const from = storm.status as StormStatus;
      if (from === status) return toView(storm); // repeating a transition is harmless
      const allowed = TRANSITIONS[from];
      if (!allowed.includes(status)) {
        const next = allowed.length ? `it can move to ${allowed.join(' or ')}` : `${from} is final`;
        throw new AppError(
          'INVALID_TRANSITION',
          `storm ${storm.event_id} is ${from} and cannot become ${status}: ${next}`,
          {
            from,
            to: status,
            allowed,
          },
        );
      }
      const updated = toView(await repo.updateStatus(trx, storm, status, reason));
      await audit(
        trx,
        ctx,
        storm.tenant_id,
        'storm.status',
        ['storm', storm.storm_id],
        { status: from },
        {
          status,
          reason: reason ?? null,
        },
      );
      return updated;
    },
    { forUpdate: true },
  );
}
