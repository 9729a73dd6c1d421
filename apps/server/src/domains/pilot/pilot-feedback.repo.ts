/** SQL for contractor satisfaction: one row per score given, the report reads the latest. */
import type { Trx } from '../../db/database.ts';

export interface FeedbackRow {
  feedback_id: string;
  storm_id: string;
  score: number;
  comment: string | null;
  recorded_by: string;
  recorded_at: Date | string;
}

const COLUMNS = ['feedback_id', 'storm_id', 'score', 'comment', 'recorded_by', 'recorded_at'] as const;

export function insertFeedback(
  trx: Trx,
  f: { tenantId: string; stormId: string; score: number; comment: string | null; recordedBy: string },
): Promise<FeedbackRow> {
  return trx
    .insertInto('pilot_feedback')
    .values({
      tenant_id: f.tenantId,
      storm_id: f.stormId,
      score: f.score,
      comment: f.comment,
      recorded_by: f.recordedBy,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow() as unknown as Promise<FeedbackRow>;
}

export async function latestFeedback(trx: Trx, stormId: string): Promise<FeedbackRow | undefined> {
  return (await trx
    .selectFrom('pilot_feedback')
    .select(COLUMNS)
    .where('storm_id', '=', stormId)
    .orderBy('recorded_at', 'desc')
    .orderBy('feedback_id')
    .limit(1)
    .executeTakeFirst()) as FeedbackRow | undefined;
}
