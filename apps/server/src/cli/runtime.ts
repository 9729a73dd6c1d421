/**
 * How a CLI command runs. Commands call the SDK (`rt.call(opts, (ops) => ops.storms.get(id))`), and the runtime picks
 * its transport once per process:
 * - a server named by `--url` or `STORMOPS_URL`: HTTP with `STORMOPS_TOKEN` (any user's token: the SaaS case);
 * - an embedded data folder held by a running server (its lock records where it listens): HTTP with the operator
 *   token kept in the data folder (`platform-token`, 0600) or `STORMOPS_PLATFORM_TOKEN`;
 * - otherwise in-process: open the local database (embedded or DATABASE_URL) with the operator's rights, apply pending
 *   migrations, run, close.
 * Commands that need the database itself (file imports, backups, the demo generator) use `rt.run` and are refused
 * with LOCAL_ONLY when a server holds it. A failure prints one line and exits with the code of its error (2 for bad
 * input, 3 when the database or the server is unavailable). Heavy modules load inside the calls, so `--help` stays
 * fast.
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { ServiceContext } from '../domains/auth/principal.ts';
import { AppError, fromDatabaseError } from '../errors.ts';
import type { StormOpsClient } from '../sdk.ts';
import { render } from './output.ts';

export interface CommandOptions {
  json?: boolean;
}

/** Where commands go: a server over HTTP, or the local database. */
export type Target = { kind: 'server'; url: string; token: string; why: string } | { kind: 'local' };

export interface CliRuntime {
  readonly config: Config;
  /** Runs `fn` with the SDK (over HTTP or in-process, see above) and prints its result. */
  call<T>(opts: CommandOptions, fn: (ops: StormOpsClient) => Promise<T>, human?: (result: T) => string): Promise<void>;
  /** Runs `fn` against the local database (refused when a server holds it) and prints its result. */
  run<T>(opts: CommandOptions, fn: (ctx: ServiceContext) => Promise<T>, human?: (result: T) => string): Promise<void>;
  /** Runs `fn` with no database (work on local files only) and prints its result. */
  compute<T>(opts: CommandOptions, fn: () => Promise<T>, human?: (result: T) => string): Promise<void>;
  /** Like run, but without applying migrations first (for `db status`). */
  runRaw<T>(opts: CommandOptions, fn: (db: Database) => Promise<T>, human?: (result: T) => string): Promise<void>;
  /** Before a command runs: loads the configuration when it was deferred, and takes `--url`. */
  prepare(url: string | undefined): Promise<void>;
  /** Where results go; tests capture it. */
  readonly out: { write(text: string): void };
  readonly err: { write(text: string): void; isTTY?: boolean };
}

type Io = { out: { write(text: string): void }; err: { write(text: string): void; isTTY?: boolean } };

/** Works out where commands go (see the header). */
export async function resolveTarget(config: Config, urlFlag: string | undefined): Promise<Target> {
  const url = urlFlag ?? config.server.url;
  if (url) {
    if (!config.server.token)
      throw new AppError('CONFIG_INVALID', `set STORMOPS_TOKEN to the credential to use with the server at ${url}`);
    return { kind: 'server', url, token: config.server.token, why: urlFlag ? '--url' : 'STORMOPS_URL' };
  }
  if (config.database.kind !== 'pglite') return { kind: 'local' };
  const { liveHolder } = await import('../db/data-dir-lock.ts');
  const holder = liveHolder(config.database.dataDir);
  if (!holder?.url) return { kind: 'local' };
  const { readSecret } = await import('../start/local-secrets.ts');
  const token = config.platformToken ?? readSecret(config.database.dataDir, 'platform-token');
  if (!token)
    throw new AppError(
      'DATA_DIR_LOCKED',
      `the server at ${holder.url} (process ${holder.pid}) holds ${config.database.dataDir}, and no operator token is kept there: set STORMOPS_PLATFORM_TOKEN`,
    );
  return { kind: 'server', url: holder.url, token, why: `process ${holder.pid} holds ${config.database.dataDir}` };
}

