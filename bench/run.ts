/** `npm run bench [name...]`: runs bench/*.bench.ts, prints figures against targets, saves bench/results/<name>.json. */
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { passes, type BenchModule } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const selected = files.filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')));
if (selected.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; have: ${files.join(', ')}`);
  process.exit(2);
}
const databaseUrl = process.env['STORMOPS_BENCH_DATABASE_URL'] ?? process.env['DATABASE_URL'];
await mkdir(join(here, 'results'), { recursive: true });
let failed = 0;
for (const file of selected) {
  const name = file.replace('.bench.ts', '');
  const tmpDir = await mkdtemp(join(tmpdir(), `stormops-bench-${name}-`));
  console.log(`\n== ${name}`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
    const figures = await mod.run({ databaseUrl, tmpDir, log: (m) => console.log(`   ${m}`) });
    for (const f of figures) {
      const ok = passes(f);
      if (ok === false) failed++;
      const target = f.target ? ` (target ${f.target.op} ${f.target.value}) ${ok ? 'PASS' : 'FAIL'}` : '';
      console.log(`  ${f.name}: ${round(f.value)} ${f.unit}${target}${f.notes ? `  [${f.notes}]` : ''}`);
    }
    const record = {
      benchmark: name,
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      figures: figures.map((f) => ({ ...f, pass: passes(f) })),
    };
    await writeFile(join(here, 'results', `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  } catch (err) {
    failed++;
    console.error(`  ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}
console.log(failed ? `\n${failed} figure(s) missed their target or failed` : '\nall figures met their targets');
process.exitCode = failed ? 1 : 0;

function round(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4);
}
