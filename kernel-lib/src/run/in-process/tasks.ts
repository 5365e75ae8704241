// Messages between the runner and its worker threads (structured-cloned: plain data only).

/** One `emotune generate <args>` run, in `cwd`. */
export interface GenerateTask {
  kind: 'generate';
  /** The generator's arguments after `emotune generate` (main_cp.py's flags). */
  args: string[];
  cwd: string;
}

/** `emotune classify <files>` for a batch of files. */
export interface ClassifyTask {
  kind: 'classify';
  files: string[];
}

export type WorkerTask = GenerateTask | ClassifyTask;

/** What a process would have left: exit code and its two streams. */
export interface TaskOutput {
  returncode: number;
  stdout: string;
  stderr: string;
}

/** Per file of a ClassifyTask, in the order given. */
export interface ClassifyOutput {
  files: Array<TaskOutput & { file: string }>;
}
