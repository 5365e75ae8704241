import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STDERR_LOG, STDOUT_LOG, executeRuns } from '../local-backend.js';
import type { ProcessOutcome } from '../process.js';
import type { BackendHooks, PreparedRun, RunBackend } from '../types.js';
import { poolSize } from './commands.js';
import { createWorkerPool, type WorkerPool } from './pool.js';
import { errorMessage } from '../../errors.js';

/**
 * One run of `emotune generate` on a worker: the outcome a process would have had. A time-out or a
 * cancellation terminates the worker thread mid-run, as the local backend kills the process tree.
 */
export async function generateInWorker(
  pool: WorkerPool,
  run: PreparedRun,
  signal: AbortSignal,
): Promise<ProcessOutcome> {
  const startedAt = new Date();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), Math.max(1, run.timeout_s * 1000));
  const base = { timedOut: false, cancelled: false, startedAt };
  try {
    const o = await pool.generate({ args: run.args, cwd: run.cwd }, AbortSignal.any([signal, timeout.signal]));
    return { ...base, ...o, endedAt: new Date() };
  } catch (e) {
    const endedAt = new Date();
    if (timeout.signal.aborted) return { ...base, returncode: null, stdout: '', stderr: '', timedOut: true, endedAt };
    if (signal.aborted) return { ...base, returncode: null, stdout: '', stderr: '', cancelled: true, endedAt };
    // The worker itself died (out of memory, a native crash): a failure of this run, as a crashed process.
    return {
      ...base,
      returncode: 1,
      stdout: '',
      stderr: `emotune: the worker thread stopped: ${errorMessage(e)}\n`,
      endedAt,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `["emotune", "generate"]` in worker threads of this process: one thread per core at most (and at
 * most `hooks.concurrency` runs at once), models loaded once per thread. Same outputs, logs and records
 * as the local backend, which starts a Node process per run.
 */
export function createInProcessBackend(): RunBackend {
  return {
    name: 'local',
    async execute(runs: PreparedRun[], hooks: BackendHooks): Promise<void> {
      if (runs.length === 0 || hooks.signal.aborted) return;
      const pool = createWorkerPool(poolSize(Math.min(hooks.concurrency, runs.length)));
      try {
        // Never more runs submitted than threads: a run's time-out starts when it starts, not in a queue.
        await executeRuns(runs, hooks, pool.size, async (run) => {
          const outcome = await generateInWorker(pool, run, hooks.signal);
          await Promise.all([
            writeFile(join(run.out_dir, STDOUT_LOG), outcome.stdout),
            writeFile(join(run.out_dir, STDERR_LOG), outcome.stderr),
          ]);
          return outcome;
        });
      } finally {
        await pool.destroy();
      }
    },
  };
}
