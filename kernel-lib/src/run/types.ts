import type { PlannedRun } from '../plan/types.js';

/** A planned run made executable: its output folder and the generator's full argument array. */
export interface PreparedRun extends PlannedRun {
  /** Absolute output folder (name = prefix + timestamp, or + stable hash). */
  out_dir: string;
  /** Generator arguments (everything after the command), `--out_dir` last. */
  args: string[];
  /** Full argv: resolved generator command followed by args. */
  argv: string[];
  cwd: string;
  timeout_s: number;
  /** Hash of everything that reaches the generator but the output folder: command, arguments, cwd (see runIdentity). */
  identity?: string;
}

/** `invalid`: exited 0 but its outputs are missing or unreadable (see `reason`). */
export type RunStatus = 'ok' | 'failed' | 'timeout' | 'cancelled' | 'invalid';

/** The reference notebook's per-run record, plus timing and a status; `all_runs_metadata.json` is an array of these. */
export interface RunRecord {
  model: string;
  mode: string;
  emotion: number;
  key: string | null;
  subset: string[];
  conditions: Record<string, string>;
  out_dir: string;
  /** Process exit code; -1 on time-out (as the reference notebook); -2 when cancelled; -3 when it could not start. */
  returncode: number;
  /** Last 2000 characters. */
  stdout: string;
  /** Last 2000 characters; `TIMEOUT` on time-out (as the reference notebook). */
  stderr: string;
  id: string;
  index: number;
  status: RunStatus;
  /** Why a run did not succeed, in one line (exit code, signal, time-out, missing outputs...). */
  reason?: string;
  started_at: string;
  ended_at: string;
  duration_s: number;
  backend: string;
  /**
   * The run's identity (command, full arguments but the output folder, working directory) when it ran: a resume
   * reuses outputs only when it still matches, so outputs of another checkpoint or other arguments are never credited.
   */
  identity?: string;
}

/** Events every runner emits; the CLI progress bar and the notebook display both consume them. */
export type ProgressEvent =
  | { type: 'plan'; total: number; skipped: number; toRun: number }
  | { type: 'start'; run: PreparedRun; running: number }
  | {
      type: 'record';
      record: RunRecord;
      done: number;
      failed: number;
      running: number;
      total: number;
      elapsedS: number;
      etaS: number | null;
    }
  | { type: 'end'; done: number; failed: number; cancelled: number; total: number; elapsedS: number };

export interface BackendHooks {
  /** Max runs in flight (local: processes; slurm: the array's %N throttle). */
  concurrency: number;
  signal: AbortSignal;
  onStart(run: PreparedRun): void;
  /** Called once per run that started, in finishing order (a backend may also report runs it cancelled before they started). */
  onRecord(record: RunRecord): void | Promise<void>;
}

/** How runs are executed: the runner core handles resume, ordering, metadata and progress. */
export interface RunBackend {
  readonly name: string;
  execute(runs: PreparedRun[], hooks: BackendHooks): Promise<void>;
}
