-- Contractor satisfaction, the playbook's business criterion "Contractor satisfied with results": a score from 1 to
-- 10 (and a comment) per storm, kept as history; the pilot report reads the latest.
create table pilot_feedback (
  tenant_id uuid not null,
  feedback_id uuid not null default gen_random_uuid(),
  storm_id uuid not null,
  score smallint not null,
  comment text,
  recorded_by text not null,
  recorded_at timestamptz not null default now(),
  constraint pilot_feedback_pkey primary key (tenant_id, feedback_id),
  constraint pilot_feedback_storm_fkey foreign key (tenant_id, storm_id) references storm (tenant_id, storm_id) on delete cascade,
  constraint pilot_feedback_score_check check (score between 1 and 10),
  constraint pilot_feedback_comment_check check (char_length(comment) <= 2000)
);
create index pilot_feedback_storm_idx on pilot_feedback (tenant_id, storm_id, recorded_at);
select stormops_isolate_tenant_table('pilot_feedback');
