import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
          // Generators and property tests take a few seconds on an idle box; a loaded 2-core one must not fail them.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // One PostgreSQL per run (embedded unless DATABASE_URL is set); every test file gets its own database.
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two cores: more forks only fight over the CPU that argon2 and PostgreSQL need.
          maxWorkers: 2,
        },
      },
    ],
  },
});
