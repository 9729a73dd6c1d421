/**
 * The integration-test fixture: every suite runs on embedded PGlite and, when STORMOPS_TEST_DATABASE_URL names a
 * server Postgres (an admin URL), on a fresh database created for the suite and dropped after it. Without the
 * variable the server suite is reported as skipped, never failed. No mocks: real SQL, real row-level security.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadTemplate } from './pglite-template.ts';

export const SERVER_URL = process.env['STORMOPS_TEST_DATABASE_URL'];

export interface TestDatabase {
  readonly kind: 'pglite' | 'postgres';
  /** The suite's migrated database. */
  readonly db: Database;
  /** For postgres: a URL of the suite's own database (for pg clients and CLI runs). */
  readonly url: string | undefined;
}

/** Creates a scratch database on the server and returns its URL and a drop function. */
export async function createScratchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `stormops_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  // PGlite always runs in UTC; a server's TimeZone comes from its postgresql.conf. Pin it, so a date-only value
  // ('2026-02-10' -> midnight UTC) reads the same on every machine.
  await admin.query(`alter database ${name} set timezone to 'UTC'`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Runs `body` once per available backend, inside a describe named for it. */
export function describeEachDatabase(title: string, body: (t: () => TestDatabase) => void): void {
  const backends: Array<'pglite' | 'postgres'> = ['pglite', 'postgres'];
  for (const kind of backends) {
    if (kind === 'postgres' && !SERVER_URL) {
      describe.skip(`${title} [server Postgres: skipped, set STORMOPS_TEST_DATABASE_URL]`, () =>
        body(() => undefined as never));
      continue;
    }
    describe(`${title} [${kind}]`, () => {
      let current: TestDatabase | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        if (kind === 'postgres') {
          const scratch = await createScratchDatabase(SERVER_URL as string);
          drop = scratch.drop;
          const db = await openDatabase({ kind: 'postgres', url: scratch.url });
          await migrate(db);
          current = { kind, db, url: scratch.url };
        } else {
          const template = await loadTemplate();
          const db = await openDatabase(template ? { kind: 'pglite-memory', template } : { kind: 'pglite-memory' });
          await migrate(db);
          current = { kind, db, url: undefined };
        }
      });
      afterAll(async () => {
        await current?.db.close();
        await drop?.();
      });
      body(() => {
        if (!current) throw new Error('database not ready');
        return current;
      });
    });
  }
}
