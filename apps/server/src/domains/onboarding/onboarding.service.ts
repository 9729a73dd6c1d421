/**
 * Self-serve signup: the intake is checked (every bad field named), the plan heuristic of @stormops/plans recommends
 * a plan and projects ROI with the pilot report's formulas, and a trial tenant is provisioned for the organization
 * (the same organization and e-mail again is the same tenant). The signup goes into the audit log and the usage
 * ledger; the intake is kept for Customer Success. No credential is returned: the contact signs in through the
 * invitation sent to the address given, which proves it is theirs.
 */
import { recommendPlan, type PlanEstimate, type RoiProjection } from '@stormops/plans';
import type { Database } from '../../db/database.ts';
import { PLATFORM, type ServiceContext } from '../auth/principal.ts';
import { audit } from '../audit/audit.service.ts';
import { meterInTx } from '../billing/metering.ts';
import { listPlans } from '../billing/plans.service.ts';
import { provisionTenant } from '../tenants/tenants.service.ts';
import { parse } from '../validate.ts';
import type { SignInDeps } from '../users/mailer.ts';
import { sendWelcome } from '../users/users.service.ts';
import * as repo from './onboarding.repo.ts';
import { intakeInput, type IntakeInput } from './onboarding.schema.ts';

export interface OnboardingResult {
  tenant_id: string;
  /** False when this organization and e-mail had already signed up (the same tenant). */
  created: boolean;
  tier: 'trial';
  recommended_plan: string;
  recommendation_reason: string;
  plans_compared: PlanEstimate[];
  roi_projection: RoiProjection;
  timestamp: string;
  submission_id: string;
  /**
   * How the admin sets a password: a one-time link e-mailed to the contact (`email`), or, without SMTP, shown here
   * for a new tenant only (`shown`, `link`). A repeat signup never shows a link: it is e-mailed, or `none`.
   */
  invitation: { delivery: 'email' | 'shown' | 'none'; link?: string; expires_at?: string; message: string };
}

export async function submitOnboarding(
  db: Database,
  input: IntakeInput,
  meta: { requestId?: string; signIn?: SignInDeps } = {},
): Promise<OnboardingResult> {
  const intake = parse(intakeInput, input);
  const plans = await listPlans(db);
  const rec = recommendPlan(intake, plans);
  // The public signup acts as the platform for this one provisioning; its audit rows carry the request id.
  const ctx: ServiceContext = { db, principal: PLATFORM, ...(meta.requestId ? { requestId: meta.requestId } : {}) };
  const tenant = await provisionTenant(ctx, {
    org_name: intake.organization,
    tier: 'trial',
    admin_email: intake.contact_email,
  });
  const submission = await db.withTenant(tenant.tenant_id, async (trx) => {
    const s = await repo.insertSubmission(trx, {
      tenant_id: tenant.tenant_id,
      intake: intake as unknown as Record<string, unknown>,
      recommended_plan: rec.recommended_plan,
    });
    await audit(
      trx,
      ctx,
      tenant.tenant_id,
      'onboarding.signup',
      ['onboarding_submission', s.submission_id],
      undefined,
      {
        organization: intake.organization,
        contact_email: intake.contact_email,
        recommended_plan: rec.recommended_plan,
        created: tenant.created,
      },
    );
    await meterInTx(trx, {
      tenantId: tenant.tenant_id,
      metric: 'seats',
      quantity: 1,
      key: `signup:${tenant.tenant_id}`,
      source: 'signup',
    });
    return s;
  });
  return {
    invitation: await invite(ctx, tenant, meta.signIn ?? {}),
    tenant_id: tenant.tenant_id,
    created: tenant.created,
    tier: 'trial',
    recommended_plan: rec.recommended_plan,
    recommendation_reason: rec.reason,
    plans_compared: rec.plans_compared,
    roi_projection: rec.roi_projection,
    timestamp: new Date(submission.submitted_at).toISOString(),
    submission_id: submission.submission_id,
  };
}

/**
 * The admin's set-password link. Whoever submits the form does not prove they own the address, so a link is shown
 * in the answer only for a tenant this very request created (nothing to take over); otherwise it goes by e-mail.
 */
async function invite(
  ctx: ServiceContext,
  tenant: { tenant_id: string; created: boolean; admin_user_id: string },
  deps: SignInDeps,
): Promise<OnboardingResult['invitation']> {
  if (!tenant.created && !deps.mailer)
    return {
      delivery: 'none',
      message:
        'this organization has already signed up: its admin signs in, or asks for a password reset (no e-mail is configured here to send one)',
    };
  const sent = await sendWelcome(ctx, { tenant_id: tenant.tenant_id, user_id: tenant.admin_user_id }, deps);
  if (sent.delivery === 'email')
    return {
      delivery: 'email',
      expires_at: sent.expires_at,
      message: `a link to set the admin's password was sent to ${sent.email}`,
    };
  if (!tenant.created)
    return { delivery: 'none', message: 'the e-mail could not be sent: ask the operator for a password reset' };
  return {
    delivery: 'shown',
    ...(sent.link ? { link: sent.link } : {}),
    expires_at: sent.expires_at,
    message: 'no e-mail is configured here: open the link to set the admin password',
  };
}
