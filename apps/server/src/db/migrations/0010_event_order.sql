-- Event order. now() is the transaction's start time and PGlite's clock has millisecond resolution, so two writes in a
-- row (or in one transaction) can carry the same timestamp; ordering those by timestamp alone, or with a random UUID
-- as tie-breaker, gave an order that was not the order of events (a rollback after two promotions in the same
-- millisecond could reinstate the wrong model). `seq` is an identity: it grows with every insert, so
-- (timestamp, seq) orders history, "newest first" lists and "latest run" lookups as the events happened.
-- Existing rows are numbered in table order while the column is added; their ties were undecidable before and stay
-- in that order. Inserts need no grant on an identity's sequence, so tenant roles and row-level security are as before.

alter table storm add column seq bigint generated always as identity;

alter table storm_status_change add column seq bigint generated always as identity;
create index storm_status_change_order_idx on storm_status_change (tenant_id, storm_id, changed_at, seq);
drop index storm_status_change_storm_idx;

alter table model_stage_change add column seq bigint generated always as identity;
create index model_stage_change_order_idx on model_stage_change (tenant_id, model_id, changed_at, seq);
drop index model_stage_change_model_idx;

alter table policy_run add column seq bigint generated always as identity;
create index policy_run_order_idx on policy_run (tenant_id, storm_id, created_at, seq);
drop index policy_run_storm_idx;

alter table property_import add column seq bigint generated always as identity;

alter table alert_incident add column seq bigint generated always as identity;
create index alert_incident_order_idx on alert_incident (opened_at, seq);
drop index alert_incident_opened;
