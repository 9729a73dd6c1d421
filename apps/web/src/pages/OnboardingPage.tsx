/**
 * Public self-serve signup: the intake form with a live plan recommendation from @stormops/plans (the heuristic the
 * API runs on submit), the plans compared and a first-year ROI projection; submitting calls POST /onboarding.
 */
import { recommendPlan, type Intake, type Plan } from '@stormops/plans';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { OnboardingResult } from '../api/types';
import { ErrorNote, QueryView } from '../components/Async';
import { count, dollars, pct } from '../lib/format';
import { PlanComparison, RoiSummary } from './onboarding/RecommendationView';

interface Numbers {
  storms_per_year: number;
  properties_per_storm: number;
  crews: number;
  job_value_dollars: number;
  lift_points: number;
}

const START: Numbers = {
  storms_per_year: 6,
  properties_per_storm: 5000,
  crews: 4,
  job_value_dollars: 10000,
  lift_points: 1.5,
};

function intakeOf(n: Numbers): Intake {
  return {
    storms_per_year: Math.max(1, Math.round(n.storms_per_year) || 1),
    properties_per_storm: Math.max(1, Math.round(n.properties_per_storm) || 1),
    crews: Math.max(1, Math.round(n.crews) || 1),
    automation_assumptions: {
      average_job_value_cents: Math.round(n.job_value_dollars * 100),
      expected_lift: n.lift_points / 100,
    },
  };
}

export default function OnboardingPage() {
  const plans = useQuery({
    queryKey: ['plans'],
    queryFn: () => unwrap<{ plans: Plan[] }>(api.GET('/billing/plans')),
  });
  const [n, setN] = useState<Numbers>(START);
  const recommendation = useMemo(
    () => (plans.data ? recommendPlan(intakeOf(n), plans.data.plans) : null),
    [n, plans.data],
  );
  const submit = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      unwrap<OnboardingResult>(api.POST('/onboarding', { body: body as never })),
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const intake = intakeOf(n);
    submit.mutate({
      organization: text('organization'),
      contact_name: text('contact_name'),
      contact_email: text('contact_email'),
      ...(text('contact_phone') ? { contact_phone: text('contact_phone') } : {}),
      use_case: text('use_case'),
      departments: text('departments')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
      ...intake,
      success_criteria: text('success_criteria'),
      go_live_date: text('go_live_date'),
    });
  }

  const num = (k: keyof Numbers) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setN({ ...n, [k]: e.currentTarget.valueAsNumber });

  if (submit.data) return <Done result={submit.data} />;
  return (
    <main className="container">
      <h1>Start your StormOps trial</h1>
      <p>
        Tell us about your storm season. The plan and ROI on the right update as you type; nothing is charged during the
        trial.
      </p>
      <div className="grid-2">
        <form onSubmit={onSubmit} aria-label="Trial signup">
          <fieldset>
            <legend>Your company</legend>
            <label>
              Organization
              <input name="organization" required maxLength={200} autoComplete="organization" />
            </label>
            <label>
              Your name
              <input name="contact_name" required maxLength={200} autoComplete="name" />
            </label>
            <label>
              Work e-mail
              <input name="contact_email" type="email" required autoComplete="email" />
            </label>
            <label>
              Phone (optional)
              <input name="contact_phone" type="tel" maxLength={40} autoComplete="tel" />
            </label>
          </fieldset>
          <fieldset>
            <legend>Your storm season</legend>
            <label>
              Storms a year
              <input
                type="number"
                min={1}
                max={1000}
                required
                value={n.storms_per_year}
                onChange={num('storms_per_year')}
              />
            </label>
            <label>
              Properties in a storm's path
              <input
                type="number"
                min={1}
                max={10000000}
                required
                value={n.properties_per_storm}
                onChange={num('properties_per_storm')}
              />
            </label>
            <label>
              Canvassing crews
              <input type="number" min={1} max={10000} required value={n.crews} onChange={num('crews')} />
            </label>
            <label>
              Average job value (US$)
              <input type="number" min={0} step={100} value={n.job_value_dollars} onChange={num('job_value_dollars')} />
            </label>
            <label>
              Expected lift (percentage points of signing rate)
              <input
                type="number"
                min={-100}
                max={100}
                step={0.1}
                value={n.lift_points}
                onChange={num('lift_points')}
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>Your pilot</legend>
            <label>
              What will you use StormOps for?
              <textarea name="use_case" required maxLength={2000} />
            </label>
            <label>
              Departments (comma-separated)
              <input name="departments" required defaultValue="Sales, Operations" />
            </label>
            <label>
              What would make the pilot a success?
              <textarea name="success_criteria" required maxLength={2000} />
            </label>
            <label>
              Go-live date
              <input name="go_live_date" type="date" required />
            </label>
          </fieldset>
          {submit.error ? <ErrorNote error={submit.error} /> : null}
          <button type="submit" aria-busy={submit.isPending} disabled={submit.isPending}>
            Start my trial
          </button>
        </form>
        <section aria-labelledby="rec-title">
          <h2 id="rec-title">Recommended plan</h2>
          <QueryView query={plans} what="plans">
            {() =>
              recommendation && (
                <>
                  <p aria-live="polite">
                    <strong data-testid="recommended-plan">{recommendation.recommended_plan}</strong>:{' '}
                    {recommendation.reason}.
                  </p>
                  <PlanComparison plans={recommendation.plans_compared} recommended={recommendation.recommended_plan} />
                  <RoiSummary roi={recommendation.roi_projection} />
                </>
              )
            }
          </QueryView>
        </section>
      </div>
    </main>
  );
}

function Done({ result }: { result: OnboardingResult }) {
  const roi = result.roi_projection;
  return (
    <main className="container">
      <h1>{result.created ? 'Your trial is ready' : 'You already have a trial'}</h1>
      <p role="status">
        Organization ID <code data-testid="tenant-id">{result.tenant_id}</code>, recommended plan{' '}
        <strong>{result.recommended_plan}</strong>. Projected first year: {count(roi.knocks_per_year)} knocks,{' '}
        {dollars(roi.incremental_revenue_cents)} incremental revenue, ROI {pct(roi.roi_with_subscription_pct)} with the
        subscription.
      </p>
      <p>Next: {result.invitation.message}.</p>
      {result.invitation.link ? (
        <p>
          <a href={new URL(result.invitation.link).pathname + new URL(result.invitation.link).search}>
            Set the admin password
          </a>
        </p>
      ) : (
        <p>
          Then <a href="/sign-in">sign in</a>.
        </p>
      )}
    </main>
  );
}
