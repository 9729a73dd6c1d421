/**
 * Backups round-trip on both backends: create (verified by a scratch restore), verify, restore into an empty data
 * folder or database, and the restored database has every table's row count and checksum. Damage is caught.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createScratchDatabase, describeEachDatabase, SERVER_URL } from '../../test/databases.ts';
import { newTenant, tenantCtx } from '../../test/helpers.ts';
import { historyCsv } from '../domains/demo/properties-csv.ts';
import { importProperties } from '../domains/properties/properties.service.ts';
import { createStorm } from '../domains/storms/storms.service.ts';
import { backupStatus, createBackup, restoreBackup, verifyBackup } from './backup.ts';
import { readManifest, tableSums } from './backup-file.ts';
import { openDatabase, type Database, type RawQuery } from './database.ts';
import { sql } from 'kysely';

describeEachDatabase('backups', (t) => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stormops-backup-'));
    for (const seed of [1, 2]) {
      const { tenantId } = await newTenant(t().db);
      const ctx = tenantCtx(t().db, tenantId);
      const storm = await createStorm(ctx, { event_id: `BACKUP_${seed}`, name: `backup ${seed}` });
      await importProperties(ctx, { storm_id: storm.storm_id, source: [historyCsv(300, seed)] });
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const live = () => tableSums(rawOf(t().db));

  it('creates a verified backup whose manifest matches the live database, and reports its age', async () => {
    const before = await backupStatus(t().db);
    const path = join(dir, 'one.backup');
    const b = await createBackup(t().db, path);
    expect(b.verified_at).not.toBeNull();
    expect(b.database).toBe(t().kind);
    const { manifest } = await readManifest(path);
    const sums = await live();
    // The backup itself adds its backup_log row after the snapshot: every other table is as it was.
    const { backup_log: _logNow, ...rest } = sums;
    const { backup_log: _logThen, ...backedUp } = manifest.tables;
    expect(backedUp).toEqual(rest);
    expect(Object.values(backedUp).some((s) => s.rows >= 300)).toBe(true);
    const status = await backupStatus(t().db);
    expect(status.ok).toBe(true);
    expect(status.age_hours).toBeLessThan(1);
    expect(
      before.last_verified_backup_at === null || before.last_verified_backup_at < status.last_verified_backup_at!,
    ).toBe(true);
  });

  it('restores into an empty database with the same row counts and checksums per table', async () => {
    const path = join(dir, 'two.backup');
    await createBackup(t().db, path, { verify: false });
    const { manifest } = await readManifest(path);
    if (t().kind === 'pglite') {
      const dataDir = join(dir, 'restored');
      const r = await restoreBackup(path, { kind: 'pglite', dataDir });
      expect(r.tables).toBe(Object.keys(manifest.tables).length);
      const db = await openDatabase({ kind: 'pglite', dataDir });
      try {
        expect(await tableSums(rawOf(db))).toEqual(manifest.tables);
      } finally {
        await db.close();
      }
      await expect(restoreBackup(path, { kind: 'pglite', dataDir })).rejects.toMatchObject({ code: 'CONFLICT' });
    } else {
      const scratch = await createScratchDatabase(SERVER_URL as string);
      try {
        await restoreBackup(path, { kind: 'postgres', url: scratch.url });
        const db = await openDatabase({ kind: 'postgres', url: scratch.url });
        try {
          expect(await tableSums(rawOf(db))).toEqual(manifest.tables);
          // The restored database works as the platform's: tenant isolation and all.
          const tenants = await db.withPlatform((trx) => trx.selectFrom('tenant').select('tenant_id').execute());
          expect(tenants.length).toBeGreaterThanOrEqual(2);
        } finally {
          await db.close();
        }
        await expect(restoreBackup(path, { kind: 'postgres', url: scratch.url })).rejects.toMatchObject({
          code: 'CONFLICT',
        });
      } finally {
        await scratch.drop();
      }
    }
  });

  it('refuses a damaged or foreign file with a clear error', async () => {
    const path = join(dir, 'three.backup');
    await createBackup(t().db, path, { verify: false });
    const bytes = await readFile(path);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    const damaged = join(dir, 'damaged.backup');
    await writeFile(damaged, bytes);
    await expect(verifyBackup(damaged, { serverUrl: t().url })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/damaged/),
    });
    await writeFile(join(dir, 'foreign'), 'hello\n');
    await expect(verifyBackup(join(dir, 'foreign'))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/not a StormOps backup/),
    });
    const other =
      t().kind === 'pglite'
        ? { kind: 'postgres' as const, url: 'postgres://x@127.0.0.1:1/x' }
        : { kind: 'pglite' as const, dataDir: join(dir, 'x') };
    await expect(restoreBackup(path, other)).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('catches a backup whose data does not match its manifest', async () => {
    const path = join(dir, 'four.backup');
    await createBackup(t().db, path, { verify: false });
    const { manifest, payloadStart } = await readManifest(path);
    const table = Object.keys(manifest.tables).find((n) => (manifest.tables[n]?.rows ?? 0) > 0)!;
    const lying = {
      ...manifest,
      tables: { ...manifest.tables, [table]: { rows: manifest.tables[table]!.rows + 1, checksum: '0' } },
    };
    const bytes = await readFile(path);
    const forged = join(dir, 'forged.backup');
    await writeFile(
      forged,
      Buffer.concat([Buffer.from(`STORMOPS-BACKUP 1\n${JSON.stringify(lying)}\n`), bytes.subarray(payloadStart)]),
    );
    await expect(verifyBackup(forged, { serverUrl: t().url })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { tables: [expect.objectContaining({ table })] },
    });
  });
});

function rawOf(db: Database): RawQuery {
  return async (text) =>
    (await sql.raw<Record<string, unknown>>(text).execute(db.owner)) as { rows: Record<string, unknown>[] };
}
