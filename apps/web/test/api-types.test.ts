/** The committed web API types match the API: a route changed without `npm run api:types` fails here. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openApiDocument, renderApiTypes, SCHEMA_FILE } from '../../../scripts/web-api-types.ts';

it(
  'apps/web/src/api/schema.d.ts is what npm run api:types writes from /openapi.json',
  { timeout: 60_000 },
  async () => {
    const fresh = renderApiTypes(await openApiDocument());
    expect(readFileSync(SCHEMA_FILE, 'utf8') === fresh, 'schema.d.ts is stale: run npm run api:types').toBe(true);
  },
);
