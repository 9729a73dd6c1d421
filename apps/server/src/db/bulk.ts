/**
 * Bulk transactions: raw SQL and COPY inside one tenant transaction, for imports that stream millions of rows.
 * Kysely hides the driver's client, and COPY FROM is refused on tables under row-level security, so bulk work
 * COPYs into a temporary staging table and moves rows with one INSERT ... SELECT that RLS checks.
 * - server Postgres: a pooled `pg` client, COPY FROM STDIN streamed with back-pressure (pg-copy-streams);
 * - PGlite: the one connection under the same mutex as Kysely, COPY FROM '/dev/blob' one chunk at a time.
 */
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { CopyBinaryDecoder, type ColumnBatch, type ColumnType } from './copy-binary.ts';
import type { Mutex } from './mutex.ts';

export interface BulkTx {
  /**
   * Which engine runs the transaction, for the rare statement whose cost differs between them by an order of
   * magnitude (see loadAll in properties/import-chunks.ts); everything else is the same SQL on both.
   */
  readonly backend: 'pglite' | 'postgres';
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs an INSERT/UPDATE/DELETE and returns how many rows it affected (no RETURNING rows to carry back). */
  command(sql: string, params?: unknown[]): Promise<number>;
  /**
   * Streams COPY text lines (each ending in \n) into `copySql` (`COPY t (cols) FROM STDIN`); returns the items sent.
   * An item may also be UTF-8 bytes of whole lines, which go to the server as they are.
   */
  copy(copySql: string, lines: AsyncIterable<CopyText> | Iterable<CopyText>): Promise<number>;
  /**
   * Streams the rows of a SELECT as column batches, each column cast in the query to the type named in `types`
   * (float8 columns arrive as Float64Arrays, null as NaN). Server Postgres runs it as one binary
   * `COPY (query) TO STDOUT` (a plain scan, no paging, under the same row-level security); PGlite fetches from a
   * cursor. `params` are $1, $2... as in `query`.
   */
  readColumns(query: string, params: unknown[], types: readonly ColumnType[]): AsyncIterable<ColumnBatch>;
  /**
   * PGlite only (undefined on server Postgres): runs one statement as the session user, outside the tenant role, in
   * the same transaction. Embedded mode is single-user and its roles are no boundary (STACK.md); the property import
   * uses it to rebuild `property`'s indexes around a large first import (properties.repo.ts, PgliteKeyRebuild).
   */
  readonly asOwner?: <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;
}

/** COPY text: one or more whole lines, as a string or as UTF-8 bytes. */
export type CopyText = string | Uint8Array;

/** Rows per batch that `readColumns` yields. */
export const READ_BATCH_ROWS = 50_000;

export type BulkRunner = <T>(setup: string, params: unknown[], fn: (tx: BulkTx) => Promise<T>) => Promise<T>;

/** PGlite's blob COPY takes the whole blob; chunks of this size keep memory bounded. */
const BLOB_CHUNK_BYTES = 16 * 1024 * 1024;

export function pgliteBulk(pglite: PGlite, mutex: Mutex): BulkRunner {
  return async (setup, params, fn) => {
    const release = await mutex.lock();
    try {
      await pglite.query('begin');
      try {
        await pglite.query(setup, params);
        const tx: BulkTx = {
          backend: 'pglite',
          query: async <R>(text: string, p: unknown[] = []) => (await pglite.query<R>(text, p)).rows,
          command: async (text, p = []) => (await pglite.query(text, p)).affectedRows ?? 0,
          copy: async (copySql, lines) => {
            const blobSql = copySql.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'");
            let parts: CopyText[] = [];
            let bytes = 0;
            let count = 0;
            // COPY FROM '/dev/blob' needs file-read rights the tenant role lacks: the COPY alone runs as the session
            // user, into the staging table only (a temp table, outside RLS); the tenant role returns right after.
            await assertTemporaryTarget(pglite, copySql);
            const role =
              (await pglite.query<{ role: string }>("select current_setting('role') as role")).rows[0]?.role ?? 'none';
            const flush = async () => {
              if (parts.length === 0) return;
              await pglite.query('set local role none');
              try {
                await pglite.query(blobSql, [], { blob: new Blob(parts) });
              } finally {
                await pglite.query(`select set_config('role', $1, true)`, [role]);
              }
              parts = [];
              bytes = 0;
            };
            for await (const line of lines) {
              parts.push(line);
              bytes += line.length;
              count++;
              if (bytes >= BLOB_CHUNK_BYTES) await flush();
            }
            await flush();
            return count;
          },
          readColumns: (query, p, types) => pgliteReadColumns(pglite, query, p, types),
          asOwner: async <R>(text: string, p: unknown[] = []) => {
            const role =
              (await pglite.query<{ role: string }>("select current_setting('role') as role")).rows[0]?.role ?? 'none';
            await pglite.query('set local role none');
            try {
              return (await pglite.query<R>(text, p)).rows;
            } finally {
              await pglite.query(`select set_config('role', $1, true)`, [role]);
            }
          },
        };
        const result = await fn(tx);
        await pglite.query('commit');
        return result;
      } catch (err) {
        await pglite.query('rollback');
        throw err;
      }
    } finally {
      release();
    }
  };
}

