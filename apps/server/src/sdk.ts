/**
 * The TypeScript SDK: `createStormOps(config)` gives the same operations as the CLI and the HTTP API, as plain async
 * calls over the one service layer. Inputs are the HTTP API's snake_case objects (being converted domain by domain); results are the snake_case views the API returns.
 *
 * ```ts
 * const ops = await createStormOps();                 // embedded Postgres in ./.stormops, operator rights
 * const tenant = await ops.tenants.provision({ org_name: 'DFW Elite Roofing', tier: 'standard', admin_email: 'admin@dfwelite.com' });
 * const storm = await ops.storms.create({ tenant_id: tenant.tenant_id, event_id: 'DFW_STORM_001', name: 'DFW Storm Feb 2026' });
 * await ops.close();
 * ```
 */
import { loadConfig } from './config.ts';
import { openDatabase, type Database, type DatabaseTarget } from './db/database.ts';
import { migrate, migrationStatus } from './db/migrate.ts';
import { PLATFORM, authorize, type Principal, type ServiceContext } from './domains/auth/principal.ts';
import { authenticate } from './domains/auth/tokens.ts';
import * as storms from './domains/storms/storms.service.ts';
import * as properties from './domains/properties/properties.service.ts';
import * as stormReports from './domains/storm-reports/storm-reports.service.ts';
import * as models from './domains/models/models.service.ts';
import * as dataHealth from './domains/observability/data-health.service.ts';
import * as pilotFeedback from './domains/pilot/pilot-feedback.service.ts';
import * as pilot from './domains/pilot/pilot.service.ts';
import { scoreStorm } from './domains/models/scoring.service.ts';
import { evaluateScores } from './domains/models/evaluate.service.ts';
import * as tenants from './domains/tenants/tenants.service.ts';
import * as staff from './domains/auth/staff.service.ts';
import * as audit from './domains/audit/audit.service.ts';
import * as users from './domains/users/users.service.ts';
import * as signIn from './domains/users/sign-in.service.ts';
import * as sso from './domains/users/sso.service.ts';
import { NO_MAIL, type SignInDeps } from './domains/users/mailer.ts';
import type { ListUsersInput, SsoConfigInput } from './domains/users/users.schema.ts';
import * as billingUsage from './domains/billing/usage.service.ts';
import * as invoices from './domains/billing/invoices.service.ts';
import { getBillingDashboard } from './domains/billing/dashboard.service.ts';
import { customerHealth, triage } from './domains/billing/health.service.ts';
import { listPlans } from './domains/billing/plans.service.ts';
import * as analyze from './domains/analyze/analyze.service.ts';
import * as policy from './domains/policy/policy.service.ts';
import * as crew from './domains/policy/crew.service.ts';
import * as outcomes from './domains/outcomes/outcomes.service.ts';
import * as slo from './domains/slo/slo.service.ts';
import { recordJobEvent, type JobEvent } from './domains/slo/slo.events.ts';

export interface StormOpsConfig {
  /** Server Postgres; otherwise embedded PGlite. */
  databaseUrl?: string;
  /** Embedded data folder (default `.stormops` in the working directory). */
  dataDir?: string;
  /** Embedded, in memory, gone at close: for tests and scripts. */
  inMemory?: boolean;
  /** An already open database (shared with a server or a test); the SDK will not close it. */
  database?: Database;
  /** Act as this tenant credential; without one the SDK acts with the local operator's rights. */
  token?: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** Invitation and reset links: a mailer (`smtpMailer(url, from)`) and the public URL; without a mailer links are returned. */
  signIn?: SignInDeps;
}

type Tail<F> = F extends (ctx: ServiceContext, ...rest: infer R) => infer O ? (...rest: R) => O : never;

function bind<F extends (ctx: ServiceContext, ...rest: never[]) => unknown>(ctx: ServiceContext, fn: F): Tail<F> {
  return ((...rest: never[]) => fn(ctx, ...rest)) as Tail<F>;
}

