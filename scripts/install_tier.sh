#!/usr/bin/env bash
# Installs a StormOps tier with Docker Compose (docs/operations.md, "Profiles"):
#   scripts/install_tier.sh dev|prod [--dry-run]
# 1. copies infra/profiles/<tier>.env to .env (an existing .env of the same tier is kept: it holds your secrets);
# 2. refuses prod while a CHANGE-ME placeholder is left in .env;
# 3. creates the storage folders (storage/postgres, backups, prometheus, grafana, billing);
# 4. starts the compose project: docker compose --profile <tier> up -d.
# --dry-run prints each command instead of running it. Without a reachable Docker engine it says so and points at
# `npm start`, which runs the same server with the embedded database.
set -euo pipefail

usage() {
  echo "usage: scripts/install_tier.sh dev|prod [--dry-run]" >&2
  echo "  dev   StormOps and Postgres" >&2
  echo "  prod  adds the OpenTelemetry Collector, Prometheus and Grafana" >&2
}

tier=""
dry_run=0
for arg in "$@"; do
  case "$arg" in
    dev | prod)
      if [ -n "$tier" ]; then usage; exit 2; fi
      tier="$arg"
      ;;
    --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    *)
      echo "install_tier: unknown tier or option: $arg" >&2
      usage
      exit 2
      ;;
  esac
done
if [ -z "$tier" ]; then usage; exit 2; fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

run() {
  if [ "$dry_run" = 1 ]; then
    echo "+ $*"
  else
    "$@"
  fi
}

profile="infra/profiles/$tier.env"
if [ ! -f "$profile" ]; then
  echo "install_tier: $profile is missing" >&2
  exit 2
fi

if [ -f .env ] && grep -qx "STORMOPS_PROFILE=$tier" .env; then
  echo "keeping .env (already the $tier profile)"
else
  if [ -f .env ]; then run cp .env .env.previous; fi
  run cp "$profile" .env
fi

if [ "$tier" = prod ] && [ "$dry_run" = 0 ] && grep -q 'CHANGE-ME' .env; then
  echo "install_tier: .env still holds CHANGE-ME placeholders (operator token, Postgres and Grafana passwords)." >&2
  echo "Edit .env, replace each CHANGE-ME value with a secret of your own, then run this again." >&2
  exit 1
fi

run mkdir -p storage/postgres storage/backups storage/prometheus storage/grafana storage/billing

# Compose v2 (docker compose) when present, else the v1 command (docker-compose).
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  compose=(docker compose)
fi

engine=1
if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then engine=0; fi

if [ "$dry_run" = 1 ]; then
  echo "+ ${compose[*]} --profile $tier up -d"
  if [ "$engine" = 0 ]; then echo "(note: no Docker engine is reachable here, so the last command would fail)"; fi
  exit 0
fi

if [ "$engine" = 0 ]; then
  echo "install_tier: no Docker engine is reachable (docker info failed), so the $tier profile cannot start here." >&2
  echo "Without Docker, run the server directly: npm start (embedded database in .stormops/)," >&2
  echo "or DATABASE_URL=postgres://... npm start for server Postgres. See docs/operations.md." >&2
  exit 3
fi

"${compose[@]}" --profile "$tier" up -d
echo "StormOps $tier is starting: http://localhost:${STORMOPS_PORT:-3000}/readyz"
if [ "$tier" = prod ]; then echo "Grafana: http://localhost:${GRAFANA_PORT:-3001} (Customer Intelligence folder)"; fi
