/**
 * The audit log: every administrative action is recorded by `recordAudit` inside the transaction that makes the
 * change (so a change and its row commit together), with the actor, the target, the state before and after, and
 * the request id. Rows cannot be changed or removed (migration 0020). Reading needs `audit:read`.
 */
import type { Trx } from '../../db/database.ts';
import { actingTenant, authorize, roleOf, type ServiceContext } from '../auth/principal.ts';
import { parse } from '../validate.ts';
import * as repo from './audit.repo.ts';
import { listAuditInput, type AuditEventView, type ListAuditInput } from './audit.schema.ts';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

function row(ctx: Pick<ServiceContext, 'principal' | 'requestId'>, e: AuditEntry): repo.AuditRow {
  const p = ctx.principal;
  return {
    actor_kind: p.kind === 'platform' ? 'operator' : p.kind === 'staff' ? 'staff' : 'user',
    actor_id: p.kind === 'platform' ? null : p.kind === 'staff' ? p.staffId : p.userId,
    actor_role: roleOf(p),
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    request_id: ctx.requestId ?? null,
  };
}

/** Records one administrative action of a tenant, in the caller's transaction. */
export function recordAudit(
  trx: Trx,
  ctx: Pick<ServiceContext, 'principal' | 'requestId'>,
  tenantId: string,
  entry: AuditEntry,
): Promise<void> {
  return repo.insertTenantEvent(trx, tenantId, row(ctx, entry));
}

/** Records a platform-wide action (no tenant: staff credentials), in the caller's platform transaction. */
export function recordPlatformAudit(
  trx: Trx,
  ctx: Pick<ServiceContext, 'principal' | 'requestId'>,
  entry: AuditEntry,
): Promise<void> {
  return repo.insertPlatformEvent(trx, row(ctx, entry));
}

function view(r: Awaited<ReturnType<typeof repo.listPlatformEvents>>[number], tenantId: string | null): AuditEventView {
  return {
    event_id: r.event_id,
    tenant_id: tenantId,
    at: new Date(r.at).toISOString(),
    actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role },
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    before: r.before ?? null,
    after: r.after ?? null,
    request_id: r.request_id,
  };
}

/**
 * A tenant's audit log, newest first (a tenant admin: its own); the operator without a tenant reads the platform's
 * log (staff credentials).
 */
export async function listAudit(ctx: ServiceContext, input: ListAuditInput = {}): Promise<AuditEventView[]> {
  authorize(ctx, 'audit:read');
  const o = parse(listAuditInput, input);
  const filter = { limit: o.limit ?? 200, ...(o.since ? { since: new Date(o.since) } : {}) };
  if (ctx.principal.kind !== 'tenant' && !o.tenant_id) {
    const rows = await ctx.db.withPlatform((trx) => repo.listPlatformEvents(trx, filter));
    return rows.map((r) => view(r, null));
  }
  const tenantId = actingTenant(ctx, o.tenant_id);
  const rows = await ctx.db.withTenant(tenantId, (trx) => repo.listTenantEvents(trx, filter));
  return rows.map((r) => view(r, r.tenant_id));
}

/** Shorthand for recordAudit: `audit(trx, ctx, tenantId, 'storm.status', ['storm', id], before, after)`. */
export function audit(
  trx: Trx,
  ctx: Pick<ServiceContext, 'principal' | 'requestId'>,
  tenantId: string,
  action: string,
  target: [type: string, id: string | null],
  before?: unknown,
  after?: unknown,
): Promise<void> {
  return recordAudit(trx, ctx, tenantId, { action, targetType: target[0], targetId: target[1], before, after });
}
