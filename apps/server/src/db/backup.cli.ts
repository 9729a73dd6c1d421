/** `stormops backup create|verify|restore` (docs/operations.md, "Backups"). */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliRuntime } from '../cli/runtime.ts';
import { keyValues } from '../cli/output.ts';
import type { Config } from '../config.ts';

export function registerBackupCommands(program: Command, rt: CliRuntime): void {
  const backup = program.command('backup').description('write, verify and restore full backups of the database');
  backup
    .command('create')
    .description(
      'write a backup file, verify it restores (unless --no-verify) and record it (health checks read its age)',
    )
    .requiredOption('--out <file>', 'where the backup goes')
    .option('--no-verify', 'skip the restore check (the backup then counts as unverified)')
    .option('--json', 'print JSON')
    .action((o: { out: string; verify: boolean; json?: boolean }) =>
      rt.runRaw(o, async (database) => {
        await (await import('./migrate.ts')).migrate(database);
        return (await import('./backup.ts')).createBackup(database, resolve(o.out), { verify: o.verify });
      }),
    );
  backup
    .command('verify <file>')
    .description('check the checksums, restore into a scratch database and compare every table with the manifest')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const path = resolve(file);
      const serverUrl = rt.config.database.kind === 'postgres' ? rt.config.database.url : undefined;
      const r = await (await import('./backup.ts')).verifyBackup(path, { serverUrl });
      const recorded = await recordVerification(rt.config, path);
      print(rt, o, { ...r, recorded });
    });
  backup
    .command('restore <file>')
    .description('restore into an empty data folder (embedded) or an empty database (DATABASE_URL), then check it')
    .option('--data-dir <dir>', 'embedded: the new data folder (default STORMOPS_DATA_DIR or .stormops)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { dataDir?: string; json?: boolean }) => {
      const target: Config['database'] =
        o.dataDir && rt.config.database.kind === 'pglite'
          ? { kind: 'pglite', dataDir: resolve(o.dataDir) }
          : rt.config.database;
      print(rt, o, await (await import('./backup.ts')).restoreBackup(resolve(file), target));
    });
}

function print(rt: CliRuntime, o: { json?: boolean }, r: object): void {
  rt.out.write((o.json ? JSON.stringify(r, null, 2) : keyValues(r as Record<string, unknown>)) + '\n');
}

/**
 * Marks the backup verified in the database it came from, when that is the configured one and it can be opened now
 * (an embedded data folder in use by a running server cannot: the verification then stands in the output only).
 */
async function recordVerification(config: Config, path: string): Promise<boolean> {
  const { readManifest } = await import('./backup-file.ts');
  const { markVerified } = await import('./backup.ts');
  const { openDatabase } = await import('./database.ts');
  const { manifest } = await readManifest(path);
  if (manifest.database_kind !== config.database.kind) return false;
  if (config.database.kind === 'pglite' && !existsSync(join(config.database.dataDir, 'pgdata'))) return false;
  try {
    const db = await openDatabase(config.database);
    try {
      return (await markVerified(db, manifest.backup_id)) !== null;
    } finally {
      await db.close();
    }
  } catch {
    return false;
  }
}
