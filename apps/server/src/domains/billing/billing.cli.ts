/**
 * `stormops billing ...`: plans, usage, overrides, quota alerts, the dashboard, invoices, period close, health. Each
 * command calls the SDK (`rt.call`): in-process on the local database, or over HTTP to a running server.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { choice } from '../../cli/choice.ts';
import type { CliRuntime } from '../../cli/runtime.ts';
import { keyValues, table } from '../../cli/output.ts';
import { AppError } from '../../errors.ts';
import type { CustomerHealth } from './health.service.ts';
import type { InvoiceView } from './invoices.service.ts';
import { usd } from './money-format.ts';

type Json = { json?: boolean };

/** Customer health as a table (`billing health`, `ops triage`). */
export function healthTable(list: readonly CustomerHealth[]): string {
  return table(
    list.map((h) => ({
      tenant_id: h.tenant_id,
      org_name: h.org_name,
      tier: h.tier,
      health: h.health_score,
      usage_ratio: h.usage_ratio,
      projected: usd(h.projected_cost_cents),
      flags: h.flags.join(',') || '-',
    })),
  );
}

function whole(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
    throw new AppError('VALIDATION', `${flag} must be a whole number, got ${v}`);
  return n;
}

const invoiceLine = (i: InvoiceView) =>
  keyValues({
    invoice_id: i.invoice_id,
    kind: i.kind,
    period: i.period,
    status: i.status,
    number: i.number,
    total: usd(i.total_cents),
    lines: i.lines.length,
    due_at: i.due_at,
  });

