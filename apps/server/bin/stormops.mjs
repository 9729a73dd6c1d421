#!/usr/bin/env -S node --max-semi-space-size=32
// Runs the CLI built once at install (`prepare`: build/build.mjs writes dist/). When the build is missing or a source
// file is newer than it (a developer's edit), runs the TypeScript through tsx instead: always the current code,
// only slower; `npm run build` makes it fast again.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const app = join(import.meta.dirname, '..');
const built = join(app, 'dist/stormops.mjs');

function newestSource() {
  let newest = 0;
  for (const root of [join(app, 'src'), join(app, '../../packages')]) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root, { recursive: true })) {
      if (name.includes('node_modules') || name.endsWith('.test.ts')) continue;
      const t = statSync(join(root, name)).mtimeMs;
      if (t > newest) newest = t;
    }
  }
  return newest;
}

if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/entry.ts');
}
