import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['kernel-lib/test/**/*.test.ts', 'extension/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/jupyterlab-app/**'],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
