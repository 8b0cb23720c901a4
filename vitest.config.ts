import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'analysis/**/*.test.ts'],
    // Browser suites and both databases share two cores in CI: generous limits, no timed assertions.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
