import { defineConfig } from 'vitest/config';

// Two tiers. `unit`: the library's and the extension's own tests, no Jupyter, Chromium, Slurm or Python
// (`npm run test:unit`, for daily work). `integration`: real kernels, browsers, clusters, the Python parity
// baseline and tslab's own compiler. `npm test` (README, CI) runs both.
const SLOW_OR_EXTERNAL = [
  'kernel-lib/test/aggregate/parity-python.test.ts',
  'kernel-lib/test/types/tslab-typescript.test.ts',
];

const shared = {
  testTimeout: 30_000,
  hookTimeout: 600_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['kernel-lib/test/**/*.test.ts', 'extension/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...SLOW_OR_EXTERNAL],
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['test/**/*.test.ts', ...SLOW_OR_EXTERNAL],
          exclude: ['**/node_modules/**', 'test/jupyterlab-app/**'],
        },
      },
    ],
  },
});
