/** vitest global setup: build the migrated PGlite template once for the whole run. */
import { ensureTemplate } from './pglite-template.ts';

export default async function setup(): Promise<void> {
  await ensureTemplate();
}
