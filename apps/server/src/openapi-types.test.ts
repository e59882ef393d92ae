import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiTypesSource } from './openapi-types.ts';

describe("the web app's API types", () => {
  it('match the OpenAPI document (run `npm run api:generate` after changing the API)', async () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../web/src/lib/api/schema.d.ts', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(await apiTypesSource());
  });
});
