/**
 * Contractor satisfaction (the playbook's "Contractor satisfied with results"): Customer Success or the contractor's
 * admin records a score from 1 to 10 after the review call; the pilot report's criterion reads the latest.
 */
import { z } from 'zod';
import type { ServiceContext } from '../auth/principal.ts';
import { authorize } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { parse } from '../validate.ts';
import * as repo from './pilot-feedback.repo.ts';
import { int4 } from '../fields.ts';

export const pilotFeedbackInput = z.strictObject({
  score: int4().min(1).max(10),
  comment: z
    .string()
    .trim()
    .max(2000)
    .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character')
    .optional(),
});
export type PilotFeedbackInput = z.input<typeof pilotFeedbackInput>;

export interface PilotFeedbackView {
  feedback_id: string;
  storm_id: string;
  score: number;
  comment: string | null;
  recorded_by: string;
  recorded_at: string;
}

export function feedbackView(row: repo.FeedbackRow): PilotFeedbackView {
  return { ...row, recorded_at: new Date(row.recorded_at).toISOString() };
}

export async function recordPilotFeedback(
  ctx: ServiceContext,
  stormId: string,
  input: PilotFeedbackInput,
): Promise<PilotFeedbackView> {
  authorize(ctx, 'feedback:write');
  const f = parse(pilotFeedbackInput, input);
  const p = ctx.principal;
  const by = p.kind === 'tenant' ? `user:${p.userId}` : p.kind === 'staff' ? `staff:${p.staffId}` : 'operator';
  return withStorm(ctx, stormId, async (trx, storm) =>
    feedbackView(
      await repo.insertFeedback(trx, {
        tenantId: storm.tenant_id,
        stormId: storm.storm_id,
        score: f.score,
        comment: f.comment || null,
        recordedBy: by,
      }),
    ),
  );
}