export function clientFor(db: Database, principal: Principal, deps: SignInDeps = NO_MAIL, requestId?: string) {
  const ctx: ServiceContext = { db, principal, ...(requestId ? { requestId } : {}) };
  const publicUrl = deps.publicUrl ?? 'http://127.0.0.1:3000';
  return {
    principal,
    tenants: {
      provision: bind(ctx, tenants.provisionTenant),
      list: bind(ctx, tenants.listTenants),
      get: bind(ctx, tenants.getTenant),
      update: bind(ctx, tenants.updateTenant),
      setTier: bind(ctx, tenants.setTier),
      setFeatureFlags: bind(ctx, tenants.setFeatureFlags),
      suspend: (tenantId: string) => tenants.setStatus(ctx, tenantId, 'suspended'),
      reactivate: (tenantId: string) => tenants.setStatus(ctx, tenantId, 'active'),
      createCredential: bind(ctx, tenants.createCredential),
      listCredentials: bind(ctx, tenants.listCredentials),
      revokeCredential: bind(ctx, tenants.revokeCredential),
    },
    /** Platform staff credentials (operator): `createCredential({ email, role: 'customer_success_manager', scopes })`. */
    staff: {
      createCredential: bind(ctx, staff.createStaffCredential),
      listCredentials: bind(ctx, staff.listStaffCredentials),
      revokeCredential: bind(ctx, staff.revokeStaffCredential),
    },
    /** A tenant's people: `invite({ tenantId, email, role })` (the link is returned when no mailer is set). */
    users: {
      invite: (input: Parameters<typeof users.inviteUser>[1]) => users.inviteUser(ctx, input, deps),
      list: (input: ListUsersInput = {}) => users.listUsers(ctx, input),
      setRole: bind(ctx, users.setUserRole),
      remove: bind(ctx, users.removeUser),
      sendPasswordReset: (input: Parameters<typeof users.sendPasswordReset>[1]) =>
        users.sendPasswordReset(ctx, input, deps),
    },
    /**
     * Signing in as a person (what the web app does over HTTP): `login({ email, password })` returns the session
     * (its token is the cookie value); `acceptInvitation`, `requestPasswordReset`, `resetPassword`; SSO settings.
     */
    auth: {
      login: (input: Parameters<typeof signIn.login>[1]) => signIn.login(db, input),
      acceptInvitation: (input: Parameters<typeof signIn.acceptInvitation>[1]) => signIn.acceptInvitation(db, input),
      requestPasswordReset: (input: Parameters<typeof signIn.requestPasswordReset>[1]) =>
        signIn.requestPasswordReset(db, input, deps),
      resetPassword: (input: Parameters<typeof signIn.resetPassword>[1]) => signIn.resetPassword(db, input),
      whoAmI: () => signIn.whoAmI(ctx),
      logout: () => signIn.logout(ctx),
      getSsoConfig: (input: ListUsersInput = {}) => sso.getSsoConfig(ctx, input, publicUrl),
      setSsoConfig: (input: SsoConfigInput) => sso.setSsoConfig(ctx, input, publicUrl),
    },
    /**
     * Billing: `billing.getBillingDashboard(tenantId)` (the playbook's), usage events, overrides, quota alerts,
     * invoices, period close and customer health. Inputs use the API's snake_case names.
     */
    billing: {
      plans: () => listPlans(db),
      getBillingDashboard: (tenantId?: string, period?: string) =>
        getBillingDashboard(ctx, { ...(tenantId ? { tenant_id: tenantId } : {}), ...(period ? { period } : {}) }),
      recordEvents: bind(ctx, billingUsage.recordUsageEvents),
      exportUsage: bind(ctx, billingUsage.exportUsage),
      setOverride: bind(ctx, billingUsage.setOverride),
      alerts: bind(ctx, billingUsage.listQuotaAlerts),
      createInvoice: bind(ctx, invoices.createInvoice),
      finalizeInvoice: bind(ctx, invoices.finalizeInvoice),
      voidInvoice: bind(ctx, invoices.voidInvoice),
      payInvoice: bind(ctx, invoices.payInvoice),
      getInvoice: bind(ctx, invoices.getInvoice),
      listInvoices: bind(ctx, invoices.listInvoices),
      invoicePdf: bind(ctx, invoices.invoicePdf),
      closePeriod: bind(ctx, invoices.closePeriod),
      customerHealth: bind(ctx, customerHealth),
      triage: bind(ctx, triage),
    },
    /** The append-only audit log: `list({ tenant_id, since })`. */
    audit: { list: bind(ctx, audit.listAudit) },
    storms: {
      create: bind(ctx, storms.createStorm),
      list: bind(ctx, storms.listStorms),
      get: bind(ctx, storms.getStorm),
      setStatus: bind(ctx, storms.setStormStatus),
    },
    /**
     * A storm's properties: `import({ storm_id, source, ... }, { onProgress, onRejected })`, `list({ storm_id, limit,
     * after })`, `imports({ storm_id })`, `saveMapping({ tenant_id, name, mapping })`.
     */
    properties: {
      import: bind(ctx, properties.importProperties),
      list: bind(ctx, properties.listProperties),
      imports: bind(ctx, properties.listImports),
      saveMapping: bind(ctx, properties.saveMapping),
    },
    policy: {
      apply: bind(ctx, policy.applyPolicy),
      get: bind(ctx, policy.getPolicy),
      configure: bind(ctx, policy.configurePolicy),
      runs: bind(ctx, policy.listPolicyRuns),
      contamination: bind(ctx, policy.getContamination),
      planTerritories: bind(ctx, crew.planTerritories),
      exportWalkList: bind(ctx, crew.exportWalkList),
      logKnock: bind(ctx, crew.logKnock),
      logKnocks: bind(ctx, crew.logKnocks),
      /** The playbook's plane.log_outcome(property_id, event_id, converted, value). */
      logOutcome: bind(ctx, outcomes.logOutcome),
    },
    outcomes: {
      log: bind(ctx, outcomes.logOutcome),
      logBatch: bind(ctx, outcomes.logOutcomes),
      import: bind(ctx, outcomes.importOutcomes),
      history: bind(ctx, outcomes.outcomeHistory),
      /** The sufficient statistics the pilot report computes on (per-arm totals, daily series, uplift buckets...). */
      pilotAggregates: bind(ctx, pilot.gatherPilotInputs),
    },
    models: {
      train: bind(ctx, models.trainModel),
      list: bind(ctx, models.listModels),
      get: bind(ctx, models.getModel),
      /** The playbook's `registry.get_active_model('uplift', 'production')`. */
      getActiveModel: (name = 'uplift', stage: 'production' | 'shadow' = 'production', tenantId?: string) =>
        models.getActiveModel(ctx, { name, stage, tenant_id: tenantId }),
      /** The model at a stage: `active({ tenant_id, stage: 'shadow' })`. */
      active: bind(ctx, models.getActiveModel),
      promote: bind(ctx, models.promoteModel),
      rollback: bind(ctx, models.rollbackModel),
      score: bind(ctx, scoreStorm),
      evaluate: evaluateScores,
    },
    /** The playbook's `PilotStormRunner`: `runPilot({ storm_id, mode })`, then `generateReport(results, 'pdf')`. */
    pilot: {
      runPilot: bind(ctx, pilot.runPilot),
      generateReport: pilot.renderPilotReport,
      /** The rendered report and its results: `report({ stormId, format: 'pdf' })` gives `{ results, body }`. */
      report: bind(ctx, pilot.pilotReport),
      /** Contractor satisfaction (1-10) after the review call: `recordFeedback(stormId, { score, comment })`. */
      recordFeedback: bind(ctx, pilotFeedback.recordPilotFeedback),
    },
    /** The playbook's `DataObservability(tenant_id)`. */
    observability: {
      getHealthDashboard: bind(ctx, dataHealth.getHealthDashboard),
      checkConversionRates: bind(ctx, dataHealth.checkConversionRates),
      checkUpliftDistribution: bind(ctx, dataHealth.checkUpliftDistribution),
      history: bind(ctx, dataHealth.getHealthHistory),
      getUpliftBand: bind(ctx, dataHealth.getUpliftBand),
      setUpliftBand: bind(ctx, dataHealth.setUpliftBand),
    },
    stormReports: {
      import: bind(ctx, stormReports.importStormReports),
      recomputeExposure: bind(ctx, stormReports.recomputeExposure),
    },
    analyze: {
      /** A past campaign's CSV on disk (one row per unit): lift, interval, p-value, SRM. */
      csvFile: bind(ctx, analyze.analyzeCsvFile),
      /** The same from a byte stream (a request body, chunks in memory). */
      csvStream: bind(ctx, analyze.analyzeCsvStream),
    },
    /** The playbook's SLOMonitor: `getSloDashboard({ hours: 24 })`, `getActiveAlerts()` (operator; deps take a clock). */
    slo: {
      getSloDashboard: bind(ctx, slo.getSloDashboard),
      getActiveAlerts: bind(ctx, slo.getActiveAlerts),
      evaluate: bind(ctx, slo.evaluateSlos),
      definitions: bind(ctx, slo.listSlos),
      /** For jobs: good/total events on an SLI series, e.g. { series: 'job.scoring.freshness', good: true, at }. */
      recordJobEvent: async (event: JobEvent) => {
        authorize(ctx, 'platform:admin');
        await recordJobEvent(db, event);
      },
    },
    db: {
      migrate: () => migrate(db),
      status: () => migrationStatus(db),
    },
  };
}

