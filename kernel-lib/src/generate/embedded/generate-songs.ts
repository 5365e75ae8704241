import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { EmotuneError } from '../../errors.js';
import { writeFileAtomic } from '../../formats/atomic-write.js';
import { cpToScore } from '../../formats/cp-to-notes.js';
import { encodeMidi } from '../../formats/midi-write.js';
import { encodeNpy } from '../../formats/npy.js';
import { readDictionaryPkl } from '../../vocab/pickle.js';
import type { Field } from './model.js';
import { loadModel } from './model-file.js';
import {
  GENERATOR_DEFAULTS,
  type GeneratorArgs,
  checkKeyTag,
  parseIntFlag,
  parseMode,
  parseTokenJson,
  usage,
} from './generator-args.js';
import { performScore } from './performance.js';
import {
  DEFAULT_MAX_STEPS,
  DETERMINISTIC_TOP_P,
  FULL_DISTRIBUTION_FIELDS,
  TOP_P,
  type Song,
  generateSong,
} from './song.js';
import { seedFromText } from './sampler.js';
import { rowsToEvents } from './tokenizer.js';
import { makeVocab } from './vocabulary.js';

export interface GeneratedSong {
  name: string;
  npy: string;
  midi: string;
  meta: string;
  tokens?: string;
  steps: number;
}

export interface GenerateResult {
  outDir: string;
  songs: GeneratedSong[];
}

const labelsOf = (targets: Partial<Record<Field, number>>, w2e: Record<string, Record<string, string | number>>) =>
  Object.fromEntries(Object.entries(targets).map(([f, i]) => [f, w2e[f]![String(i)]]));

/**
 * The embedded generator behind main_cp.py's command line: reads the model named by --load_ckt /
 * --load_ckt_loss (under `cwd`) and the dictionary --load_dict (under --data_root), writes per song
 * NAME.npy, NAME.mid, NAME.meta.json and optionally NAME.tokens.json into --out_dir.
 */
/** Keeps what a load returned for a key (a worker running many generations loads each model once). */
export type LoadMemo = <T>(key: string, load: () => Promise<T>) => Promise<T>;
const loadEachTime: LoadMemo = (_key, load) => load();

/** A LoadMemo that keeps every load as long as it lives; a failed load is tried again on the next call. */
export function keepLoads(): LoadMemo {
  const loaded = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let p = loaded.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      loaded.set(key, p);
      p.catch(() => loaded.delete(key)); // the caller reports the failure; the next call tries again
    }
    return p;
  };
}

/**
 * Runs the embedded generator in this process with main_cp.py's arguments (as `emotune generate` does) and writes its files.
 * @example
 * ```ts
 * const out = await et.runEmbeddedGenerator(
 *   { mode: "inference-primed", emo_tag: "3", seed: "7", load_ckt_loss: "pre", load_dict: "dictionary.pkl", out_dir: "/tmp/song" },
 *   path.join(et.embeddedDir),
 * );
 * ```
 */
