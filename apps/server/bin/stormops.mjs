#!/usr/bin/env -S node --max-semi-space-size=32
// Runs the TypeScript CLI directly through tsx: no build step between a change and `npx stormops`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/entry.ts');
