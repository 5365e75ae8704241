import { defineConfig } from 'vitest/config';

// Two tiers. `unit`: the library's and the extension's own tests, no Jupyter, Chromium, Slurm or Python
// (`npm run test:unit`, for daily work). `integration`: real kernels, browsers, clusters, the Python parity
// baseline and tslab's own compiler. `npm test` (README, CI) runs both.
const SLOW_OR_EXTERNAL = [
  // Python, and tslab's own TypeScript compiler
  'kernel-lib/test/aggregate/parity-python.test.ts',
  'kernel-lib/test/types/**/*.test.ts',
  // Process-heavy end-to-end runs: signals, hostile generators, the soak, doctor and the contract
  'kernel-lib/test/hardening/soak.test.ts',
  'kernel-lib/test/run/signals-cli.test.ts',
  'kernel-lib/test/run/hostile-process.test.ts',
  'kernel-lib/test/cli/cancel-cli.test.ts',
  'kernel-lib/test/cli/strict-warnings.test.ts',
  'kernel-lib/test/cli/flat-keys.test.ts',
  'kernel-lib/test/contract/**/*.test.ts',
  // Builds the reference statistics twice
  'kernel-lib/test/reference/build-and-block.test.ts',
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