export async function runEmbeddedGenerator(
  args: GeneratorArgs,
  cwd: string = process.cwd(),
  memo: LoadMemo = loadEachTime,
): Promise<GenerateResult> {
  const a = checkedArgs(args);
  const inputs = await loadInputs(a, cwd, memo);
  const { mode, emotion, maxSteps } = a;
  const { word2event, model } = inputs;
  // Everything that shapes the music, not where it goes: the same request gives the same names and notes.
  const request = JSON.stringify({
    mode,
    emotion,
    key: inputs.key ?? null,
    conditions: labelsOf(inputs.conditions, word2event),
    force: labelsOf(inputs.force, word2event),
    load_ckt: a.load_ckt,
    load_ckt_loss: a.load_ckt_loss,
    load_dict: a.load_dict,
    seed: a.userSeed ?? null,
    max_steps: maxSteps,
  });
  const tag = createHash('sha256').update(request).digest('hex').slice(0, 8);
  const baseSeed = a.userSeed ?? seedFromText(request);
  const outDir = resolve(cwd, a.outDir);

  const songs: GeneratedSong[] = [];
  for (let i = 0; i < a.numSongs; i++) {
    const seed = seedFromText(`${baseSeed}:${i}`);
    const { key, conditions, force } = inputs;
    const song = generateSong(model, { mode, emotion, key, conditions, force, seed, maxSteps });
    const name = `emo_${emotion}_${tag}_${i}`;
    const files: GeneratedSong = {
      name,
      npy: resolve(outDir, `${name}.npy`),
      midi: resolve(outDir, `${name}.mid`),
      meta: resolve(outDir, `${name}.meta.json`),
      tokens: a.saveTokens ? resolve(outDir, `${name}.tokens.json`) : undefined,
      steps: song.rows.length,
    };
    await writeSongFiles(files, song, seed, inputs);
    await writeFileAtomic(files.meta, `${JSON.stringify(songMeta(files, song, seed, i, a, inputs), null, 1)}\n`);
    songs.push(files);
  }
  return { outDir, songs };
}

/** The arguments with defaults applied, checked and parsed in main_cp.py's order (the first problem is reported). */
function checkedArgs(args: GeneratorArgs) {
  const a = {
    ...GENERATOR_DEFAULTS,
    ...Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)),
  } as Required<typeof GENERATOR_DEFAULTS> & GeneratorArgs;
  const mode = parseMode(a.mode);
  if (a.task_type !== '4-cls') throw usage('--task_type', 'unsupported task type', '4-cls', a.task_type);
  if (a.emo_tag === undefined) throw usage('--emo_tag', 'missing', 'an emotion quadrant 1..4');
  const emotion = parseIntFlag('--emo_tag', a.emo_tag, 1, 4);
  const numSongs = parseIntFlag('--num_songs', a.num_songs, 1, 10000);
  const saveTokens = parseIntFlag('--save_tokens_json', a.save_tokens_json, 0, 1) === 1;
  const maxSteps =
    a.max_steps === undefined ? DEFAULT_MAX_STEPS : parseIntFlag('--max_steps', a.max_steps, 3, 1_000_000);
  const userSeed = a.seed === undefined ? undefined : parseIntFlag('--seed', a.seed, 0, 2 ** 32 - 1);
  if (a.out_dir === undefined || a.out_dir === '')
    throw usage('--out_dir', 'missing', 'a folder for the generated files');
  if (!/^[A-Za-z0-9._-]+$/.test(a.load_ckt_loss))
    throw usage('--load_ckt_loss', 'not a checkpoint name', 'letters, digits, . _ - (e.g. 8 or pre)', a.load_ckt_loss);
  if (mode === 'inference-forced') {
    if (a.conditions !== undefined) throw usage('--conditions', 'not used by inference-forced', 'use --force_tokens');
    if (a.force_tokens === undefined)
      throw usage('--force_tokens', 'missing', 'the values to force, e.g. {"duration": "Note_Duration_1080"}');
  } else if (a.force_tokens !== undefined) {
    throw usage('--force_tokens', `not used by ${mode}`, 'use --conditions (or --mode inference-forced)');
  }
  return { ...a, mode, emotion, numSongs, saveTokens, maxSteps, userSeed, outDir: a.out_dir };
}
type CheckedArgs = ReturnType<typeof checkedArgs>;

