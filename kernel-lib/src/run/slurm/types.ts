import type { SlurmConfig } from '../../config/types.js';

/** What `createSlurmBackend` needs besides the config's `slurm` section. */
export interface SlurmBackendOptions extends SlurmConfig {
  /** The experiment folder; each submission gets its own folder under `<exp_dir>/.slurm/`. */
  exp_dir: string;
  /**
   * How a task starts `emotune slurm-task <manifest> <index>`: argv prefix before `slurm-task`.
   * Default: this Node binary running this package's own CLI (shared file systems see the same paths).
   */
  task_command?: string[];
  /** Seconds added to the longest run time-out for the array's `--time` (node start-up, result writing). */
  time_margin_s?: number;
  /** Seconds to wait for a finished task's result file to appear (slow shared file systems). */
  result_grace_s?: number;
  /** Largest array per sbatch call (default: the cluster's MaxArraySize); larger grids are split into chained arrays. */
  max_array_size?: number;
  /** Environment for sbatch/squeue/scancel (default: this process's). Tasks inherit the submitter's environment. */
  env?: NodeJS.ProcessEnv;
}

/** One array task: what `emotune slurm-task` runs, read by its `SLURM_ARRAY_TASK_ID`. */
export interface SlurmTaskSpec {
  /** The run's 1-based plan index and stable id (for cross-checking results). */
  index: number;
  id: string;
  /** The generator's full argument array; executed without a shell. */
  argv: string[];
  cwd: string;
  out_dir: string;
  timeout_s: number;
  /** Absolute path of the result JSON this task writes. */
  result: string;
  /** Absolute paths of the generator's full stdout/stderr logs (in the run folder). */
  stdout_log: string;
  stderr_log: string;
}

export interface SlurmManifest {
  format: 'emotune-slurm-manifest';
  version: 1;
  created_at: string;
  tasks: SlurmTaskSpec[];
}

/** What a task reports about its run (the local runner's process outcome, as JSON); the backend turns it into a RunRecord. */
export interface SlurmTaskResult {
  format: 'emotune-slurm-result';
  version: 1;
  /** Array task index, plan index and run id, to match the result with its run. */
  task: number;
  index: number;
  id: string;
  host: string;
  /** Exit code; negative signal number when killed by a signal; null when it never ran. */
  returncode: number | null;
  /** Tails of the generator's output (the full output is in the run folder's logs). */
  stdout: string;
  stderr: string;
  timed_out: boolean;
  cancelled: boolean;
  spawn_error?: string;
  signal?: string;
  started_at: string;
  ended_at: string;
}
