import type { EvaluationConfig, ModelConfig, InferenceMode } from '../config/types.js';
import { pythonJsonDumps, pythonPathJoin } from '../formats/python-style.js';

export interface GeneratorArgsInput {
  mode: InferenceMode | string;
  model: Pick<ModelConfig, 'name' | 'load_ckt' | 'load_ckt_loss' | 'load_dict' | 'key_aware'>;
  emotion: number;
  /** The grid cell's conditions: sent as `--conditions` (primed, deterministic) or `--force_tokens` (forced). */
  conditions: Record<string, string>;
  key: string | null;
  outDir?: string;
}

type ArgsConfig = Pick<EvaluationConfig, 'common_args'> & {
  raw_paths?: { dataset_root: string; exp: string };
  paths: { dataset_root: string; exp: string };
};

/**
 * The reference notebook's `build_cmd` arguments, in its order: the fixed flags, then `--conditions` or
 * `--force_tokens` (Python `json.dumps` spelling; omitted when there are no conditions), `--key_tag` for key-aware
 * models, `--out_dir` last. Paths are spelled as the config wrote them (the reference notebook's `str(Path)`).
 */
export function buildGeneratorArgs(config: ArgsConfig, input: GeneratorArgsInput): string[] {
  const datasetRoot = config.raw_paths?.dataset_root ?? config.paths.dataset_root;
  const exp = config.raw_paths?.exp ?? config.paths.exp;
  const args: string[] = [];
  const add = (k: string, v: string | number) => args.push(`--${k}`, String(v));
  add('data_root', pythonPathJoin(datasetRoot, 'co-representation'));
  add('exp_path', pythonPathJoin(exp));
  add('mode', input.mode);
  add('task_type', config.common_args.task_type);
  add('num_songs', config.common_args.num_songs);
  add('emo_tag', input.emotion);
  add('save_tokens_json', config.common_args.save_tokens_json);
  add('load_ckt', input.model.load_ckt);
  add('load_ckt_loss', input.model.load_ckt_loss);
  add('load_dict', input.model.load_dict);
  const hasConditions = Object.keys(input.conditions).length > 0;
  if ((input.mode === 'inference-primed' || input.mode === 'inference-deterministic') && hasConditions)
    add('conditions', pythonJsonDumps(input.conditions));
  else if (input.mode === 'inference-forced' && hasConditions) add('force_tokens', pythonJsonDumps(input.conditions));
  if (input.model.key_aware && input.key) add('key_tag', input.key);
  if (input.outDir) add('out_dir', input.outDir);
  return args;
}

/** The reference notebook prints `' '.join(cmd)` before each run; this is for display only, never for execution. */
export function displayCommand(argv: readonly string[]): string {
  return argv.join(' ');
}