/** The dictionary and the model (through `memo`), and the request's conditions, forced values and key in them. */
async function loadInputs(a: CheckedArgs, cwd: string, memo: LoadMemo) {
  const dictFile = resolve(cwd, a.data_root, a.load_dict);
  const { word2event } = await memo(`dictionary:${dictFile}`, () => readDictionaryPkl(dictFile)).catch((e: unknown) => {
    if (e instanceof EmotuneError && e.code === 'vocab.io')
      throw new EmotuneError('cannot read the dictionary', {
        file: dictFile,
        field: '--load_dict',
        code: 'generate.dict',
        found: e.found,
      });
    throw e;
  });
  const vocab = makeVocab(word2event, dictFile);
  const conditions = a.conditions === undefined ? {} : parseTokenJson('--conditions', a.conditions, vocab);
  const force = a.force_tokens === undefined ? {} : parseTokenJson('--force_tokens', a.force_tokens, vocab);
  const key = checkKeyTag(a.key_tag, vocab);
  const modelFile = resolve(cwd, a.load_ckt, `loss_${a.load_ckt_loss}_params.json`);
  const model = await memo(`model:${modelFile}:${dictFile}`, () =>
    loadModel(modelFile, vocab, '--load_ckt/--load_ckt_loss'),
  );
  if (model.data.key_aware !== vocab.keyAware)
    throw new EmotuneError('model and dictionary do not match (check --load_dict)', {
      file: modelFile,
      field: 'key_aware',
      code: 'model.vocab-mismatch',
    });
  return { dictFile, word2event, vocab, conditions, force, key, modelFile, model };
}
type Inputs = Awaited<ReturnType<typeof loadInputs>>;

/** Writes a song's NAME.npy, NAME.mid (performed with the model's timing) and, if asked, NAME.tokens.json. */
async function writeSongFiles(files: GeneratedSong, song: Song, seed: number, inputs: Inputs): Promise<void> {
  const { vocab, word2event, model } = inputs;
  await writeFileAtomic(files.npy, encodeNpy([song.rows.length, vocab.order.length], song.rows.flat(), 'int64'));
  const score = performScore(
    cpToScore(song.rows, vocab.order, word2event),
    model.data.timing,
    seedFromText(`${seed}:timing`),
  );
  await writeFileAtomic(
    files.midi,
    encodeMidi(
      { ticksPerBeat: score.ticksPerBeat, notes: score.notes.filter((n) => n.velocity > 0), tempos: score.tempos },
      { format: 1 },
    ),
  );
  if (files.tokens) {
    const lines = rowsToEvents(song.rows, vocab).map((e) => JSON.stringify(e));
    await writeFileAtomic(files.tokens, `[\n${lines.join(',\n')}\n]\n`);
  }
}

/** NAME.meta.json: main_cp.py's meta fields (in its order), then what the embedded generator adds. */
function songMeta(
  files: GeneratedSong,
  song: Song,
  seed: number,
  index: number,
  a: CheckedArgs,
  inputs: Inputs,
): Record<string, unknown> {
  const { mode } = a;
  const { conditions, force, word2event, model } = inputs;
  const meta: Record<string, unknown> = {
    paths: { npy: files.npy, midi: files.midi },
    inference_mode: mode,
    emotion_tag: a.emotion,
    key_tag: inputs.key ?? null,
    vocab_order: inputs.vocab.order,
  };
  if (mode === 'inference-forced') meta.force_indices = force;
  else meta.conditions_indices = conditions;
  meta.conditions_labels = labelsOf(mode === 'inference-forced' ? force : conditions, word2event);
  meta.generator = {
    name: 'emotune-embedded',
    model: model.data.name,
    model_file: inputs.modelFile,
    dictionary: inputs.dictFile,
    settings: model.data.settings,
    sampling: `nucleus top_p=${mode === 'inference-deterministic' ? DETERMINISTIC_TOP_P : TOP_P}; ${FULL_DISTRIBUTION_FIELDS.join(', ')} from the whole distribution`,
    attributes: labelsOf(song.attributes, word2event),
    max_steps: a.maxSteps,
    song_key: song.key,
  };
  meta.seed = seed;
  meta.song_index = index;
  meta.num_steps = song.rows.length;
  if (files.tokens) meta.tokens_json = files.tokens;
  return meta;
}
