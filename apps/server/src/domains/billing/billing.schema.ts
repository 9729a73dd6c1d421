/**
 * Billing inputs, one schema per operation in the API's snake_case names: routes, the CLI and the SDK hand the parsed
 * value straight to the service. Unknown keys are refused.
 */
import { z } from 'zod';
import { METRICS, periodInput } from './charges.ts';
import { safeInt } from '../fields.ts';
import { actingTenantInput, tenantId } from '../tenants/tenants.schema.ts';

const metric = z.enum(METRICS, { error: () => `must be one of ${METRICS.join(', ')}` });
/** Text a user sends: no NUL (Postgres refuses it), bounded. */
const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');

export const usageEvent = z
  .object({
    tenant_id: tenantId,
    metric,
    quantity: z.number().int('must be a whole number').min(0).max(1_000_000_000_000),
    idempotency_key: text(200),
    timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
  })
  .strict();
export type UsageEventInput = z.input<typeof usageEvent>;

export const recordUsageInput = z
  .object({ events: z.array(usageEvent).min(1, 'give at least one event').max(100, 'at most 100 events a batch') })
  .strict();
export type RecordUsageInput = z.input<typeof recordUsageInput>;

export const tenantInput = actingTenantInput;
export type TenantInput = z.input<typeof tenantInput>;

export const overrideInput = z
  .object({ tenant_id: tenantId, metric, included: safeInt().min(0).max(1_000_000_000_000) })
  .strict();
export type OverrideInput = z.input<typeof overrideInput>;

export const usageExportInput = z
  .object({ tenant_id: tenantId.optional(), period: periodInput, format: z.enum(['json', 'csv']).default('json') })
  .strict();
export type UsageExportInput = z.input<typeof usageExportInput>;

export const dashboardInput = z
  .object({
    tenant_id: tenantId.optional(),
    period: periodInput.optional(),
  })
  .strict();
export type DashboardInput = z.input<typeof dashboardInput>;

export const invoiceCreateInput = z.object({ tenant_id: tenantId, period: periodInput }).strict();
export type InvoiceCreateInput = z.input<typeof invoiceCreateInput>;

export const invoiceIdInput = z.object({ invoice_id: tenantId }).strict();
export type InvoiceIdInput = z.input<typeof invoiceIdInput>;

export const closePeriodInput = z.object({ period: periodInput }).strict();
export type ClosePeriodInput = z.input<typeof closePeriodInput>;

export const invoiceListInput = actingTenantInput;
export type InvoiceListInput = z.input<typeof invoiceListInput>;
