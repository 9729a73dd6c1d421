/**
 * README's HTTP API table, generated from /openapi.json: each operation with the roles that may call it (from its
 * x-permission and the permission table) and its summary. A test fails when README's table differs;
 * `npx tsx apps/server/src/http/api-table.ts` rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PERMISSIONS, isAction } from '../domains/auth/permissions.ts';

export const START = '<!-- api-table: generated from /openapi.json and the permission table -->';
export const END = '<!-- /api-table -->';

const SHORT: Record<string, string> = { customer_success_manager: 'CSM' };

interface Doc {
  paths: Record<string, Record<string, { summary?: string; 'x-permission'?: string }>>;
}

export function renderApiTable(doc: Doc): string {
  const rows: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const permission = op['x-permission'];
      const who =
        permission && isAction(permission)
          ? `\`${permission}\`: ${PERMISSIONS[permission].roles.map((r) => SHORT[r] ?? r).join(', ')}`
          : permission === 'public'
            ? 'anyone (public)'
            : 'anyone';
      const what = (op.summary ?? '').replace(/\|/g, '\\|');
      rows.push(`| \`${method.toUpperCase()} ${path}\` | ${who} | ${what} |`);
    }
  }
  return [
    START,
    '| method and path | who (permission: roles) | what |',
    '|---|---|---|',
    ...rows,
    '| `GET /healthz`, `GET /readyz` | anyone | liveness; readiness (database reachable, migrations current) |',
    END,
  ].join('\n');
}

/** README with its API table replaced by `table`. */
export function withApiTable(readme: string, table: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README has no api-table markers');
  return readme.slice(0, a) + table + readme.slice(b + END.length);
}

export const README = new URL('../../../../README.md', import.meta.url);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { openDatabase } = await import('../db/database.ts');
  const { migrate } = await import('../db/migrate.ts');
  const { buildApp } = await import('./app.ts');
  const db = await openDatabase({ kind: 'pglite-memory' });
  await migrate(db);
  const app = await buildApp({ db, platformToken: undefined });
  await app.ready();
  const table = renderApiTable(app.swagger() as unknown as Doc);
  writeFileSync(README, withApiTable(readFileSync(README, 'utf8'), table));
  await app.close();
  await db.close();
  console.log(`wrote ${fileURLToPath(README)}`);
}
