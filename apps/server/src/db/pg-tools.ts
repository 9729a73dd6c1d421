/** The PostgreSQL client tools a server-Postgres backup needs (pg_dump is in database.ts), and the cluster's roles. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../errors.ts';
import { payloadStream } from './backup-file.ts';

/**
 * The two roles the dump's grants name are cluster-wide: a restore onto another server needs them first (the same
 * statements as migration 0001, tolerating a concurrent creator).
 */
export async function ensureRoles(client: pg.Client): Promise<void> {
  await client.query(`do $$
begin
  begin create role stormops_tenant nologin; exception when duplicate_object or unique_violation then null; end;
  begin create role stormops_platform nologin; exception when duplicate_object or unique_violation then null; end;
end $$`);
}

/**
 * pg_restore of a custom-format payload read from `path` at `start` into `url`, in one transaction (a failure leaves
 * the target as it was), objects owned by the restoring user as the migrations would have made them.
 */
export function pgRestore(url: string, path: string, start: number): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${url}`], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) =>
      fail(
        new AppError(
          'DATABASE_UNAVAILABLE',
          `pg_restore could not run (${e.message}): install the PostgreSQL client tools`,
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? ok()
        : fail(new AppError('VALIDATION', `pg_restore failed: ${err.trim().split('\n').slice(0, 3).join(' ')}`)),
    );
    const input = payloadStream(path, start);
    input.on('error', (e) => child.kill() && fail(e));
    child.stdin.on('error', () => {}); // pg_restore stopped reading: its exit code says why
    input.pipe(child.stdin);
  });
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  c.on('error', () => {}); // a dropped connection fails the query in flight instead of the process
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function requireEmpty(url: string): Promise<void> {
  const n = await withClient(url, async (c) => {
    const r = await c.query<{ n: string }>(
      "select count(*) as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind in ('r', 'p')",
    );
    return Number(r.rows[0]?.n);
  });
  if (n > 0)
    throw new AppError(
      'CONFLICT',
      `database ${new URL(url).pathname.slice(1)} is not empty (${n} tables): restore into a new database`,
    );
}

/** Creates a scratch database beside `serverUrl`'s, runs `fn` with its URL, drops it. */
export async function withScratchDatabase<T>(serverUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `stormops_verify_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, async (c) => {
    await c.query(`create database ${name}`);
    await ensureRoles(c);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
  }
}
