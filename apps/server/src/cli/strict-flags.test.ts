/** The CLI refuses unknown flags and extra arguments with one line and exit 2, before touching any database. */
import { expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { main } from './main.ts';
import { createRuntime } from './runtime.ts';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const rt = createRuntime(loadConfig({ STORMOPS_DATA_DIR: '/nonexistent/never-opened' }), {
    out: { write: (s) => void (out += s) },
    err: { write: (s) => void (err += s) },
  });
  return { code: await main(argv, {}, rt), out, err };
}

it('refuses an unknown flag, naming it', async () => {
  const r = await cli('policy', 'apply', '--storm', '00000000-0000-4000-8000-000000000000', '--dry_run');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/unknown option '--dry_run'/);
});

it('refuses extra arguments', async () => {
  const r = await cli('tenant', 'list', 'everything');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/too many arguments/);
});

it('refuses an unknown command', async () => {
  const r = await cli('tenant', 'destroy');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/unknown command 'destroy'/);
});

it('refuses a value outside a flag’s choices, listing them', async () => {
  const r = await cli('policy', 'apply', '--storm', '00000000-0000-4000-8000-000000000000', '--mode', 'reckless');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(
    /argument 'reckless' is invalid\. Allowed choices are conservative, moderate, aggressive, custom/,
  );
});

it('lists a flag’s choices in --help', async () => {
  const r = await cli('storm', 'list', '--help');
  expect((r.out + r.err).replace(/\s+/g, ' ')).toMatch(/choices: "planning", "active", "closed", "cancelled"/);
});
