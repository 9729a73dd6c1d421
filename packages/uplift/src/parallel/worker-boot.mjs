/* global URL */
// Worker entry when running from the TypeScript sources (tsx, vitest): register tsx, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
