-- Backups that restore: each backup's payload checksum and when a restore of it was last verified (stormops backup
-- verify restores it into a scratch database and compares per-table row counts and checksums). The playbook's
-- pre-pilot check reads "backup verified, < 24 h old".
alter table backup_log add column sha256 text;
alter table backup_log add column verified_at timestamptz;
grant update (verified_at) on backup_log to stormops_platform;