export type StormOpsClient = ReturnType<typeof clientFor>;
export interface StormOps extends StormOpsClient {
  /** The same SDK acting inside one tenant, as that tenant's principal would (operator only). */
  asTenant(tenantId: string): StormOpsClient;
  close(): Promise<void>;
}

export async function createStormOps(config: StormOpsConfig = {}): Promise<StormOps> {
  const target: DatabaseTarget = config.inMemory
    ? { kind: 'pglite-memory' }
    : config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : loadConfig({ STORMOPS_DATA_DIR: config.dataDir }).database;
  const db = config.database ?? (await openDatabase(target));
  try {
    if (config.migrate !== false) await migrate(db);
    const principal = config.token ? await authenticate(db, undefined, config.token) : PLATFORM;
    const deps = config.signIn ?? NO_MAIL;
    return {
      ...clientFor(db, principal, deps),
      asTenant(tenantId: string) {
        if (principal.kind !== 'platform') throw new Error('asTenant needs operator rights');
        return clientFor(
          db,
          { kind: 'tenant', tenantId, userId: '00000000-0000-0000-0000-000000000000', role: 'admin' },
          deps,
        );
      },
      close: async () => {
        if (!config.database) await db.close();
      },
    };
  } catch (err) {
    if (!config.database) await db.close();
    throw err;
  }
}

export type { Database } from './db/database.ts';
export { smtpMailer, type SignInDeps } from './domains/users/mailer.ts';
export { AppError } from './errors.ts';
