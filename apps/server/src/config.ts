/**
 * Configuration: parsed and validated once at start from the environment, then passed in as a frozen object.
 * Nothing else in the platform reads `process.env`.
 */
import { resolve } from 'node:path';
import { MAX_THREADS, parseThreads } from '@stormops/uplift/threads';
import { z } from 'zod';
import { AppError } from './errors.ts';

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  STORMOPS_DATA_DIR: z.string().min(1).optional(),
  STORMOPS_PLATFORM_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STORMOPS_PROFILE: z.enum(['dev', 'prod']).default('dev'),
  STORMOPS_SLACK_WEBHOOK_URL: z.url().optional(),
  STORMOPS_PAGERDUTY_ROUTING_KEY: z.string().min(1).optional(),
  STORMOPS_PAGERDUTY_URL: z.url().default('https://events.pagerduty.com/v2/enqueue'),
  STORMOPS_SLO_EVALUATE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  STORMOPS_URL: z.url().optional(),
  STORMOPS_TOKEN: z.string().min(1).optional(),
  STORMOPS_JSON_BODY_LIMIT_MB: z.coerce.number().positive().max(1024).default(10),
  STORMOPS_UPLOAD_LIMIT_MB: z.coerce.number().positive().max(65536).default(512),
  STORMOPS_CSV_BODY_LIMIT_MB: z.coerce.number().positive().max(4096).default(50),
  STORMOPS_UPLOAD_DIR: z.string().min(1).optional(),
  SMTP_URL: z.url().optional(),
  SMTP_FROM: z.string().min(3).default('StormOps <no-reply@localhost>'),
  STORMOPS_PUBLIC_URL: z.url().optional(),
  STORMOPS_THREADS: z
    .string()
    .default('auto')
    .refine((v) => v === 'auto' || (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_THREADS), {
      message: `must be 'auto' or an integer from 1 to ${MAX_THREADS}`,
    }),
});

/** Every variable the platform reads (the deployment files are checked against it: apps/server/test/infra.test.ts). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface Config {
  /** `pglite` (embedded, the default) or `postgres` (server, when DATABASE_URL is set). */
  readonly database:
    { readonly kind: 'pglite'; readonly dataDir: string } | { readonly kind: 'postgres'; readonly url: string };
  /** Operator credential for platform-wide API calls; when unset in embedded mode one is made and kept in the data folder. */
  readonly platformToken: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly profile: 'dev' | 'prod';
  /** Alert destinations (docs/observability.md); unset ones are skipped. */
  readonly alerts: {
    readonly slackWebhookUrl: string | undefined;
    readonly pagerdutyRoutingKey: string | undefined;
    readonly pagerdutyUrl: string;
  };
  /** How often the server evaluates SLO alert rules (0: never; `stormops slo evaluate` still works). */
  readonly sloEvaluateSeconds: number;
  /** OTLP/HTTP metrics export, when set (e.g. http://collector:4318). */
  readonly otlpEndpoint: string | undefined;
  /** The CLI as a client: a StormOps server to speak to (`STORMOPS_URL`) and the token it acts with (`STORMOPS_TOKEN`). */
  readonly server: { readonly url: string | undefined; readonly token: string | undefined };
  /** Request body limits per kind of route, in bytes (docs/resilience.md). */
  readonly limits: BodyLimits;
  /** Parent of this process' private upload folder (default: `<data folder>/uploads`, or TMPDIR for server Postgres). */
  readonly uploadRoot: string | undefined;
  /** Sign-in e-mail (invitations, password resets): sent through SMTP when set, shown to the admin otherwise. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Where people open links and where SSO providers send them back (unset: the origin a request came to). */
  readonly publicUrl: string | undefined;
  /** Threads the uplift engine uses to train and score (`STORMOPS_THREADS`: 'auto', the default, is every core). */
  readonly threads: number;
}

export interface BodyLimits {
  /** JSON bodies of every route. */
  readonly json: number;
  /** Property files (POST /v1/storms/{id}/properties/import), streamed to disk. */
  readonly upload: number;
  /** CSV bodies read as they arrive: outcomes import, storm reports, analysis. */
  readonly csv: number;
}

const MB = 1024 * 1024;
export const DEFAULT_LIMITS: BodyLimits = Object.freeze({ json: 10 * MB, upload: 512 * MB, csv: 50 * MB });

export function loadConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): Config {
  // An empty variable means unset, as in most shells' `VAR= command`.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('CONFIG_INVALID', `configuration ${issue?.path.join('.')}: ${issue?.message}`, {
      issues: parsed.error.issues.map((i) => ({ variable: i.path.join('.'), message: i.message })),
    });
  }
  const e = parsed.data;
  return Object.freeze({
    database: e.DATABASE_URL
      ? Object.freeze({ kind: 'postgres' as const, url: e.DATABASE_URL })
      : Object.freeze({ kind: 'pglite' as const, dataDir: resolve(cwd, e.STORMOPS_DATA_DIR ?? '.stormops') }),
    platformToken: e.STORMOPS_PLATFORM_TOKEN,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    profile: e.STORMOPS_PROFILE,
    alerts: Object.freeze({
      slackWebhookUrl: e.STORMOPS_SLACK_WEBHOOK_URL,
      pagerdutyRoutingKey: e.STORMOPS_PAGERDUTY_ROUTING_KEY,
      pagerdutyUrl: e.STORMOPS_PAGERDUTY_URL,
    }),
    sloEvaluateSeconds: e.STORMOPS_SLO_EVALUATE_SECONDS,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    server: Object.freeze({ url: e.STORMOPS_URL, token: e.STORMOPS_TOKEN }),
    limits: Object.freeze({
      json: Math.round(e.STORMOPS_JSON_BODY_LIMIT_MB * MB),
      upload: Math.round(e.STORMOPS_UPLOAD_LIMIT_MB * MB),
      csv: Math.round(e.STORMOPS_CSV_BODY_LIMIT_MB * MB),
    }),
    uploadRoot: e.STORMOPS_UPLOAD_DIR ? resolve(cwd, e.STORMOPS_UPLOAD_DIR) : undefined,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.SMTP_FROM,
    publicUrl: e.STORMOPS_PUBLIC_URL?.replace(/\/+$/, ''),
    threads: parseThreads(e.STORMOPS_THREADS, 'STORMOPS_THREADS'),
  });
}
