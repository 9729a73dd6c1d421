/** `stormops start`: the platform in the foreground, with what a new user needs printed once it is ready. */
import type { Command } from 'commander';
import type { CliRuntime } from '../cli/runtime.ts';

export function registerStartCommand(program: Command, rt: CliRuntime): void {
  program
    .command('start')
    .description('migrate, seed the demo tenant and storm (once), and serve the HTTP API and its docs')
    .option('--demo', 'seed the demo tenant and storm (the default, except with STORMOPS_PROFILE=prod)')
    .option('--no-demo', 'do not seed the demo tenant')
    .option('--json', 'print the start-up facts as one JSON line')
    .action(async (o: { demo?: boolean; json?: boolean }) => {
      const { startPlatform } = await import('./start.ts');
      const started = await startPlatform(rt.config, {
        demo: o.demo,
        log: (m) => (o.json ? undefined : rt.err.write(m + '\n')),
      });
      const db =
        rt.config.database.kind === 'pglite'
          ? `embedded Postgres in ${rt.config.database.dataDir}`
          : 'server Postgres (DATABASE_URL)';
      const facts = {
        url: started.url,
        docs: `${started.url}/docs`,
        database: db,
        platform_token: started.platformToken,
        demo: started.demo
          ? { tenant_id: started.demo.tenant_id, storm_id: started.demo.storm.storm_id, token: started.demo.token }
          : null,
      };
      if (o.json) rt.out.write(JSON.stringify(facts) + '\n');
      else {
        const lines = [
          `StormOps is running at ${facts.url}  (API docs: ${facts.docs})`,
          `Database: ${db}`,
          `Operator token: ${facts.platform_token}`,
        ];
        if (facts.demo) {
          lines.push(
            `Demo tenant ${facts.demo.tenant_id}, storm ${facts.demo.storm_id}`,
            `Demo credential: ${facts.demo.token}`,
            `Try: curl -H "Authorization: Bearer ${facts.demo.token}" ${facts.url}/v1/storms`,
          );
        }
        lines.push('Press Ctrl+C to stop.');
        rt.out.write(lines.join('\n') + '\n');
      }
      const stop = () => {
        started.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
