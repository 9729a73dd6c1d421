/** `stormops db migrate|status`. */
import type { Command } from 'commander';
import type { CliRuntime } from './runtime.ts';
import { table } from './output.ts';
import { resolve } from 'node:path';

export function registerDbCommands(program: Command, rt: CliRuntime): void {
  const db = program.command('db').description('database migrations');
  db.command('migrate')
    .description('apply pending migrations (also done at start)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      rt.runRaw(
        o,
        async (database) => ({
          database: database.kind,
          applied: await (await import('../db/migrate.ts')).migrate(database),
        }),
        (r) =>
          r.applied.length ? `applied ${r.applied.join(', ')} on ${r.database}` : `already current on ${r.database}`,
      ),
    );
  db.command('backup')
    .description('same as `stormops backup create` (kept for scripts written before it)')
    .requiredOption('--out <file>', 'where the backup goes')
    .option('--json', 'print JSON')
    .action((o: { out: string; json?: boolean }) =>
      rt.runRaw(o, async (database) => {
        await (await import('../db/migrate.ts')).migrate(database);
        return (await import('../db/backup.ts')).createBackup(database, resolve(o.out));
      }),
    );
  db.command('status')
    .description('show every migration and whether it is applied')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      rt.runRaw(
        o,
        async (database) => ({
          database: database.kind,
          migrations: await (await import('../db/migrate.ts')).migrationStatus(database),
        }),
        (r) => `${r.database}\n${table(r.migrations)}`,
      ),
    );
}
