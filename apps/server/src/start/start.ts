/** `npm start` / `stormops start`: migrate, seed the demo once, serve the API and docs until stopped. */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { buildApp } from '../http/app.ts';
import { AdvisoryLeader, soleLeader, type Leader } from '../jobs/leader.ts';
import { setLeading } from '../telemetry/metrics.ts';
import { notifierFromConfig } from '../domains/notify/notify.notifier.ts';
import { JOB_STALE_MS, markInterruptedImports } from '../domains/properties/import-jobs.service.ts';
import { defaultUploadRoot } from '../lib/upload-dir.ts';
import { signInDepsFrom } from '../domains/users/mailer.ts';
import { mailQuotaAlertsWith } from '../domains/billing/metering.ts';
import { seedDemo, type DemoSeed } from './demo-seed.ts';
import { platformTokenFor } from './local-secrets.ts';

export interface Started {
  url: string;
  app: FastifyInstance;
  db: Database;
  /** Whether this process runs the periodic work (several processes may share one server Postgres). */
  leader: Leader;
  demo: DemoSeed | undefined;
  platformToken: string;
  stop(): Promise<void>;
}

/** Where an install keeps its local secrets: the embedded data folder, or `.stormops` beside a server-Postgres install. */
function secretsDir(config: Config): string {
  return config.database.kind === 'pglite' ? config.database.dataDir : join(process.cwd(), '.stormops');
}

export async function startPlatform(
  config: Config,
  opts: { demo?: boolean; log?: (message: string) => void } = {},
): Promise<Started> {
  // The prod profile runs no demo and keeps no generated operator token in a local file (docs/operations.md).
  if (config.profile === 'prod' && !config.platformToken)
    throw new AppError('CONFIG_INVALID', 'STORMOPS_PROFILE=prod needs STORMOPS_PLATFORM_TOKEN (the operator token)');
  const db = await openDatabase(config.database);
  let leader: Leader | undefined;
  try {
    await migrate(db);
    // Embedded: this process alone holds the data folder, so any running import is an earlier run's. Server Postgres:
    // only imports whose owner stopped beating (another live process may be running its own).
    await markInterruptedImports(db, db.kind === 'postgres' ? { staleAfterMs: JOB_STALE_MS } : {});
    const dir = secretsDir(config);
    const platformToken = platformTokenFor(dir, config.platformToken);
    const seed = opts.demo ?? config.profile !== 'prod';
    const demo = seed ? await seedDemo(db, dir, opts.log) : undefined;
    leader = startLeader(config, opts.log);
    const signInDeps = signInDepsFrom({
      smtpUrl: config.smtpUrl,
      mailFrom: config.mailFrom,
      publicUrl: config.publicUrl,
    });
    // Quota alerts also go to each tenant's admin by e-mail when SMTP is configured (docs/billing.md).
    mailQuotaAlertsWith(signInDeps.mailer);
    const app = await buildApp({
      db,
      platformToken,
      logLevel: config.logLevel,
      limits: config.limits,
      uploadRoot:
        config.uploadRoot ??
        (config.database.kind === 'pglite' ? join(config.database.dataDir, 'uploads') : defaultUploadRoot()),
      signIn: {
        deps: signInDeps,
        secureCookies: config.profile === 'prod',
      },
      telemetry: {
        leader,
        sloEvaluateEveryMs: config.sloEvaluateSeconds * 1000,
        notifier: notifierFromConfig(config),
        ...(config.otlpEndpoint ? { otlpEndpoint: config.otlpEndpoint } : {}),
      },
    });
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new AppError(
          'CONFIG_INVALID',
          `port ${config.port} on ${config.host} is in use; set PORT to another port`,
        );
      }
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    const lead = leader;
    return {
      url,
      app,
      db,
      leader: lead,
      demo,
      platformToken,
      stop: async () => {
        await app.close();
        await lead.stop();
        await db.close();
      },
    };
  } catch (err) {
    await leader?.stop();
    await db.close();
    throw err;
  }
}

/** Server Postgres: compete for leadership of the periodic work (jobs/leader.ts). Embedded: this process leads. */
function startLeader(config: Config, log?: (message: string) => void): Leader {
  if (config.database.kind !== 'postgres') {
    setLeading(true);
    return soleLeader;
  }
  return new AdvisoryLeader({
    url: config.database.url,
    onChange: (leading) => {
      setLeading(leading);
      log?.(leading ? 'this process now leads the periodic work' : 'this process no longer leads the periodic work');
    },
  }).start();
}
