import type { ProcessOutcome } from '../process.js';
import { recordFromOutcome, tailChars, TAIL_CHARS } from '../record.js';
import type { PreparedRun, RunRecord } from '../types.js';
import type { SlurmTaskResult } from './types.js';
import type { TaskState } from './queue-state.js';

export const BACKEND_NAME = 'slurm';

/** A task's result file back into the local runner's process outcome. */
export function outcomeFromResult(r: SlurmTaskResult): ProcessOutcome {
  const o: ProcessOutcome = {
    returncode: r.returncode,
    stdout: r.stdout,
    stderr: r.stderr,
    timedOut: r.timed_out,
    cancelled: r.cancelled,
    startedAt: new Date(r.started_at),
    endedAt: new Date(r.ended_at),
  };
  if (r.spawn_error !== undefined) o.spawnError = r.spawn_error;
  if (r.signal !== undefined) o.signal = r.signal;
  return o;
}

/** The record of a run whose task wrote its result file: built exactly as the local backend builds it. */
export function recordFromResult(run: PreparedRun, r: SlurmTaskResult): RunRecord {
  return recordFromOutcome(run, outcomeFromResult(r), BACKEND_NAME);
}

/** A run cancelled before its task wrote a result (pending at scancel, or killed before it could write). */
export function cancelledRecord(run: PreparedRun, at: Date, started?: Date): RunRecord {
  const o: ProcessOutcome = {
    returncode: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    cancelled: true,
    startedAt: started ?? at,
    endedAt: at,
  };
  const rec = recordFromOutcome(run, o, BACKEND_NAME);
  rec.reason = started
    ? 'cancelled by the user (scancel) while running'
    : 'cancelled by the user (scancel) before it started';
  return rec;
}

/**
 * A task that ended without a result file: Slurm stopped it (its own time limit, memory, node failure)
 * or the config's setup lines failed before the generator started. The task's Slurm log tail is stderr.
 */
export function recordFromSlurmState(
  run: PreparedRun,
  st: TaskState | undefined,
  logTail: string,
  logPath: string,
  at: Date,
  started?: Date,
): RunRecord {
  const state = st?.state ?? 'UNKNOWN';
  const slurmTimeout = state === 'TIMEOUT' || state === 'DEADLINE';
  const code = st?.exit_code !== undefined && st.exit_code > 0 ? st.exit_code : st?.exit_signal ? -st.exit_signal : 1;
  const o: ProcessOutcome = {
    returncode: code,
    stdout: '',
    stderr: tailChars(logTail, TAIL_CHARS),
    timedOut: slurmTimeout,
    cancelled: false,
    startedAt: started ?? at,
    endedAt: at,
  };
  const rec = recordFromOutcome(run, o, BACKEND_NAME);
  const exit = st?.exit_code !== undefined ? ` (ExitCode ${st.exit_code}:${st.exit_signal ?? 0})` : '';
  rec.reason = `Slurm task ended ${state}${exit} without a result; see ${logPath}`;
  return rec;
}
