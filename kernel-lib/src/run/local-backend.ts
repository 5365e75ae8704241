import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { runProcess, type ProcessOutcome } from './process.js';
import { recordFromOutcome } from './record.js';
import { EXP_DIR_VAR } from './strays.js';
import type { BackendHooks, PreparedRun, RunBackend } from './types.js';

/** Per-run logs beside the generator's outputs, so a failure can be read in full. */
export const STDOUT_LOG = 'emotune.stdout.log';
export const STDERR_LOG = 'emotune.stderr.log';

/**
 * The local loop both local backends share: at most `concurrency` runs at once, none started once cancelled
 * (no record: it stays to be run next time), each run's folder made, `runOne`'s outcome recorded.
 */
export async function executeRuns(
  runs: PreparedRun[],
  hooks: BackendHooks,
  concurrency: number,
  runOne: (run: PreparedRun) => Promise<ProcessOutcome>,
): Promise<void> {
  const limit = pLimit(Math.max(1, concurrency));
  await Promise.all(
    runs.map((run) =>
      limit(async () => {
        if (hooks.signal.aborted) return;
        await mkdir(run.out_dir, { recursive: true });
        hooks.onStart(run);
        await hooks.onRecord(recordFromOutcome(run, await runOne(run), 'local'));
      }),
    ),
  );
}

/** Runs generators as child processes on this machine, at most `hooks.concurrency` at a time. */
export function createLocalBackend(): RunBackend {
  return {
    name: 'local',
    execute: (runs: PreparedRun[], hooks: BackendHooks): Promise<void> =>
      executeRuns(runs, hooks, hooks.concurrency, (run) =>
        runProcess(run.argv, {
          cwd: run.cwd,
          timeoutS: run.timeout_s,
          signal: hooks.signal,
          stdoutLog: join(run.out_dir, STDOUT_LOG),
          stderrLog: join(run.out_dir, STDERR_LOG),
          // Marks the generator and all it starts, so a later run can find them if this process dies.
          env: { [EXP_DIR_VAR]: dirname(run.out_dir) },
        }),
      ),
  };
}
