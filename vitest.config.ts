import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['target/**/*.test.ts', 'harness/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Tests start real servers, worker pools and child processes on a 2-core machine: run files one
    // at a time so timing ratios are not distorted by other test files competing for the CPU.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
