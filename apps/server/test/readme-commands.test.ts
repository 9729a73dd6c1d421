/**
 * Every command block of README.md, run against a scratch database: each `npx stormops ...` line (and each
 * `X=$(npx stormops ... --json | jq -r .field)`) runs through the CLI in order and must exit 0, so the README cannot
 * drift from the CLI. Placeholders resolve to what earlier lines made (TENANT_ID, STORM_ID, MODEL_ID, PROPERTY_ID,
 * TOKEN_ID); `homes.csv` and `past-campaign.csv` are generated. The client examples (`STORMOPS_URL=... STORMOPS_TOKEN=...
 * npx stormops ...`, `--url`) speak over loopback HTTP to the API serving the same database, with the README's tenant
 * credential. Lines that are not the CLI (npm, curl) must be in the list below, so a new kind of line cannot slip by
 * untested.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { createRuntime } from '../src/cli/runtime.ts';
import { loadConfig } from '../src/config.ts';
import { historyCsv, propertiesCsv } from '../src/domains/demo/properties-csv.ts';
import { buildApp } from '../src/http/app.ts';
import { describeEachDatabase } from './databases.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
/** README lines that are not `stormops` commands: the shell around it, checked elsewhere (install, server, suites). */
const NOT_CLI = [/^npm (install|start|test|run [a-z:]+)\b/, /^curl /];
/** CLI lines that need a service outside this machine, each tested elsewhere against a real one. */
const NEEDS_OUTSIDE = [
  // Discovers the OpenID provider named by --issuer (the SSO suites run a real provider on loopback).
  /^npx stormops sso set /,
];

interface Line {
  text: string;
  /** `X=$(...)`: the variable, and the field jq reads. */
  capture?: { name: string; field: string };
}

/** The README's bash blocks, as commands: continuations joined, comments dropped, `a && b` split. */
function readmeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const out: string[] = [];
  for (const block of blocks) {
    const joined = block.replace(/\\\n\s*/g, ' ');
    for (const raw of joined.split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      if (!line) continue;
      for (const part of line.split(/\s+&&\s+/)) out.push(part.trim());
    }
  }
  return out;
}

function parse(command: string): Line {
  const m = /^([A-Z]+)=\$\((.*)\s*\|\s*jq -r \.(\w+)\)$/.exec(command);
  return m ? { text: m[2]!.trim(), capture: { name: m[1]!, field: m[3]! } } : { text: command };
}

/** Splits a command line like a shell (double and single quotes). */
function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describeEachDatabase('README command blocks', (t) => {
  let dir: string;
  let cwd: string;
  let server: Awaited<ReturnType<typeof buildApp>>;
  let url: string;
  const PLATFORM_TOKEN = 'readme-test-operator-token-0123456789';
  beforeAll(async () => {
    server = await buildApp({ db: t().db, platformToken: PLATFORM_TOKEN });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'stormops-readme-'));
    await writeFile(join(dir, 'homes.csv'), propertiesCsv(600, 16, 'planning'));
    await writeFile(join(dir, 'past-campaign.csv'), historyCsv(1500, 17));
    cwd = process.cwd();
    process.chdir(dir); // a PDF written "to pilot-<storm>.pdf" lands in the scratch folder
  });
  afterAll(async () => {
    process.chdir(cwd);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!process.env['STORMOPS_SHARED_DATA'])(
    'runs every stormops command of README.md in order, each exiting 0',
    { timeout: 600_000 },
    async () => {
      const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
      const commands = readmeCommands(readme);
      expect(commands.length).toBeGreaterThan(30);
      const vars: Record<string, string> = {};
      const db = t().db;
      const placeholder = async (name: string): Promise<string> => {
        switch (name) {
          case 'TENANT_ID':
            return vars['TENANT_ID'] ?? vars['T']!;
          case 'STORM_ID':
            return vars['STORM_ID'] ?? vars['S']!;
          case 'MODEL_ID':
            return (await sql<{
              id: string;
            }>`select model_id::text as id from uplift_model order by created_at desc limit 1`.execute(db.owner))!
              .rows[0]!.id;
          case 'PROPERTY_ID':
            return (
              await sql<{
                id: string;
              }>`select a.property_id::text as id from assignment a where a.storm_id = ${vars['S']!}
              and a.arm = 'treat' order by a.property_id limit 1`.execute(db.owner)
            ).rows[0]!.id;
          case 'TOKEN_ID':
            return (
              await sql<{ id: string }>`select token_id::text as id from api_token
              where tenant_id = ${await placeholder('TENANT_ID')} and revoked_at is null order by created_at desc limit 1`.execute(
                db.owner,
              )
            ).rows[0]!.id;
          case 'USER_ID': // the newest user of the tenant (one the README invited), not its first admin
            return (
              await sql<{ id: string }>`select user_id::text as id from app_user
              where tenant_id = ${await placeholder('TENANT_ID')} order by created_at desc limit 1`.execute(db.owner)
            ).rows[0]!.id;
          default:
            throw new Error(`README placeholder ${name} is unknown to this test`);
        }
      };
      let ran = 0;
      for (const command of commands) {
        const line = parse(command);
        // Leading VAR=value words are the command's environment (the client examples).
        const env: Record<string, string> = {};
        let text = line.text;
        for (let m = /^([A-Z_]+)=(\S+)\s+/.exec(text); m; m = /^([A-Z_]+)=(\S+)\s+/.exec(text)) {
          env[m[1]!] = m[1] === 'STORMOPS_URL' ? url : m[1] === 'STORMOPS_TOKEN' ? vars['TOKEN']! : m[2]!;
          text = text.slice(m[0].length);
        }
        if (NEEDS_OUTSIDE.some((re) => re.test(text))) continue;
        if (!text.startsWith('npx stormops')) {
          expect(
            NOT_CLI.some((re) => re.test(command)),
            `a README line that is not the CLI: ${command}`,
          ).toBe(true);
          continue;
        }
        const argv: string[] = [];
        const remote = 'STORMOPS_URL' in env || words(text).includes('--url');
        if (remote) env['STORMOPS_TOKEN'] ??= vars['TOKEN']!;
        for (const w of words(text).slice(2)) {
          let word = w.replace(/\$([A-Z]+)/g, (_, v: string) => vars[v] ?? `$${v}`);
          for (const p of word.match(/\b[A-Z]+_ID\b/g) ?? []) word = word.replace(p, await placeholder(p));
          if (word.startsWith('../shared/')) word = resolve(ROOT, word);
          if (argv.at(-1) === '--url') word = url; // --url: the server under test
          argv.push(word);
        }
        let out = '';
        let err = '';
        const rt = createRuntime(
          loadConfig({ ...env, STORMOPS_DATA_DIR: join(dir, 'unused') }),
          { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) } },
          remote ? undefined : db,
        );
        const code = await main(argv, env, rt);
        expect(code, `${command}\n${err}`).toBe(0);
        ran++;
        const json = argv.includes('--json') || line.capture ? (JSON.parse(out) as Record<string, unknown>) : undefined;
        if (line.capture) vars[line.capture.name] = String(json?.[line.capture.field]);
        if (json?.['admin_token']) vars['TOKEN'] ??= String(json['admin_token']);
        if (json && argv[0] === 'tenant' && argv[1] === 'provision') vars['TENANT_ID'] ??= String(json['tenant_id']);
        if (json && argv[0] === 'storm' && argv[1] === 'create') vars['STORM_ID'] ??= String(json['storm_id']);
      }
      expect(ran).toBeGreaterThan(30);
    },
  );
});
