/**
 * HTTP adapter for billing. Each route validates with the operation's one schema and hands the parsed value to the
 * service. `GET /billing/plans` (public) and `GET /billing/usage` (platform staff) are also served outside /v1, as
 * the launch playbook names them.
 */
import { replies } from '../../http/responses.ts';
import { billingDashboard, customerHealthList, invoiceList, planList } from './billing.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import {
  closePeriodInput,
  dashboardInput,
  invoiceCreateInput,
  invoiceListInput,
  overrideInput,
  recordUsageInput,
  tenantInput,
  usageExportInput,
} from './billing.schema.ts';
import { getBillingDashboard } from './dashboard.service.ts';
import { customerHealth } from './health.service.ts';
import {
  closePeriod,
  createInvoice,
  finalizeInvoice,
  getInvoice,
  invoicePdf,
  listInvoices,
  payInvoice,
  voidInvoice,
} from './invoices.service.ts';
import { listPlans } from './plans.service.ts';
import { exportUsage, listQuotaAlerts, recordUsageEvents, setOverride } from './usage.service.ts';

const invoiceParams = z.object({ invoice_id: z.uuid() }).strict();

/** The routes served both at the root and under /v1 (the playbook's paths). */
export function registerBillingRootRoutes(root: FastifyInstance, db: Database): void {
  const r = root.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/billing/plans',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['billing'],
        summary: 'The plans, their prices, included quantities and overage charges (public)',
        response: replies({ 200: planList }),
      },
    },
    async () => ({ plans: await listPlans(db) }),
  );
  r.get(
    '/billing/usage',
    {
      config: { permission: 'billing:read' },
      schema: {
        tags: ['billing'],
        summary: "Every tenant's health score, usage ratio, projected cost and flags (platform staff)",
        response: replies({ 200: customerHealthList }),
      },
    },
    async (request) => ({ tenants: await customerHealth(contextOf(request, db)) }),
  );
}

export function registerBillingRoutes(v1: FastifyInstance, db: Database): void {
  registerBillingRootRoutes(v1, db);
  const r = v1.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/billing/events',
    {
      config: { permission: 'billing:write' },
      schema: {
        tags: ['billing'],
        summary:
          'Record out-of-band usage (up to 100 events; a repeated idempotency key is a no-op, 200; a reused key with another payload, 409)',
        body: recordUsageInput,
      },
    },
    async (request, reply) => {
      const result = await recordUsageEvents(contextOf(request, db), request.body);
      return reply.status(result.created > 0 ? 201 : 200).send(result);
    },
  );
  r.get(
    '/billing/dashboard',
    {
      config: { permission: 'billing:own' },
      schema: {
        tags: ['billing'],
        summary: "The tenant's billing dashboard: plan, period, base, overage, total, usage and projection",
        querystring: dashboardInput,
        response: replies({ 200: billingDashboard }),
      },
    },
    async (request) => getBillingDashboard(contextOf(request, db), request.query),
  );
  r.get(
    '/billing/tenants/:tenant_id/dashboard',
    {
      config: { permission: 'billing:read' },
      schema: {
        tags: ['billing'],
        summary: "Any tenant's billing dashboard (platform staff)",
        params: z.object({ tenant_id: z.uuid() }).strict(),
        querystring: dashboardInput.omit({ tenant_id: true }),
      },
    },
    async (request) =>
      getBillingDashboard(contextOf(request, db), { ...request.query, tenant_id: request.params.tenant_id }),
  );
  r.get(
    '/billing/alerts',
    {
      config: { permission: 'billing:own' },
      schema: {
        tags: ['billing'],
        summary: 'Quota alerts (80% soft, 95% hard), newest first',
        querystring: tenantInput,
      },
    },
    async (request) => ({ alerts: await listQuotaAlerts(contextOf(request, db), request.query) }),
  );
  r.get(
    '/billing/usage/export',
    {
      config: { permission: 'billing:own' },
      schema: {
        tags: ['billing'],
        summary: "A period's usage ledger as JSON or CSV (the CRM's usage.json)",
        querystring: usageExportInput,
      },
    },
    async (request, reply) => {
      const out = await exportUsage(contextOf(request, db), request.query);
      if (typeof out === 'string')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="usage-${request.query.period}.csv"`)
          .send(out);
      return out;
    },
  );
  r.put(
    '/billing/overrides',
    {
      config: { permission: 'billing:write' },
      schema: {
        tags: ['billing'],
        summary: "A contract's included quantity for one metric (audited)",
        body: overrideInput,
      },
    },
    async (request) => setOverride(contextOf(request, db), request.body),
  );
  r.post(
    '/billing/invoices',
    {
      config: { permission: 'billing:write' },
      schema: {
        tags: ['billing'],
        summary: "The period's draft invoice (the same one again: 200; new: 201)",
        body: invoiceCreateInput,
      },
    },
    async (request, reply) => {
      const inv = await createInvoice(contextOf(request, db), request.body);
      return reply.status(inv.created ? 201 : 200).send(inv);
    },
  );
  r.get(
    '/billing/invoices',
    {
      config: { permission: 'billing:own' },
      schema: {
        tags: ['billing'],
        summary: "The tenant's invoices and credit notes",
        querystring: invoiceListInput,
        response: replies({ 200: invoiceList }),
      },
    },
    async (request) => ({ invoices: await listInvoices(contextOf(request, db), request.query) }),
  );
  r.get(
    '/billing/invoices/:invoice_id',
    {
      config: { permission: 'billing:own' },
      schema: {
        tags: ['billing'],
        summary: 'One invoice, as JSON or PDF',
        params: invoiceParams,
        querystring: z.object({ format: z.enum(['json', 'pdf']).default('json') }).strict(),
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request, db);
      if (request.query.format === 'json') return getInvoice(ctx, request.params);
      const { invoice, pdf } = await invoicePdf(ctx, request.params);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="invoice-${invoice.number ?? invoice.invoice_id}.pdf"`)
        .send(pdf);
    },
  );
  for (const [action, fn, summary] of [
    ['finalize', finalizeInvoice, 'Finalize: immutable, with the next gap-free number'],
    ['pay', payInvoice, 'Record payment'],
  ] as const) {
    r.post(
      `/billing/invoices/:invoice_id/${action}`,
      { config: { permission: 'billing:write' }, schema: { tags: ['billing'], summary, params: invoiceParams } },
      async (request) => fn(contextOf(request, db), request.params),
    );
  }
  r.post(
    '/billing/invoices/:invoice_id/void',
    {
      config: { permission: 'billing:write' },
      schema: {
        tags: ['billing'],
        summary: 'Void a finalized invoice and issue its credit note',
        params: invoiceParams,
      },
    },
    async (request) => voidInvoice(contextOf(request, db), request.params),
  );
  r.post(
    '/billing/close',
    {
      config: { permission: 'billing:write' },
      schema: {
        tags: ['billing'],
        summary: 'Invoice and finalize every tenant for an ended period (safe to rerun)',
        body: closePeriodInput,
      },
    },
    async (request) => closePeriod(contextOf(request, db), request.body),
  );
}
