/**
 * V8 flags the platform's process runs with: `npm start`, the `stormops` command (its #! line) and the benchmarks'
 * server and import processes (bench/). Keep those three in step with this list.
 *
 * --max-semi-space-size=32 (MB; Node 20's default is 16): a property import allocates its rows' strings and objects
 * faster than a 16 MB young generation turns over while the database is being written, so about a third of each
 * scavenge survived and was copied and promoted. On the 1M-row import (bench/import-worker.ts): scavenges
 * 1.4-1.6 s -> 0.19-0.21 s (--trace-gc, 3 and 2 runs), the import process's CPU (user + system) 6.7-9.4 s ->
 * 5.5-6.4 s (5 and 8 runs).
 */
export const NODE_FLAGS = ['--max-semi-space-size=32'];
