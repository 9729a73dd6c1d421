/** SQL of onboarding: the submissions kept for Customer Success and the CRM. */
import type { Trx } from '../../db/database.ts';

export async function insertSubmission(
  trx: Trx,
  v: { tenant_id: string; intake: Record<string, unknown>; recommended_plan: string },
): Promise<{ submission_id: string; submitted_at: Date }> {
  return trx
    .insertInto('onboarding_submission')
    .values({ ...v, intake: JSON.stringify(v.intake) })
    .returning(['submission_id', 'submitted_at'])
    .executeTakeFirstOrThrow();
}
