import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.ts';
import { isCurrent, migrate, migrationStatus, readMigrations } from './migrate.ts';

describeEachDatabase('migrations', (t) => {
  it('are idempotent: a second run applies nothing and every file reads applied', async () => {
    const { db } = t();
    expect(await migrate(db)).toEqual([]);
    const status = await migrationStatus(db);
    expect(status.length).toBe((await readMigrations()).length);
    expect(status.every((m) => m.state === 'applied' && m.applied_at)).toBe(true);
    expect(await isCurrent(db)).toBe(true);
  });

  it('run concurrently apply each file once', async () => {
    const { db } = t();
    const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
    expect(results.flat()).toEqual([]);
  });

  it('refuse an applied migration whose text changed, and show a pending one as pending', async () => {
    const { db } = t();
    const dir = await mkdtemp(join(tmpdir(), 'stormops-mig-'));
    try {
      const files = await readMigrations();
      for (const f of files)
        await writeFile(join(dir, `${String(f.version).padStart(4, '0')}_${f.name}.sql`), f.sql + '\n-- edited');
      await expect(migrate(db, await readMigrations(dir))).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
      const extra = await mkdtemp(join(tmpdir(), 'stormops-mig-'));
      await mkdir(extra, { recursive: true });
      await writeFile(join(extra, '9999_future.sql'), 'select 1;');
      const status = await migrationStatus(db, [...files, ...(await readMigrations(extra))]);
      expect(status.at(-1)).toMatchObject({ version: 9999, state: 'pending', applied_at: null });
      await rm(extra, { recursive: true, force: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
