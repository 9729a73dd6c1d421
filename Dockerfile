# StormOps API image. Multi-stage: dependencies are installed (and native parts built) in the first stage; the final
# stage holds the runtime files only and runs as an unprivileged user. No build step: the server runs its TypeScript
# through tsx (a runtime dependency), as `npm start` does.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/stats/package.json packages/stats/
COPY packages/uplift/package.json packages/uplift/
COPY apps/server/package.json apps/server/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# pg_dump/pg_restore for `stormops backup` against server Postgres; curl for the health check.
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client curl \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 STORMOPS_DATA_DIR=/data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./package.json
COPY packages ./packages
COPY apps/server ./apps/server
# The embedded database (dev without Postgres) and backups live on volumes owned by the unprivileged user.
RUN mkdir -p /data /backups && chown node:node /data /backups
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3000/readyz || exit 1
CMD ["node", "--max-semi-space-size=32", "apps/server/bin/stormops.mjs", "start"]