/** Server Postgres refuses COPY into tables under RLS; PGlite's COPY runs as the session user, so check it here. */
async function assertTemporaryTarget(pglite: PGlite, copySql: string): Promise<void> {
  const table = /^\s*COPY\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(copySql)?.[1];
  const rows = table
    ? (await pglite.query<{ p: string }>('select relpersistence as p from pg_class where oid = $1::regclass', [table]))
        .rows
    : [];
  if (rows[0]?.p !== 't') throw new Error(`bulk COPY must target a temporary staging table, not ${table ?? copySql}`);
}

export function postgresBulk(pool: pg.Pool): BulkRunner {
  return async (setup, params, fn) => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      try {
        await client.query(setup, params);
        const tx: BulkTx = {
          backend: 'postgres',
          query: async <R>(text: string, p: unknown[] = []) => (await client.query(text, p)).rows as R[],
          command: async (text, p = []) => (await client.query(text, p)).rowCount ?? 0,
          copy: (copySql, lines) => copyLines(client, copySql, lines),
          readColumns: (query, p, types) => copyOutColumns(client, query, p, types),
        };
        const result = await fn(tx);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => (broken = true));
        throw err;
      }
    } finally {
      client.release(broken);
    }
  };
}

async function copyLines(
  client: pg.PoolClient,
  copySql: string,
  lines: AsyncIterable<CopyText> | Iterable<CopyText>,
): Promise<number> {
  const stream = client.query(copyFrom(copySql));
  const finished = new Promise<void>((ok, fail) => {
    stream.on('finish', ok);
    stream.on('error', fail);
  });
  let count = 0;
  let buffer = '';
  try {
    const send = async (data: CopyText) => {
      if (!stream.write(data)) await new Promise((r) => stream.once('drain', r));
    };
    for await (const line of lines) {
      count++;
      if (typeof line !== 'string') {
        if (buffer) await send(buffer);
        buffer = '';
        await send(line);
        continue;
      }
      buffer += line;
      if (buffer.length >= 64 * 1024) {
        await send(buffer);
        buffer = '';
      }
    }
    if (buffer) stream.write(buffer);
    stream.end();
  } catch (err) {
    stream.destroy(err as Error);
    await finished.catch(() => {});
    throw err;
  }
  await finished;
  return count;
}

/** PGlite: a cursor inside the transaction, fetched a batch at a time. */
async function* pgliteReadColumns(
  pglite: PGlite,
  query: string,
  params: unknown[],
  types: readonly ColumnType[],
): AsyncGenerator<ColumnBatch> {
  await pglite.query(`declare stormops_read no scroll cursor for ${query}`, params);
  try {
    for (;;) {
      const { rows } = await pglite.query<unknown[]>(`fetch ${READ_BATCH_ROWS} from stormops_read`, [], {
        rowMode: 'array',
      });
      if (rows.length === 0) return;
      const columns = types.map((type, j) => {
        if (type === 'float8') return Float64Array.from(rows, (r) => (r[j] === null ? NaN : Number(r[j])));
        return rows.map((r) => (r[j] === null || r[j] === undefined ? null : String(r[j])));
      });
      yield { length: rows.length, columns };
      if (rows.length < READ_BATCH_ROWS) return;
    }
  } finally {
    await pglite.query('close stormops_read');
  }
}

/** Server Postgres: binary `COPY (query) TO STDOUT`, with the parameters inlined as quoted literals (COPY takes none). */
async function* copyOutColumns(
  client: pg.PoolClient,
  query: string,
  params: unknown[],
  types: readonly ColumnType[],
): AsyncGenerator<ColumnBatch> {
  const sql = query.replace(/\$(\d+)/g, (_m, n: string) => {
    const v = params[Number(n) - 1];
    if (v === undefined) throw new Error(`readColumns: no value for $${n}`);
    return v === null ? 'null' : client.escapeLiteral(String(v));
  });
  const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT binary)`));
  const decoder = new CopyBinaryDecoder(types, READ_BATCH_ROWS);
  for await (const chunk of stream as AsyncIterable<Buffer>) yield* decoder.push(chunk);
  const last = decoder.end();
  if (last) yield last;
}

/** A staged copy: the temporary table's name and column definitions, the rows, and the statement that moves them. */
export interface StagedCopy {
  /** The staging table's name (a temporary table, dropped at commit). */
  stage: string;
  /** Its column definitions, `seq integer, reason text, ...`, in the order of each row's values. */
  columns: string;
  /** COPY text rows (copyLine), in the order of `columns`. */
  rows: AsyncIterable<CopyText> | Iterable<CopyText>;
  /** The INSERT ... SELECT (or other statement) that moves the staged rows, reading `stage`. */
  insert: string;
  params?: unknown[];
}

/**
 * The staged copy every bulk writer into a tenant table makes: COPY is refused on a table under row-level security,
 * so the rows are COPYed into a temporary staging table (dropped at commit) and moved by one statement that RLS
 * checks row by row. Returns the rows that statement affected.
 */
export async function stagedCopy(tx: BulkTx, s: StagedCopy): Promise<number> {
  await tx.query(`create temp table ${s.stage} (${s.columns}) on commit drop`);
  await tx.copy(`COPY ${s.stage} FROM STDIN`, s.rows);
  return tx.command(s.insert, s.params ?? []);
}

/** One value in COPY text format: \N for null, backslash escapes for the characters COPY treats specially. */
export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return typeof value === 'number' && !Number.isFinite(value) ? '\\N' : String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + copyValue(values[i]);
  return line + '\n';
}
