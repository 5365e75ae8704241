// Synthetic experiments for the benchmarks: a config over the embedded vocabularies, its plan, and
// (optionally) generator outputs (.npy, .mid, .meta.json) plus all_runs_metadata.json for every run, as
// a finished `emotune run` would leave them. Deterministic (fixed PRNG seed).
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../kernel-lib/src/config/load.js';
import { encodeNpy } from '../../kernel-lib/src/formats/npy.js';
import { cpToMidiBytes } from '../../kernel-lib/src/formats/cp-to-notes.js';
import type { Word2Event } from '../../kernel-lib/src/formats/types.js';
import { buildPlan } from '../../kernel-lib/src/plan/build-plan.js';
import type { PlannedRun, RunPlan } from '../../kernel-lib/src/plan/types.js';
import { stableSuffix } from '../../kernel-lib/src/run/prepare.js';
import { embeddedDir } from '../../kernel-lib/src/package-paths.js';
import { loadWord2Event } from '../../kernel-lib/src/vocab/word2event.js';
import { mulberry32 } from '../../kernel-lib/src/prng.js';

export interface GridShape {
  tokens_of_interest: string[];
  max_values_per_token: Record<string, number>;
  condition_set_sizes: number[];
  emotions: number[];
  keys: string[];
  num_songs?: number;
}

/** The reference notebook's grid: 2 models x 3 modes, duration/velocity x 2 values, 4 emotions, 3 keys = 192 runs. */
export const REFERENCE_GRID: GridShape = {
  tokens_of_interest: ['duration', 'velocity'],
  max_values_per_token: { duration: 2, velocity: 2 },
  condition_set_sizes: [1],
  emotions: [1, 2, 3, 4],
  keys: ['A:maj', 'C:maj', 'E:min'],
};

/** About 10,000 runs: pairs of three note tokens, 4 values each, 13 keys (10,080 runs). */
export const GRID_10K: GridShape = {
  tokens_of_interest: ['duration', 'velocity', 'pitch'],
  max_values_per_token: { duration: 4, velocity: 4, pitch: 4 },
  condition_set_sizes: [1, 2],
  emotions: [1, 2, 3, 4],
  keys: [
    'A:maj',
    'C:maj',
    'E:min',
    'D:maj',
    'G:maj',
    'F:maj',
    'B:min',
    'F#:min',
    'C#:min',
    'E:maj',
    'A:min',
    'D:min',
    'G:min',
  ],
};

export interface Experiment {
  dir: string;
  configFile: string;
  config: LoadedConfig;
  word2eventByModel: Record<string, Word2Event>;
  plan: RunPlan;
}

/** Write a config (two models over the embedded vocabularies) into `dir` and plan it. */
export async function makeExperiment(
  dir: string,
  grid: GridShape,
  extra: Record<string, unknown> = {},
): Promise<Experiment> {
  await mkdir(join(dir, 'vocab'), { recursive: true });
  await mkdir(join(dir, 'transformer'), { recursive: true });
  await mkdir(join(dir, 'dataset'), { recursive: true });
  for (const m of ['scratch', 'pretrained'])
    await copyFile(join(embeddedDir, 'vocab', `word2event_${m}.json`), join(dir, 'vocab', `word2event_${m}.json`));
  const raw = {
    random_seed: 42,
    paths: { dataset_root: 'dataset', transformer: 'transformer', exp: 'exp' },
    models: [
      {
        name: 'scratch',
        load_ckt: 'checkpoints',
        load_ckt_loss: '8',
        load_dict: 'train_dictionary.pkl',
        word2event_path: 'vocab/word2event_scratch.json',
        key_aware: true,
      },
      {
        name: 'pretrained',
        load_ckt: 'checkpoints',
        load_ckt_loss: 'pre',
        load_dict: 'dictionary.pkl',
        word2event_path: 'vocab/word2event_pretrained.json',
        key_aware: false,
      },
    ],
    modes: ['inference-deterministic', 'inference-primed', 'inference-forced'],
    tokens_of_interest: grid.tokens_of_interest,
    emotions: grid.emotions,
    keys: grid.keys,
    common_args: { task_type: '4-cls', num_songs: grid.num_songs ?? 1, save_tokens_json: 1, generation_timeout: 30 },
    max_values_per_token: grid.max_values_per_token,
    condition_set_sizes: grid.condition_set_sizes,
    folder_names: 'hash',
    ...extra,
  };
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(raw, null, 2));
  const config = await loadConfig(configFile);
  const word2eventByModel: Record<string, Word2Event> = {};
  for (const m of config.models) word2eventByModel[m.name] = await loadWord2Event(m.word2event_path);
  const plan = buildPlan(config, word2eventByModel);
  return { dir, configFile, config, word2eventByModel, plan };
}

function reverse(w2e: Word2Event, type: string): Map<string | number, number> {
  const m = new Map<string | number, number>();
  for (const [i, l] of Object.entries(w2e[type] ?? {})) m.set(l, Number(i));
  return m;
}

function labelsMatching(w2e: Word2Event, type: string, re: RegExp): number[] {
  return Object.entries(w2e[type] ?? {})
    .filter(([, l]) => typeof l === 'string' && re.test(l))
    .map(([i]) => Number(i));
}

