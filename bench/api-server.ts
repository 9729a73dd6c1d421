/**
 * The API in a process of its own for load benchmarks, as it runs in production (not inside the benchmark's own
 * process, whose heap holds the setup): `tsx bench/api-server.ts DATABASE_URL [--no-auth-cache]`. Prints
 * `{"port": N}` once listening; stops on SIGTERM. `--no-auth-cache` forgets cached credentials after every response,
 * so each request verifies its token against the database.
 */
import { openDatabase } from '../apps/server/src/db/database.ts';
import { forgetTenantCredentials } from '../apps/server/src/domains/auth/tokens.ts';
import { buildApp } from '../apps/server/src/http/app.ts';

const [url, flag] = process.argv.slice(2);
if (!url) throw new Error('usage: tsx bench/api-server.ts DATABASE_URL [--no-auth-cache]');
const db = await openDatabase({ kind: 'postgres', url });
const app = await buildApp({ db, platformToken: undefined });
if (flag === '--no-auth-cache') {
  app.addHook('onResponse', async (request) => {
    if (request.principal?.kind === 'tenant') forgetTenantCredentials(db, request.principal.tenantId);
  });
}
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => db.close())
    .then(() => process.exit(0));
});
