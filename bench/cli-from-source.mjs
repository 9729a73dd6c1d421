// The CLI run from its TypeScript through tsx, as bin/stormops.mjs does when the build is missing or stale
// (bench/cli.bench.ts compares it with the build).
import { register } from 'tsx/esm/api';

register();
await import('../apps/server/src/cli/entry.ts');