/** CP rows for one song: bars of beats, each a Metrical row and 1-3 Note rows; conditioned columns hit their target with probability 0.6. */
function synthSong(
  w2e: Word2Event,
  order: string[],
  steps: number,
  targets: Record<string, number>,
  rand: () => number,
): number[] {
  const col = (t: string) => order.indexOf(t);
  const type = reverse(w2e, 'type');
  const bb = reverse(w2e, 'bar-beat');
  const pick = (xs: number[]) => xs[Math.floor(rand() * xs.length)]!;
  const pitches = labelsMatching(w2e, 'pitch', /^Note_Pitch_\d+$/);
  const durations = labelsMatching(w2e, 'duration', /^Note_Duration_[1-9]\d*$/);
  const velocities = labelsMatching(w2e, 'velocity', /^Note_Velocity_\d+$/);
  const tempos = labelsMatching(w2e, 'tempo', /^Tempo_\d+$/);
  const chords = labelsMatching(w2e, 'chord', /_/);
  const beats = labelsMatching(w2e, 'bar-beat', /^Beat_\d+$/);
  const data = new Array<number>(steps * order.length).fill(0);
  const set = (r: number, t: string, v: number) => {
    const c = col(t);
    if (c >= 0) data[r * order.length + c] = v;
  };
  let r = 0;
  while (r < steps) {
    set(r, 'type', type.get('Metrical')!);
    set(r, 'bar-beat', r % 24 === 0 ? bb.get('Bar')! : pick(beats));
    set(r, 'tempo', pick(tempos));
    set(r, 'chord', pick(chords));
    r++;
    const notes = 1 + Math.floor(rand() * 3);
    for (let n = 0; n < notes && r < steps; n++, r++) {
      set(r, 'type', type.get('Note')!);
      for (const [t, pool] of [
        ['pitch', pitches],
        ['duration', durations],
        ['velocity', velocities],
      ] as const) {
        set(r, t, targets[t] !== undefined && rand() < 0.6 ? targets[t]! : pick(pool));
      }
    }
  }
  return data;
}

/**
 * Write every run's outputs and `all_runs_metadata.json` (all runs succeeded), as the generator and the
 * runner would. `steps` CP rows per song (EMOPIA songs run to a few thousand).
 */
export async function writeOutputs(
  exp: Experiment,
  opts: { steps: number; seed?: number },
): Promise<{ files: number }> {
  const rand = mulberry32(opts.seed ?? 7);
  const expDir = exp.config.paths.exp;
  await mkdir(expDir, { recursive: true });
  const records: unknown[] = [];
  let files = 0;
  const now = new Date().toISOString();
  for (const run of exp.plan.runs) {
    const w2e = exp.word2eventByModel[run.model]!;
    const model = exp.config.models.find((m) => m.name === run.model)!;
    const order = [
      'tempo',
      'chord',
      'bar-beat',
      'type',
      'pitch',
      'duration',
      'velocity',
      'emotion',
      ...(model.key_aware ? ['key'] : []),
    ];
    const outDir = join(expDir, `${run.out_dir_prefix}${stableSuffix(run)}`);
    await mkdir(outDir, { recursive: true });
    const targets: Record<string, number> = {};
    for (const [t, label] of Object.entries(run.conditions)) targets[t] = reverse(w2e, t).get(label)!;
    for (let s = 0; s < exp.config.common_args.num_songs; s++) {
      const name = `${run.model}_${run.mode}_${s}`;
      const data = synthSong(w2e, order, opts.steps, targets, rand);
      const rows: number[][] = [];
      for (let i = 0; i < opts.steps; i++) rows.push(data.slice(i * order.length, (i + 1) * order.length));
      await writeFile(join(outDir, `${name}.npy`), encodeNpy([opts.steps, order.length], data));
      await writeFile(join(outDir, `${name}.mid`), cpToMidiBytes(rows, order, w2e));
      const meta: Record<string, unknown> = {
        paths: { npy: `${name}.npy`, midi: `${name}.mid` },
        inference_mode: run.mode,
        emotion_tag: run.emotion,
        key_tag: run.key,
        vocab_order: order,
      };
      meta[run.mode === 'inference-forced' ? 'force_indices' : 'conditions_indices'] = targets;
      await writeFile(join(outDir, `${name}.meta.json`), JSON.stringify(meta));
      files += 3;
    }
    records.push(recordFor(run, outDir, now));
  }
  await writeFile(join(expDir, 'all_runs_metadata.json'), JSON.stringify(records, null, 2));
  return { files };
}

function recordFor(run: PlannedRun, outDir: string, at: string) {
  return {
    model: run.model,
    mode: run.mode,
    emotion: run.emotion,
    key: run.key,
    subset: run.subset,
    conditions: run.conditions,
    out_dir: outDir,
    returncode: 0,
    stdout: '',
    stderr: '',
    id: run.id,
    index: run.index,
    status: 'ok',
    started_at: at,
    ended_at: at,
    duration_s: 0,
    backend: 'local',
  };
}
