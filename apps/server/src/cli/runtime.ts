/**
 * How a CLI command runs: open the local database (embedded or DATABASE_URL) with the operator's rights, apply
 * pending migrations, run one service call, print the result (`--json` for scripts), close. A failure prints one
 * line and exits with the code of its error (2 for bad input).
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { PLATFORM, type ServiceContext } from '../domains/auth/principal.ts';
import { AppError, fromDatabaseError } from '../errors.ts';
import { render } from './output.ts';

export interface CommandOptions {
  json?: boolean;
}

export interface CliRuntime {
  readonly config: Config;
  /** Runs `fn` against the local database and prints its result. */
  run<T>(opts: CommandOptions, fn: (ctx: ServiceContext) => Promise<T>, human?: (result: T) => string): Promise<void>;
  /** Like run, but without applying migrations first (for `db status`). */
  runRaw<T>(opts: CommandOptions, fn: (db: Database) => Promise<T>, human?: (result: T) => string): Promise<void>;
  /** Where results go; tests capture it. */
  readonly out: { write(text: string): void };
  readonly err: { write(text: string): void };
}

type Io = { out: { write(text: string): void }; err: { write(text: string): void } };

/**
 * `shared` runs every command on an already open database (tests, or a host process) instead of opening and
 * closing the configured one per command.
 */
export function createRuntime(
  config: Config,
  io: Io = { out: process.stdout, err: process.stderr },
  shared?: Database,
): CliRuntime {
  async function withDb<T>(
    opts: CommandOptions,
    migrateFirst: boolean,
    fn: (db: Database) => Promise<T>,
    human?: (r: T) => string,
  ) {
    const db = shared ?? (await openDatabase(config.database));
    try {
      if (migrateFirst) await migrate(db);
      const result = await fn(db);
      io.out.write((opts.json ? JSON.stringify(result, null, 2) : human ? human(result) : render(result)) + '\n');
    } finally {
      if (!shared) await db.close();
    }
  }
  return {
    config,
    out: io.out,
    err: io.err,
    // Each run has an id, written into audit rows as the HTTP API writes its request id.
    run: (opts, fn, human) =>
      withDb(opts, true, (db) => fn({ db, principal: PLATFORM, requestId: `cli:${randomUUID()}` }), human),
    runRaw: (opts, fn, human) => withDb(opts, false, fn, human),
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