export function registerBillingCommands(program: Command, rt: CliRuntime): void {
  const billing = program.command('billing').description('plans, usage metering, quotas, invoices, customer health');

  billing
    .command('plans')
    .description('the plans: base price, included quantities, overage charges, support')
    .option('--json', 'print JSON')
    .action((o: Json) =>
      rt.call(
        o,
        (ops) => ops.billing.plans(),
        (plans) =>
          table(
            plans.map((p) => ({
              plan: p.plan_code,
              version: p.version,
              base: usd(p.base_price_cents),
              support_sla_hours: p.support_response_sla_hours,
              quota: p.hard_quota ? 'stops at 100%' : 'bills overage',
              ...Object.fromEntries(Object.entries(p.metrics).map(([m, v]) => [m, v.included])),
            })),
          ),
      ),
    );

  billing
    .command('record')
    .description('record one out-of-band usage event (idempotent on --key)')
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption(
      '--metric <metric>',
      'properties_imported, properties_scored, storms_created, reports_generated, api_calls or seats',
    )
    .requiredOption('--quantity <n>', 'how many units')
    .requiredOption('--key <key>', 'idempotency key: the same key again counts once')
    .option('--at <time>', 'when it happened (ISO 8601; default now)')
    .option('--json', 'print JSON')
    .action((o: Json & { tenant: string; metric: string; quantity: string; key: string; at?: string }) =>
      rt.call(o, (ops) =>
        ops.billing.recordEvents({
          events: [
            {
              tenant_id: o.tenant,
              metric: o.metric as never,
              quantity: whole('--quantity', o.quantity),
              idempotency_key: o.key,
              ...(o.at ? { timestamp: o.at } : {}),
            },
          ],
        }),
      ),
    );

  const usage = billing.command('usage').description('the usage ledger');
  usage
    .command('export')
    .description("write a tenant's usage ledger for one period (the CRM's usage.json)")
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--period <YYYY-MM>', 'billing period (UTC month)')
    .addOption(choice('--format <format>', 'output format', ['json', 'csv'], 'json'))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (o: { tenant: string; period: string; format: string; out?: string }) => {
      if (o.format !== 'json' && o.format !== 'csv')
        throw new AppError('VALIDATION', `--format must be json or csv, got ${o.format}`);
      const format = o.format;
      await rt.call(
        {},
        async (ops) => {
          const out = await ops.billing.exportUsage({ tenant_id: o.tenant, period: o.period, format });
          const text = typeof out === 'string' ? out : JSON.stringify(out, null, 2) + '\n';
          if (!o.out) return { text };
          await writeFile(o.out, text);
          return { text: `wrote ${o.out}` };
        },
        (r) => r.text.replace(/\n$/, ''),
      );
    });

  billing
    .command('override')
    .description("set a tenant's included quantity for one metric (contract terms; audited)")
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--metric <metric>', 'billable metric')
    .requiredOption('--included <n>', 'included quantity a month')
    .option('--json', 'print JSON')
    .action((o: Json & { tenant: string; metric: string; included: string }) =>
      rt.call(o, (ops) =>
        ops.billing.setOverride({
          tenant_id: o.tenant,
          metric: o.metric as never,
          included: whole('--included', o.included),
        }),
      ),
    );

  billing
    .command('alerts')
    .description("a tenant's quota alerts (soft at 80%, hard at 95%), newest first")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action((o: Json & { tenant: string }) =>
      rt.call(
        o,
        (ops) => ops.billing.alerts({ tenant_id: o.tenant }),
        (alerts) => table(alerts.map((a) => ({ ...a, ratio: `${Math.round(a.ratio * 1000) / 10}%` }))),
      ),
    );

  billing
    .command('dashboard')
    .description("a tenant's billing: plan, base, overage, total, usage against included, projection")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--period <YYYY-MM>', 'billing period (default: this month)')
    .option('--json', 'print JSON')
    .action((o: Json & { tenant: string; period?: string }) =>
      rt.call(
        o,
        (ops) => ops.billing.getBillingDashboard(o.tenant, o.period),
        (d) =>
          [
            keyValues({
              tenant: `${d.org_name} (${d.tenant_id})`,
              plan: `${d.plan.name} v${d.plan.version}`,
              period: `${d.period} (day ${d.days_elapsed} of ${d.period_days})`,
              base: usd(d.base_cents),
              overage: usd(d.overage_cents),
              total: usd(d.total_cents),
              projected: `${usd(d.projected.total_cents)} (${d.projected.method})`,
            }),
            '',
            table(
              d.usage.map((u) => ({
                metric: u.metric,
                used: u.quantity,
                included: u.included,
                ratio: u.ratio === null ? '-' : `${Math.round(u.ratio * 1000) / 10}%`,
                overage: usd(u.overage_cents),
              })),
            ),
          ].join('\n'),
      ),
    );

  const invoice = billing.command('invoice').description('invoices and credit notes');
  invoice
    .command('create')
    .description("the tenant's draft invoice for a period (the same one again)")
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--period <YYYY-MM>', 'billing period')
    .option('--json', 'print JSON')
    .action((o: Json & { tenant: string; period: string }) =>
      rt.call(o, (ops) => ops.billing.createInvoice({ tenant_id: o.tenant, period: o.period }), invoiceLine),
    );
  for (const [name, call, what] of [
    ['finalize', 'finalizeInvoice', 'make it immutable with the next invoice number'],
    ['pay', 'payInvoice', 'record its payment'],
  ] as const) {
    invoice
      .command(name)
      .description(what)
      .requiredOption('--invoice <id>', 'invoice id')
      .option('--json', 'print JSON')
      .action((o: Json & { invoice: string }) =>
        rt.call(o, (ops) => ops.billing[call]({ invoice_id: o.invoice }), invoiceLine),
      );
  }
  invoice
    .command('void')
    .description('void a finalized invoice and issue its credit note')
    .requiredOption('--invoice <id>', 'invoice id')
    .option('--json', 'print JSON')
    .action((o: Json & { invoice: string }) =>
      rt.call(
        o,
        (ops) => ops.billing.voidInvoice({ invoice_id: o.invoice }),
        (r) => `${invoiceLine(r.invoice)}\n\ncredit note:\n${invoiceLine(r.credit_note)}`,
      ),
    );
  invoice
    .command('list')
    .description("a tenant's invoices and credit notes")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--json', 'print JSON')
    .action((o: Json & { tenant: string }) =>
      rt.call(
        o,
        (ops) => ops.billing.listInvoices({ tenant_id: o.tenant }),
        (list) =>
          table(
            list.map((i) => ({
              invoice_id: i.invoice_id,
              kind: i.kind,
              period: i.period,
              status: i.status,
              number: i.number,
              total: usd(i.total_cents),
            })),
          ),
      ),
    );
  invoice
    .command('pdf')
    .description('render an invoice as PDF')
    .requiredOption('--invoice <id>', 'invoice id')
    .requiredOption('--out <file>', 'PDF file to write')
    .action((o: { invoice: string; out: string }) =>
      rt.call(
        {},
        async (ops) => {
          const { pdf } = await ops.billing.invoicePdf({ invoice_id: o.invoice });
          await writeFile(o.out, pdf);
          return { out: o.out, bytes: pdf.length };
        },
        (r) => `wrote ${r.out} (${r.bytes} bytes)`,
      ),
    );

  billing
    .command('close')
    .description('invoice and finalize every tenant for an ended period (safe to rerun)')
    .requiredOption('--period <YYYY-MM>', 'billing period')
    .option('--json', 'print JSON')
    .action((o: Json & { period: string }) =>
      rt.call(o, (ops) =>
        ops.billing.closePeriod({ period: o.period }, (done, total) => {
          if (done === total || done % 50 === 0) rt.err.write(`closing ${o.period}: ${done}/${total} tenants\n`);
        }),
      ),
    );

  billing
    .command('health')
    .description("every tenant's health score, usage ratio, projected cost and flags (GET /billing/usage)")
    .option('--json', 'print JSON')
    .action((o: Json) => rt.call(o, (ops) => ops.billing.customerHealth(), healthTable));
}
