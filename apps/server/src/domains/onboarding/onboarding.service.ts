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
}

export async function submitOnboarding(
  db: Database,
  input: IntakeInput,
  meta: { requestId?: string } = {},
): Promise<OnboardingResult> {
  const intake = parse(intakeInput, input);
  const plans = await listPlans(db);
  const rec = recommendPlan(intake, plans);
  // The public signup acts as the platform for this one provisioning; its audit rows carry the request id.
  const ctx: ServiceContext = { db, principal: PLATFORM, ...(meta.requestId ? { requestId: meta.requestId } : {}) };
  const tenant = await provisionTenant(ctx, {
    orgName: intake.organization,
    tier: 'trial',
    adminEmail: intake.contact_email,
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
