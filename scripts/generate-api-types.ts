/**
 * Writes the web app's API types from the server's OpenAPI document, so the front end never
 * guesses a response shape: `npm run api:generate` after changing a route or schema. A test fails
 * while the committed types are stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiTypesSource } from '../apps/server/src/openapi-types.ts';

const target = fileURLToPath(new URL('../apps/web/src/lib/api/schema.d.ts', import.meta.url));
writeFileSync(target, await apiTypesSource());
console.log(`Wrote ${target}`);
