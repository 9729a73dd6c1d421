-- Policy batches: a storm's arms are written in numbered batches, one per design (mode and version). Applying another
-- design to a storm with arms is refused unless a new batch is asked for; the report analyses each batch against its
-- own intended hold share (each assignment knows its run, each run its batch) and pools lift across batches.
alter table policy_run add column batch integer not null default 1;
alter table policy_run add constraint policy_run_batch_check check (batch >= 1);
