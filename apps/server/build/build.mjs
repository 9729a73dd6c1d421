/* global process, console, performance */
/**
 * Builds the `stormops` command once: esbuild bundles the TypeScript of the CLI and the server (and the workspace
 * packages) into dist/cli/ (an entry and chunks that load when a command needs them), leaving node_modules packages
 * as imports; the SQL migrations and slos.json go beside the modules, where they look for them. Runs at install (`prepare`) and again by bin/stormops.mjs when a
 * source file is newer than the bundle. Writes to a temporary name and renames, so a concurrent start never reads
 * half a file.
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(APP, 'dist');
export const BUNDLE = join(DIST, 'stormops.mjs');
const OUT = join(DIST, 'cli');

/** node_modules stay imports; our own workspace packages (TypeScript sources) are bundled. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@stormops/') || args.path.startsWith('node:')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

export async function buildCli() {
  mkdirSync(DIST, { recursive: true });
  // Code splitting: each command's heavy modules (services, the database, fastify, pdfkit) load in chunks when it runs.
  const tmp = `${OUT}.${process.pid}.tmp`;
  try {
    const result = await build({
      // The uplift engine's worker thread is an entry of its own: the engine starts dist/cli/uplift-worker.js.
      entryPoints: {
        stormops: join(APP, 'src/cli/entry.ts'),
        'uplift-worker': join(APP, '../../packages/uplift/src/parallel/worker.ts'),
      },
      outdir: tmp,
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'warning',
      plugins: [externalPackages],
    });
    // Modules find these beside themselves (import.meta.url): the entry folder and the chunks folder.
    for (const dir of [tmp, join(tmp, 'chunks')]) {
      cpSync(join(APP, 'src/db/migrations'), join(dir, 'migrations'), { recursive: true });
      cpSync(join(APP, 'src/domains/slo/slos.json'), join(dir, 'slos.json'));
    }
    rmSync(OUT, { recursive: true, force: true });
    renameSync(tmp, OUT);
    writeFileSync(BUNDLE, "// Built by build/build.mjs: the CLI's entry.\nimport './cli/stormops.js';\n");
    return result.metafile;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  const meta = await buildCli();
  if (process.argv.includes('--entry-inputs'))
    for (const [name, out] of Object.entries(meta.outputs))
      if (name.endsWith('/stormops.js'))
        console.log(
          Object.keys(out.inputs).join('\n'),
          out.imports
            .filter((i) => i.kind === 'import-statement')
            .map((i) => i.path)
            .join('\n'),
        );
  console.log(`stormops: built ${BUNDLE.replace(`${process.cwd()}/`, '')} in ${Math.round(performance.now() - t0)} ms`);
}
