/** The plan comparison and ROI projection of a recommendation (shared by the live form and its result). */
import type { PlanEstimate, RoiProjection } from '@stormops/plans';
import { count, dollars, money, pct } from '../../lib/format';
import { TableScroll } from '../../components/TableScroll';

export function PlanComparison({ plans, recommended }: { plans: PlanEstimate[]; recommended: string }) {
  return (
    <TableScroll label="Plan comparison">
      <table>
        <caption>Plans at a busy month's usage</caption>
        <thead>
          <tr>
            <th scope="col">Plan</th>
            <th scope="col" className="num">
              Base
            </th>
            <th scope="col" className="num">
              Overage
            </th>
            <th scope="col" className="num">
              Monthly
            </th>
            <th scope="col" className="num">
              Support
            </th>
          </tr>
        </thead>
        <tbody>
          {plans.map((p) => (
            <tr key={p.plan_code} className={p.plan_code === recommended ? 'recommended' : undefined}>
              <th scope="row">
                {p.name}
                {p.plan_code === recommended ? ' (recommended)' : ''}
              </th>
              <td className="num">{money(p.base_cents)}</td>
              <td className="num">{money(p.overage_cents)}</td>
              <td className="num">{money(p.monthly_cents)}</td>
              <td className="num">{p.support_response_sla_hours} h</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function RoiSummary({ roi }: { roi: RoiProjection }) {
  return (
    <section aria-label="ROI projection">
      <h3>First-year ROI projection</h3>
      <dl className="stats">
        <div>
          <dt>Knocks a year</dt>
          <dd>{count(roi.knocks_per_year)}</dd>
        </div>
        <div>
          <dt>Extra jobs</dt>
          <dd>{roi.incremental_jobs_per_year.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Extra revenue</dt>
          <dd>{dollars(roi.incremental_revenue_cents)}</dd>
        </div>
        <div>
          <dt>Canvassing cost</dt>
          <dd>{dollars(roi.canvassing_cost_cents)}</dd>
        </div>
        <div>
          <dt>ROI with subscription</dt>
          <dd data-testid="roi">{pct(roi.roi_with_subscription_pct)}</dd>
        </div>
      </dl>
      <p>
        <small>{roi.method}</small>
      </p>
    </section>
  );
}
