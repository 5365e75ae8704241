import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../formats/atomic-write.js';
import { STDERR_LOG, STDOUT_LOG } from '../local-backend.js';
import { runProcess } from '../process.js';
import { TAIL_CHARS } from '../record.js';
import { readManifestTask } from './manifest.js';
import type { SlurmTaskResult, SlurmTaskSpec } from './types.js';

/** The run folder's full logs, named as the local backend names them. */
export function taskLogPaths(outDir: string): { stdout_log: string; stderr_log: string } {
  return { stdout_log: join(outDir, STDOUT_LOG), stderr_log: join(outDir, STDERR_LOG) };
}

/**
 * Run one planned generation inside a Slurm array task with the local runner's process handling (argument
 * array, own process group, time-out kills the tree, full logs in the run folder), and write the result
 * JSON the submitting backend collects. SIGTERM/SIGINT (scancel) stop the generator's tree; the run is then
 * recorded as cancelled.
 */
export async function executeSlurmTask(task: SlurmTaskSpec, taskIndex: number): Promise<SlurmTaskResult> {
  await mkdir(task.out_dir, { recursive: true });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const o = await runProcess(task.argv, {
      cwd: task.cwd,
      timeoutS: task.timeout_s,
      signal: abort.signal,
      stdoutLog: task.stdout_log,
      stderrLog: task.stderr_log,
      keepChars: TAIL_CHARS * 2,
    });
    const result: SlurmTaskResult = {
      format: 'emotune-slurm-result',
      version: 1,
      task: taskIndex,
      index: task.index,
      id: task.id,
      host: hostname(),
      returncode: o.returncode,
      stdout: o.stdout,
      stderr: o.stderr,
      timed_out: o.timedOut,
      cancelled: o.cancelled,
      started_at: o.startedAt.toISOString(),
      ended_at: o.endedAt.toISOString(),
    };
    if (o.spawnError !== undefined) result.spawn_error = o.spawnError;
    if (o.signal !== undefined) result.signal = o.signal;
    await writeJsonAtomic(task.result, result);
    return result;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** `emotune slurm-task <manifest> <index>`: run array task `index` of a submission's manifest. */
export async function runSlurmTask(manifestPath: string, taskIndex: number): Promise<SlurmTaskResult> {
  const task = await readManifestTask(manifestPath, taskIndex);
  return executeSlurmTask(task, taskIndex);
}
