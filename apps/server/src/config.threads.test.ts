import { upliftThreads, setUpliftThreads } from '@stormops/uplift/threads';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from './cli/runtime.ts';
import { loadConfig } from './config.ts';

const quiet = { out: { write: () => true }, err: { write: () => true } } as never;

describe('STORMOPS_THREADS', () => {
  afterEach(() => setUpliftThreads(1));

  it('defaults to every core, takes 1..64, refuses anything else naming the variable', () => {
    expect(loadConfig({}).threads).toBe(Math.min(64, availableParallelism()));
    expect(loadConfig({ STORMOPS_THREADS: 'auto' }).threads).toBe(Math.min(64, availableParallelism()));
    expect(loadConfig({ STORMOPS_THREADS: '1' }).threads).toBe(1);
    expect(loadConfig({ STORMOPS_THREADS: '64' }).threads).toBe(64);
    for (const bad of ['0', '65', '1.5', 'all', '-2', ' 2x'])
      expect(() => loadConfig({ STORMOPS_THREADS: bad })).toThrow(
        /configuration STORMOPS_THREADS: must be 'auto' or an integer from 1 to 64/,
      );
  });

  it('is what the CLI (and so npm start) sets the uplift engine to before a command runs', async () => {
    const one = createRuntime(async () => loadConfig({ STORMOPS_THREADS: '1' }), quiet);
    await one.prepare(undefined);
    expect(upliftThreads()).toBe(1);
    const all = createRuntime(async () => loadConfig({}), quiet);
    await all.prepare(undefined);
    expect(upliftThreads()).toBe(Math.min(64, availableParallelism()));
  });
});
