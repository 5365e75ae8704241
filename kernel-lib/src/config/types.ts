/**
 * The evaluation config: the reference notebook's configuration cell as JSON (snake_case field names as the reference
 * notebook).
 */

export const INFERENCE_MODES = ['inference-deterministic', 'inference-primed', 'inference-forced'] as const;
export type InferenceMode = (typeof INFERENCE_MODES)[number];

export interface ModelConfig {
  name: string;
  load_ckt: string;
  load_ckt_loss: string;
  load_dict: string;
  /** word2event JSON or a pickled `dictionary.pkl`; resolved to an absolute path by the loader. */
  word2event_path: string;
  /** Key-aware models get `--key_tag` and are evaluated once per key. */
  key_aware: boolean;
}

export interface CommonArgs {
  task_type: string;
  num_songs: number;
  save_tokens_json: number;
  generation_timeout: number;
}

export interface GeneratorConfig {
  /** argv prefix; `emotune` as first element means this package's own CLI (the embedded generator). */
  command: string[];
  /** Working directory of the generator process (the transformer folder); absolute after loading. */
  cwd: string;
  timeout_s: number;
  /** `["emotune", "generate"]` runs in worker threads of this process unless `isolate` asks for processes. */
  isolate?: boolean;
}

export interface ClassifierConfig {
  /**
   * argv with a `{midi}` placeholder (one process per file), or an argument `{midis}` that becomes the paths
   * of up to `batch_size` files (one process per batch, one result block per file); `emotune` as first
   * element means this package's own CLI.
   */
  command: string[];
  /** Working directory; absolute after loading (defaults to the config file's folder). */
  cwd: string;
  /** Per file; a batch gets `timeout_s` times its number of files. */
  timeout_s: number;
  /** The built-in classifier runs in worker threads of this process unless `isolate` asks for processes. */
  isolate?: boolean;
  /** Files per classifier process with `{midis}` (default 32). */
  batch_size?: number;
}

export interface EvaluationConfig {
  random_seed: number;
  paths: {
    /** Absolute after loading. */
    dataset_root: string;
    transformer: string;
    exp: string;
  };
  models: ModelConfig[];
  modes: InferenceMode[];
  tokens_of_interest: string[];
  emotions: number[];
  keys: string[];
  common_args: CommonArgs;
  max_values_per_token: Record<string, number>;
  condition_set_sizes: number[];
  generator: GeneratorConfig;
  classifier?: ClassifierConfig;
  /** Parallel generator processes (default 1, as the reference notebook). */
  concurrency: number;
  /** Output folder suffix: `timestamp` (the reference notebook) or `hash` (stable names, so re-runs can resume). */
  folder_names: 'timestamp' | 'hash';
  /** Where the run executes: this machine or a Slurm job array. */
  backend: 'local' | 'slurm';
  slurm?: SlurmConfig;
  /** Folder that held the config file (relative paths were resolved from it). */
  base_dir: string;
  /** The config file itself, when loaded from one. */
  source_file?: string;
}

export interface SlurmConfig {
  partition?: string;
  /** `%N` throttle of the job array (max tasks running at once). */
  max_parallel?: number;
  gpus_per_task?: number;
  cpus_per_task?: number;
  mem?: string;
  /** Shell lines run before the generator in each task (e.g. `source venv/bin/activate`). */
  setup?: string[];
  /** Extra `#SBATCH` options, e.g. `--account=abc`. */
  extra_sbatch?: string[];
  /** Seconds between squeue/sacct polls. */
  poll_s?: number;
}
