-- Jobs that belong to a process: each running import records the process that runs it (owner_id: host, pid and a
-- random part) and a heartbeat that process renews while it runs. Several API processes share one server Postgres;
-- only imports whose owner stopped beating are marked interrupted, never another live process' work.
alter table property_import add column owner_id text;
alter table property_import add column heartbeat_at timestamptz;
create index property_import_running_heartbeat_idx on property_import (heartbeat_at) where status = 'running';
