-- Outcome writers (outcomes-batch.repo.ts, for single calls grouped and for batches) first lock the touched property rows
-- FOR NO KEY UPDATE, in id order, and check in the same transaction that each property exists in the storm. The
-- foreign key then took a KEY SHARE lock on a row the transaction already held, which makes Postgres record both
-- lockers in a MultiXact, per row: a 400-outcome group took 270-1,600 ms with the key and 75-90 ms without it
-- (EXPLAIN ANALYZE on server Postgres). The writer's lock is the stronger guarantee: a property cannot be deleted
-- while its outcome is written, and properties are never deleted one by one (as for property_score, 0007).
alter table outcome drop constraint outcome_property_fkey;
