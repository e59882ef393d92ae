import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`; migrations are applied by the app itself at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/db/src/schema.ts',
  out: './drizzle',
});
