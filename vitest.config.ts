import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Guards, not measures: no test may depend on how fast the machine is (it waits on conditions, on an injected clock
    // or on explicit synchronisation), so these only stop a test that would otherwise hang. They are generous because
    // CI shares two cores with whatever else runs; tests that spawn processes or send hundreds of posts set their own.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Database-backed suites share one PostgreSQL; files run in parallel but each uses its own schema.
    pool: 'forks',
  },
});
