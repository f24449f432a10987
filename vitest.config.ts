import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The dataset suites load 541,909 rows into SQLite and PostgreSQL; give them room, and keep
    // database-heavy files from competing for the machine's two cores.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