/**
 * `shared` runs every command on an already open database (tests, or a host process) instead of opening and
 * closing the configured one per command; it is always local.
 */
export function createRuntime(
  configOrLoader: Config | (() => Promise<Config>),
  io: Io = { out: process.stdout, err: process.stderr },
  shared?: Database,
): CliRuntime {
  // A loader defers reading the configuration (and loading zod) until a command runs: `--help` needs neither.
  let loaded: Config | undefined = typeof configOrLoader === 'function' ? undefined : configOrLoader;
  const cfg = (): Config => {
    if (!loaded) throw new Error('the CLI configuration is read in prepare(), before a command runs');
    return loaded;
  };
  let urlFlag: string | undefined;
  let target: Promise<Target> | undefined;
  const where = () => (target ??= shared ? Promise.resolve({ kind: 'local' as const }) : resolveTarget(cfg(), urlFlag));

  function print<T>(opts: CommandOptions, result: T, human?: (r: T) => string) {
    io.out.write((opts.json ? JSON.stringify(result, null, 2) : human ? human(result) : render(result)) + '\n');
  }

  async function withDb<T>(migrateFirst: boolean, fn: (db: Database) => Promise<T>): Promise<T> {
    const t = await where();
    if (t.kind === 'server')
      throw new AppError(
        'LOCAL_ONLY',
        `this command works on the database itself, and the StormOps server at ${t.url} is in the way (${t.why}): stop it, or use its HTTP API`,
        { url: t.url },
      );
    const { openDatabase } = await import('../db/database.ts');
    const db = shared ?? (await openDatabase(cfg().database));
    try {
      if (migrateFirst) await (await import('../db/migrate.ts')).migrate(db);
      return await fn(db);
    } finally {
      if (!shared) await db.close();
    }
  }

  // Each local run has an id, written into audit rows as the HTTP API writes its request id.
  const runId = async () => `cli:${(await import('node:crypto')).randomUUID()}`;
  return {
    get config() {
      return cfg();
    },
    out: io.out,
    err: io.err,
    async prepare(url) {
      if (!loaded && typeof configOrLoader === 'function') loaded = await configOrLoader();
      // The uplift engine trains and scores on STORMOPS_THREADS threads (every core unless limited).
      if (loaded?.threads) (await import('@stormops/uplift/threads')).setUpliftThreads(loaded.threads);
      urlFlag = url;
      target = undefined;
    },
    async call(opts, fn, human) {
      const t = await where();
      let result;
      if (t.kind === 'server') {
        const { remoteClient } = await import('../client/http-client.ts');
        result = await fn(remoteClient(t.url, t.token));
      } else {
        const { clientFor } = await import('../sdk.ts');
        const { PLATFORM } = await import('../domains/auth/principal.ts');
        const id = await runId();
        result = await withDb(true, (db) => fn(clientFor(db, PLATFORM, undefined, id)));
      }
      print(opts, result, human);
    },
    async run(opts, fn, human) {
      const { PLATFORM } = await import('../domains/auth/principal.ts');
      const id = await runId();
      print(opts, await withDb(true, (db) => fn({ db, principal: PLATFORM, requestId: id })), human);
    },
    async compute(opts, fn, human) {
      print(opts, await fn(), human);
    },
    async runRaw(opts, fn, human) {
      print(opts, await withDb(false, fn), human);
    },
  };
}

/** Prints an error as one line (and its JSON body on stdout under --json); returns the exit code. */
export function reportError(err: unknown, json: boolean, io: Pick<CliRuntime, 'out' | 'err'>): number {
  const appError = err instanceof AppError ? err : fromDatabaseError(err);
  const code = appError?.exitCode ?? 1;
  const message = appError
    ? `${appError.code}: ${appError.message}`
    : `internal: ${err instanceof Error ? err.message : String(err)}`;
  if (json) {
    const body = appError?.toBody() ?? { error: { code: 'INTERNAL', message } };
    io.out.write(JSON.stringify(body, null, 2) + '\n');
  }
  io.err.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return code;
}
