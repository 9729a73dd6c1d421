/**
 * The backup file: one file an operator can copy anywhere, holding a manifest and the database's own dump.
 *
 *   STORMOPS-BACKUP 1\n
 *   {"format":1,"database_kind":...,"payload_sha256":...,"tables":{...}}\n
 *   <payload: PGlite's gzipped data-folder tarball, or pg_dump's custom format>
 *
 * The manifest carries the payload's SHA-256 and, per table, the row count and an order-independent checksum taken
 * in the same snapshot as the dump; verify and restore recompute both from the restored database.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.ts';
import type { RawQuery } from './database.ts';

const MAGIC = 'STORMOPS-BACKUP 1\n';
const MAX_HEADER = 64 * 1024 * 1024;

export interface TableSum {
  rows: number;
  checksum: string;
}

export interface Manifest {
  format: 1;
  backup_id: string;
  database_kind: 'pglite' | 'postgres';
  created_at: string;
  payload_bytes: number;
  payload_sha256: string;
  /** Applied migration versions, so a restore into an older build is refused rather than half-understood. */
  migrations: number[];
  tables: Record<string, TableSum>;
}

/** Writes MAGIC, the manifest and the payload file's bytes into `path`. */
export async function writeBackupFile(path: string, manifest: Manifest, payloadPath: string): Promise<number> {
  const out = createWriteStream(path, { mode: 0o600 });
  out.write(MAGIC + JSON.stringify(manifest) + '\n');
  await pipeline(createReadStream(payloadPath), out);
  return (await stat(path)).size;
}

export async function sha256OfFile(path: string, start = 0): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads and checks the manifest; `payloadStart` is the payload's byte offset. Corrupt files are VALIDATION errors. */
export async function readManifest(path: string): Promise<{ manifest: Manifest; payloadStart: number }> {
  const fh = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new AppError('VALIDATION', `backup ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  try {
    const chunks: Buffer[] = [];
    let read = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(1 << 20, MAX_HEADER - read));
      const { bytesRead } = await fh.read(buf, 0, buf.length, read);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      read += bytesRead;
      const all = Buffer.concat(chunks);
      const end = all.indexOf(10, MAGIC.length);
      if (!all.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC)) && all.length >= MAGIC.length)
        throw new AppError('VALIDATION', `${path} is not a StormOps backup (it does not start with ${MAGIC.trim()})`);
      if (end >= 0) return { manifest: parseManifest(path, all.subarray(MAGIC.length, end)), payloadStart: end + 1 };
      if (read >= MAX_HEADER) break;
    }
    throw new AppError('VALIDATION', `${path} is not a StormOps backup (no manifest)`);
  } finally {
    await fh.close();
  }
}

function parseManifest(path: string, bytes: Buffer): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(bytes.toString('utf8')) as Partial<Manifest>;
  } catch {
    throw new AppError('VALIDATION', `${path}: the manifest is not JSON (the file is damaged)`);
  }
  if (m.format !== 1 || (m.database_kind !== 'pglite' && m.database_kind !== 'postgres') || !m.tables)
    throw new AppError('VALIDATION', `${path}: unknown backup format or database kind`);
  return m as Manifest;
}

/** The payload as a stream (pg_restore reads it on stdin) or bytes (PGlite loads a Blob). */
export function payloadStream(path: string, start: number): Readable {
  return createReadStream(path, { start });
}

/** Checks the payload against the manifest's length and SHA-256. */
export async function checkPayload(path: string, manifest: Manifest, start: number): Promise<void> {
  const size = (await stat(path)).size - start;
  if (size !== manifest.payload_bytes)
    throw new AppError(
      'VALIDATION',
      `backup ${path} is truncated or padded: ${size} payload bytes, expected ${manifest.payload_bytes}`,
    );
  const sha = await sha256OfFile(path, start);
  if (sha !== manifest.payload_sha256)
    throw new AppError('VALIDATION', `backup ${path} is damaged: payload SHA-256 ${sha} differs from the manifest's`);
}

/** Per-table row count and an order-independent checksum (sum of the rows' md5 prefixes), every ordinary table. */
export async function tableSums(query: RawQuery): Promise<Record<string, TableSum>> {
  const tables = await query(
    'select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace ' +
      "where n.nspname = 'public' and c.relkind = 'r' order by 1",
  );
  const names = tables.rows.map((r) => String(r['name']));
  const out: Record<string, TableSum> = {};
  // One statement per 200 tables: a database with a table per storm has thousands.
  for (let i = 0; i < names.length; i += 200) {
    const part = names
      .slice(i, i + 200)
      .map(
        (n, j) =>
          `select ${literal(n)} as name, count(*)::bigint::text as rows, ` +
          `coalesce(sum(('x' || substr(md5(t${j}::text), 1, 15))::bit(60)::bigint), 0)::text as checksum from ${n} t${j}`,
      );
    const r = await query(part.join(' union all '));
    for (const row of r.rows)
      out[String(row['name'])] = { rows: Number(row['rows']), checksum: String(row['checksum']) };
  }
  return out;
}

export async function appliedMigrations(query: RawQuery): Promise<number[]> {
  const r = await query('select version from schema_migration order by version');
  return r.rows.map((x) => Number(x['version']));
}

/** Tables whose count or checksum differ between the manifest and a restored database. */
export function differences(expected: Record<string, TableSum>, got: Record<string, TableSum>): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(got)])].sort();
  return names.filter((n) => expected[n]?.rows !== got[n]?.rows || expected[n]?.checksum !== got[n]?.checksum);
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
