/** The CLI and HTTP faces of analyze, in-process: same JSON, errors as one line / one error body. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createRuntime } from '../../cli/runtime.ts';
import { main } from '../../cli/main.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { buildApp } from '../../http/app.ts';
import { PLATFORM } from '../auth/principal.ts';
import { clientFor } from '../../sdk.ts';

/** The shared public data (vitest.config.ts): empty when ../shared/data is missing, and these suites are skipped. */
const DATA = process.env['STORMOPS_SHARED_DATA'] ?? '';
const HILLSTROM = `${DATA}hillstrom.csv`;
const ARGS = [
  'analyze',
  '--csv',
  HILLSTROM,
  '--arm-col',
  'segment',
  '--treat',
  'Womens E-Mail',
  '--control',
  'No E-Mail',
  '--outcome',
  'visit',
];

async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const rt = createRuntime(loadConfig({}), {
    out: { write: (s) => void (out += s) },
    err: { write: (s) => void (err += s) },
  });
  const code = await main(argv, {}, rt);
  return { code, out, err };
}

describe.skipIf(!DATA)('stormops analyze', () => {
  it('--json prints the analysis with the contract keys', async () => {
    const r = await cli([...ARGS, '--value', 'spend', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.treat).toEqual({ n: 21387, conversions: 3238, rate: 3238 / 21387 });
    expect(j.control.conversions).toBe(2262);
    expect(Object.keys(j.lift)).toEqual(['absolute', 'absolute_ci', 'relative', 'relative_ci', 'p_value']);
    expect(j.srm).toMatchObject({ flagged: false });
    expect(Object.keys(j.value)).toEqual(['treat_mean', 'control_mean', 'diff', 'diff_ci', 'p_value']);
  });

  it('human output: table, lift and a verdict', async () => {
    const r = await cli([...ARGS, '--alpha', '0.01']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/treat\s+21387\s+3238\s+15\.14%/);
    expect(r.out).toMatch(/Treatment raised the visit rate from 10\.62% to 15\.14%: \+4\.52 pts .* 99% CI/);
  });

  it('bad input exits 2 with one line naming the problem', async () => {
    const r = await cli([...ARGS.slice(0, -1), 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: VALIDATION: .*hillstrom\.csv: column "nope" \(--outcome\) not found/);
    const a = await cli([...ARGS, '--alpha', 'x']);
    expect(a.err).toMatch(/--alpha: "x" is not a number/);
  });
});

describe('POST /v1/analyze', () => {
  const token = 'test-platform-token-analyze-0123456789';
  const auth = { authorization: `Bearer ${token}` };
  let db: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite-memory' });
    app = await buildApp({ db, platformToken: token });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const url = '/v1/analyze?arm_col=arm&treat=T&control=C&outcome=y&value=v';
  const csv = 'arm,y,v\nT,1,10\nT,0,0\nT,1,5\nC,0,0\nC,1,4\nC,0,0\nX,1,1\n';

  it('analyzes a text/csv body', async () => {
    const r = await app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      treat: { n: 3, conversions: 2 },
      control: { n: 3, conversions: 1 },
      ignored_rows: 1,
      file: 'upload',
    });
  });

  it.skipIf(!DATA)('the SDK gives the same analysis', async () => {
    const ops = clientFor(db, PLATFORM);
    const r = await ops.analyze.csvStream([new TextEncoder().encode(csv)], {
      arm_col: 'arm',
      treat: 'T',
      control: 'C',
      outcome: 'y',
    });
    expect(r).toMatchObject({ treat: { n: 3, conversions: 2 }, control: { n: 3, conversions: 1 }, ignored_rows: 1 });
    const h = await ops.analyze.csvFile(HILLSTROM, {
      arm_col: 'segment',
      treat: 'Womens E-Mail',
      control: 'No E-Mail',
      outcome: 'visit',
    });
    expect(h.treat.n).toBe(21387);
  });

  it('400 naming row and column, 415 without a CSV body, 401 without a token', async () => {
    const bad = await app.inject({
      method: 'POST',
      url,
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: 'arm,y,v\nT,maybe,1\n',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION', details: { row: 2, column: 'y' } });
    const json = await app.inject({
      method: 'POST',
      url,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(json.statusCode).toBe(415);
    const anon = await app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(anon.statusCode).toBe(401);
  });
});
