import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The public data the statistics suites check against (Hillstrom, NOAA SPC reports) sits beside the repository, in
// ../shared/data. Suites that need it read its path from STORMOPS_SHARED_DATA and are skipped, saying so, when it
// is missing.
const sharedData = fileURLToPath(new URL('../shared/data/', import.meta.url));
const haveSharedData = existsSync(`${sharedData}hillstrom.csv`) && existsSync(`${sharedData}spc`);
if (!haveSharedData)
  console.warn(`${sharedData} is missing: the suites on the Hillstrom and SPC data are skipped (see README, Tests)`);

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['apps/server/test/global-setup.ts'],
    env: { STORMOPS_SHARED_DATA: haveSharedData ? sharedData : '' },
  },
});
