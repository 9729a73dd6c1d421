-- Observability: the platform's own request and job metrics in time buckets (so SLOs work on embedded Postgres with
-- no Prometheus), and alert incidents with their delivery state (one open incident per alert key).
-- Both are platform tables: no tenant data, read and written under stormops_platform only.

-- One row per (series, minute). `good` and `total` are counts of events in the minute; a series is one SLI event
-- stream: 'http.requests' (good = not 5xx), 'http.latency.le_<ms>' (good = faster than <ms>; a cumulative histogram
-- bucket), 'job.<name>' (good/total recorded by jobs). Writers add to a row (insert ... on conflict do update).
create table metric_bucket (
  series text not null,
  bucket_start timestamptz not null,
  good bigint not null default 0,
  total bigint not null default 0,
  constraint metric_bucket_pkey primary key (series, bucket_start),
  constraint metric_bucket_counts_check check (good >= 0 and total >= good),
  constraint metric_bucket_series_check check (series ~ '^[a-z0-9_.:-]{1,100}$')
);
grant select, insert, update, delete on metric_bucket to stormops_platform;

-- An alert incident: opened when its condition starts, resolved when it stops. `alert_key` names the condition (e.g.
-- 'slo:api-availability:page'); at most one open incident per key, so concurrent evaluators open it once.
-- trigger_sent_at / resolve_sent_at form an outbox: a failed delivery is retried on the next evaluation.
create table alert_incident (
  alert_id uuid not null default gen_random_uuid(),
  alert_key text not null,
  source text not null,
  severity text not null,
  message text not null,
  details jsonb not null default '{}'::jsonb,
  opened_at timestamptz not null,
  resolved_at timestamptz,
  trigger_sent_at timestamptz,
  resolve_sent_at timestamptz,
  delivery_attempts integer not null default 0,
  last_delivery_error text,
  constraint alert_incident_pkey primary key (alert_id),
  constraint alert_incident_severity_check check (severity in ('page', 'ticket')),
  constraint alert_incident_times_check check (resolved_at is null or resolved_at >= opened_at)
);
create unique index alert_incident_open_key on alert_incident (alert_key) where resolved_at is null;
create index alert_incident_opened on alert_incident (opened_at);
grant select, insert, update, delete on alert_incident to stormops_platform;
