/** A tenant admin's billing: plan, usage against what the plan includes, projected cost, invoices with PDFs. */
import { useQuery } from '@tanstack/react-query';
import { api, credentials, unwrap } from '../api/client';
import type { BillingDashboard, Invoice } from '../api/types';
import { Empty, QueryView } from '../components/Async';
import { count, money, ratioPct, usDate } from '../lib/format';
import { TableScroll } from '../components/TableScroll';

const METRIC_NAMES: Record<string, string> = {
  properties_imported: 'Properties imported',
  properties_scored: 'Properties scored',
  storms_created: 'Storms created',
  reports_generated: 'Reports generated',
  api_calls: 'API calls',
  seats: 'Seats',
};

export default function BillingPage() {
  const dash = useQuery({
    queryKey: ['billing-dashboard'],
    queryFn: () => unwrap<BillingDashboard>(api.GET('/v1/billing/dashboard')),
  });
  const invoices = useQuery({
    queryKey: ['invoices'],
    queryFn: () => unwrap<{ invoices: Invoice[] }>(api.GET('/v1/billing/invoices')),
  });
  return (
    <>
      <h1>Billing</h1>
      <QueryView query={dash} what="billing">
        {(d) => (
          <section aria-labelledby="period-title">
            <h2 id="period-title">
              {d.plan.name} plan · period {d.period}
            </h2>
            <dl className="stats">
              <div>
                <dt>So far</dt>
                <dd>{money(d.total_cents)}</dd>
              </div>
              <div>
                <dt>Projected for the period</dt>
                <dd data-testid="projected">{money(d.projected.total_cents)}</dd>
              </div>
              <div>
                <dt>Overage so far</dt>
                <dd>{money(d.overage_cents)}</dd>
              </div>
              <div>
                <dt>Day</dt>
                <dd>
                  {d.days_elapsed} of {d.period_days}
                </dd>
              </div>
            </dl>
            <TableScroll label="Usage table">
              <table>
                <caption>Usage against the plan</caption>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col" className="num">
                      Used
                    </th>
                    <th scope="col" className="num">
                      Included
                    </th>
                    <th scope="col">Share</th>
                    <th scope="col" className="num">
                      Overage
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.usage.map((u) => (
                    <tr key={u.metric}>
                      <th scope="row">{METRIC_NAMES[u.metric] ?? u.metric}</th>
                      <td className="num">{count(u.quantity)}</td>
                      <td className="num">{count(u.included)}</td>
                      <td>
                        <progress value={Math.min(1, u.ratio ?? 0)} max={1} aria-label={`${u.metric} used`} />{' '}
                        {ratioPct(u.ratio)}
                      </td>
                      <td className="num">{money(u.overage_cents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <p>
              <small>{d.projected.method}</small>
            </p>
          </section>
        )}
      </QueryView>
      <h2>Invoices</h2>
      <QueryView query={invoices} what="invoices">
        {({ invoices: list }) =>
          list.length === 0 ? (
            <Empty>No invoices yet: the first is drawn when this period closes.</Empty>
          ) : (
            <TableScroll label="Invoices table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Number</th>
                    <th scope="col">Period</th>
                    <th scope="col">Status</th>
                    <th scope="col">Due</th>
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col">PDF</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((i) => (
                    <tr key={i.invoice_id}>
                      <th scope="row">
                        {i.kind === 'credit_note' ? 'Credit note ' : ''}
                        {i.number ?? 'draft'}
                      </th>
                      <td>{i.period}</td>
                      <td>{i.status}</td>
                      <td>{usDate(i.due_at)}</td>
                      <td className="num">{money(i.total_cents)}</td>
                      <td>
                        <PdfLink invoice={i} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
    </>
  );
}

/** A link for a session (the cookie goes along); with an API key the PDF is fetched with it and opened. */
function PdfLink({ invoice }: { invoice: Invoice }) {
  const href = `/v1/billing/invoices/${invoice.invoice_id}?format=pdf`;
  const label = `PDF of invoice ${invoice.number ?? 'draft'}`;
  if (!credentials.apiKey())
    return (
      <a href={href} target="_blank" rel="noreferrer" aria-label={label}>
        PDF
      </a>
    );
  async function open() {
    const r = await fetch(href, { headers: { authorization: `Bearer ${credentials.apiKey()}` } });
    if (r.ok) window.open(URL.createObjectURL(await r.blob()), '_blank');
  }
  return (
    <button type="button" className="secondary outline" aria-label={label} onClick={() => void open()}>
      PDF
    </button>
  );
}
