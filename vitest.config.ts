import { defineConfig } from 'vitest/config';

// Two tiers. `unit`: the library's and the extension's own tests, no Jupyter, Chromium or Slurm (`npm run
// test:unit`, for daily work: fuzzers at a quarter of their cases, files not isolated; see package.json).
// `integration`: real kernels, browsers, clusters, the Python parity baseline, tslab's own compiler, and end-to-end
// runs of the built `emotune` CLI as a process. `npm test` (README, CI) runs both. kernel-lib/test/layout/
// test-tiers.test.ts checks that every entry below still names a test file.
export const SLOW_OR_EXTERNAL = [
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
  // The `emotune` CLI end to end as real processes: generate, classify, evaluate (the report), analyze, a full
  // disk, and the worker threads against a process per run. Their library functions have unit tests of their own.
  'kernel-lib/test/generate/embedded/contract.test.ts',
  'kernel-lib/test/**/emotion-builtin/cli.test.ts',
  'kernel-lib/test/display/report-figures.test.ts',
  'kernel-lib/test/cli/cli-commands.test.ts',
  'kernel-lib/test/run/disk-full.test.ts',
  'kernel-lib/test/run/in-process-parity.test.ts',
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
