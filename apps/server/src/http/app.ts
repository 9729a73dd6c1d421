/**
 * Assembles the HTTP API: JSON logging with request ids, bearer auth, zod validation, one error body, OpenAPI at
 * /openapi.json and a docs page at /docs, health and readiness, and each domain's routes.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.ts';
import { isCurrent } from '../db/migrate.ts';
import { backupStatus } from '../db/backup.ts';
import { registerStormRoutes } from '../domains/storms/storms.routes.ts';
import { registerPolicyRoutes } from '../domains/policy/policy.routes.ts';
import { registerOutcomeRoutes } from '../domains/outcomes/outcomes.routes.ts';
import { registerTenantRoutes } from '../domains/tenants/tenants.routes.ts';
import { registerModelRoutes } from '../domains/models/models.routes.ts';
import { registerHealthRoutes } from '../domains/observability/data-health.routes.ts';
import { registerPilotRoutes } from '../domains/pilot/pilot.routes.ts';
import { registerPropertyRoutes } from '../domains/properties/properties.routes.ts';
import { registerAnalyzeRoutes } from '../domains/analyze/analyze.routes.ts';
import { registerStormReportRoutes } from '../domains/storm-reports/storm-reports.routes.ts';
import { registerStormMapRoutes } from '../domains/storm-map/storm-map.routes.ts';
import { JobRegistry } from '../jobs/job-registry.ts';
import { startJobHeartbeat } from '../jobs/job-heartbeat.ts';
import { registerSloRoutes } from '../domains/slo/slo.routes.ts';
import { registerAuditRoutes } from '../domains/audit/audit.routes.ts';
import { registerStaffRoutes } from '../domains/auth/staff.routes.ts';
import { registerOpsRoutes } from '../domains/ops/ops.routes.ts';
import { registerSignInRoutes, type SignInOptions } from '../domains/users/sign-in.routes.ts';
import { registerUserRoutes } from '../domains/users/users.routes.ts';
import { registerSsoRoutes } from '../domains/users/sso.routes.ts';
import { onboardingLimit, registerOnboardingRoutes } from '../domains/onboarding/onboarding.routes.ts';
import { installApiCallMetering } from '../domains/billing/api-calls.ts';
import { registerBillingRootRoutes, registerBillingRoutes } from '../domains/billing/billing.routes.ts';
import { installTelemetry, type TelemetryOptions } from './telemetry.ts';
import { installAuth, withPermission } from './auth.ts';
import { installErrorHandling, installNotFound } from './errors.ts';
import { installStrictInputs } from './strict-inputs.ts';
import { installResponseCheck, jsonSerializerCompiler, responseComponents } from './responses.ts';
import { defaultWebRoot, installWebApp, wantsApp } from './web.ts';
import { installReadRetry } from './read-retry.ts';
import { DEFAULT_LIMITS, type BodyLimits } from '../config.ts';
import { UploadDir, defaultUploadRoot } from '../lib/upload-dir.ts';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRegistry;
  }
}

export interface AppOptions {
  db: Database;
  platformToken: string | undefined;
  logLevel?: string;
  /** Background jobs (API imports); one is made when not given. */
  jobs?: JobRegistry;
  version?: string;
  /** Request metrics, the SLO recorder and evaluation loop, /metrics, OTLP (docs/observability.md). */
  telemetry?: TelemetryOptions;
  /** The web app's build folder served at `/` (default: apps/web/dist when built; false: API only). */
  webRoot?: string | false;
  /** Body limits per kind of route (default DEFAULT_LIMITS). */
  limits?: Partial<BodyLimits>;
  /** Parent of this process' private upload folder (default: per user under TMPDIR). */
  uploadRoot?: string;
  /** Sign-in for people: mail, public URL, secure cookies, login rate limits (docs/sign-in.md). */
  signIn?: SignInOptions;
  /** Self-serve signups one address may submit an hour (default ONBOARDING_PER_IP_PER_HOUR). */
  onboardingPerIpPerHour?: number;
  /** Check every JSON answer against its route's response schema, a mismatch a loud 500 (default: under Vitest). */
  checkResponses?: boolean;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const limits: BodyLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'silent' },
    bodyLimit: limits.json,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
  });
  // JSON only by default: a text body would otherwise reach validation as a string. Uploads add their own parsers.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(jsonSerializerCompiler);
  if (opts.checkResponses ?? process.env.VITEST === 'true') installResponseCheck(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'StormOps API',
        version: opts.version ?? '0.1.0',
        description: 'Uplift targeting and proof of lift for storm-restoration contractors.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'stormops_session' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: withPermission,
    transformObject: responseComponents,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await opts.db.ping();
      const current = await isCurrent(opts.db);
      // A stale backup is reported, not a reason to take the instance out of the load balancer.
      const backup = current ? await backupStatus(opts.db) : undefined;
      return reply
        .status(current ? 200 : 503)
        .send({ status: current ? 'ready' : 'migrations pending', database: opts.db.kind, details: { backup } });
    } catch (err) {
      return reply
        .status(503)
        .send({ status: 'database unavailable', database: opts.db.kind, message: (err as Error).message });
    }
  });

  const jobs = opts.jobs ?? new JobRegistry();
  app.decorate('jobs', jobs);
  const uploads = await UploadDir.open(opts.uploadRoot ?? defaultUploadRoot());
  // Server Postgres may be shared by several API processes: jobs carry their owner's heartbeat (jobs/job-heartbeat.ts).
  const heartbeat =
    opts.db.kind === 'postgres'
      ? startJobHeartbeat(opts.db, jobs, { onError: (err) => app.log.warn({ err }, 'job heartbeat failed') })
      : undefined;
  app.addHook('onClose', async () => {
    heartbeat?.stop();
    await jobs.drain();
    await uploads.close();
  });
  const telemetry = installTelemetry(app, opts.db, opts.telemetry);
  await app.register(cookie);
  // Limits are declared per route (sign-in); nothing else is limited by this plugin.
  await app.register(rateLimit, { global: false });
  installAuth(app, opts.db, opts.platformToken);
  installApiCallMetering(app, opts.db);
  installStrictInputs(app);
  installReadRetry(app);
  registerBillingRootRoutes(app, opts.db);
  const signupLimit = onboardingLimit(app, opts.onboardingPerIpPerHour);
  registerOnboardingRoutes(app, opts.db, signupLimit, opts.signIn);
  await app.register(
    async (v1) => {
      registerSloRoutes(v1, opts.db, telemetry.sloDeps);
      registerTenantRoutes(v1, opts.db);
      registerStormRoutes(v1, opts.db);
      registerPolicyRoutes(v1, opts.db);
      registerOutcomeRoutes(v1, opts.db, limits.csv);
      registerPropertyRoutes(v1, opts.db, jobs, { uploads, limit: limits.upload });
      registerAnalyzeRoutes(v1, opts.db, limits.csv);
      registerStormReportRoutes(v1, opts.db, limits.csv);
      registerStormMapRoutes(v1, opts.db);
      registerModelRoutes(v1, opts.db);
      registerHealthRoutes(v1, opts.db);
      registerPilotRoutes(v1, opts.db);
      registerAuditRoutes(v1, opts.db);
      registerStaffRoutes(v1, opts.db);
      registerOpsRoutes(v1, opts.db);
      registerSignInRoutes(v1, opts.db, opts.signIn);
      registerUserRoutes(v1, opts.db, opts.signIn);
      registerSsoRoutes(v1, opts.db, opts.signIn);
      registerBillingRoutes(v1, opts.db);
      registerOnboardingRoutes(v1, opts.db, signupLimit, opts.signIn);
    },
    { prefix: '/v1' },
  );
  const appPage = await installWebApp(app, opts.webRoot === false ? undefined : (opts.webRoot ?? defaultWebRoot()));
  installNotFound(app, appPage ? (request, reply) => (wantsApp(request) ? appPage(request, reply) : null) : undefined);
  return app;
}
