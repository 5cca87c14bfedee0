import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database-backed suites share one PostgreSQL; files run in parallel but each uses its own schema.
    pool: 'forks',
  },
});
