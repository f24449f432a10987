// Prisma CLI config. `engine: 'js'` with a driver adapter makes the CLI use the WASM schema
// engine shipped in the npm package, so generate and migrate diff work offline (Prisma 6.19).
// The CLI is used only at development time: the app applies checked-in SQL migrations itself.
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

const url = process.env.PRISMA_CLI_DATABASE_URL ?? 'file:./data/prisma-cli.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/sqlite/schema.prisma',
  adapter: async () => (url.startsWith('postgres') ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url })),
});
