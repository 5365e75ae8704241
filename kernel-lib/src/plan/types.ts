import type { InferenceMode } from '../config/types.js';

/** One cell of the evaluation grid in the reference notebook's loop order; the run stage turns it into a process. */
export interface PlannedRun {
  /** 1-based position in the reference notebook's loop order. */
  index: number;
  /** Stable id: short hash of model, mode, emotion, key, subset, conditions (same across re-plans). */
  id: string;
  model: string;
  mode: InferenceMode;
  emotion: number;
  /** Key tag for key-aware models, else null. */
  key: string | null;
  subset: string[];
  /** The grid cell's condition values ({} when unconditioned). */
  conditions: Record<string, string>;
  /** Folder name before the suffix, e.g. `scratch_inference-primed_duration_emo1_keyAmaj_dur1080_`. */
  out_dir_prefix: string;
}

export interface RunPlan {
  runs: PlannedRun[];
  /** Per model: token type -> sampled condition values. */
  sampled_values: Record<string, Record<string, string[]>>;
  /** Per model: token type -> all candidates (Python-sorted). */
  candidates: Record<string, Record<string, string[]>>;
  total: number;
}
