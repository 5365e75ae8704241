import { join } from 'node:path';
import { EmotuneError } from '../../errors.js';
import { readEmopiaLabels } from '../../formats/emopia-labels.js';
import { writeFileAtomic } from '../../formats/atomic-write.js';
import { readMidi } from '../../formats/midi-read.js';
import type { MidiNote, MidiScore } from '../../formats/types.js';
import { readDictionaryPkl } from '../../vocab/pickle.js';
import {
  ATTRIBUTE_FIELDS,
  type AttributeField,
  type Attributes,
  CLASS_NOTE,
  CpModel,
  type CpModelData,
  type Field,
  DEFAULT_SETTINGS,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelSettings,
  type Piece,
  TIMING_SPAN,
  chordParts,
  conditionOf,
  countPiece,
  emptyTables,
  relativeChord,
  scorePiece,
  serialiseModel,
} from './model.js';
import { onsetTiming, scoreToRows } from './tokenizer.js';
import { type CpVocab, makeVocab, parseKey, withKeyType } from './vocabulary.js';

/**
 * Key method that labels the training clips' keys: Albrecht-Shanahan, not the reference notebook's Krumhansl-Kessler
 * that scores the output.
 */
export const TRAINING_KEY_METHOD = 'albrecht-cosine';

/** A key finder over notes (injected: the CLI passes TRAINING_KEY_METHOD's detector). */
export type KeyFinder = (notes: readonly MidiNote[]) => { key: string; score: number };

export interface Clip {
  /** Path relative to the data folder, e.g. `midis/Q1_xxx_0.mid`. */
  file: string;
  emotion: number;
  split: string;
}

/** Where the trained files go, relative to the output folder (mirrors `--load_ckt checkpoints --load_ckt_loss 8|pre`). */
export const MODEL_FILES = {
  scratch: 'checkpoints/loss_8_params.json',
  pretrained: 'checkpoints/loss_pre_params.json',
} as const;

/** Read `labels.csv` (file, quadrant, ..., split) of an EMOPIA-style data folder. */
export async function readLabels(dataDir: string): Promise<Clip[]> {
  return readEmopiaLabels(dataDir).map((c) => ({ file: c.file, emotion: c.quadrant, split: c.split }));
}

/** One clip ready for counting: a piece for each model, and its notes' played timing. */
export interface PreparedClip {
  clip: Clip;
  pretrained: Piece;
  scratch: Piece;
  /** The clip's key by TRAINING_KEY_METHOD. */
  detectedKey: string;
  /** Played timing (tokenizer.onsetTiming). */
  timing: { position: number[]; spread: number[] };
}

export interface Vocabularies {
  pretrained: CpVocab;
  scratch: CpVocab;
}

export async function loadVocabularies(dictionaryPkl: string): Promise<Vocabularies> {
  const { word2event } = await readDictionaryPkl(dictionaryPkl);
  return {
    pretrained: makeVocab(word2event, dictionaryPkl),
    scratch: makeVocab(withKeyType(word2event), dictionaryPkl),
  };
}

/** The most frequent value of each attribute field in a piece (notes for note fields, new values at beats for tempo and chord). */
export function dominantAttributes(model: CpModel, rows: readonly (readonly number[])[]): Attributes {
  const counts: Partial<Record<AttributeField, Map<number, number>>> = {};
  for (const row of rows) {
    const cls = model.classOf(row);
    if (cls === undefined) continue;
    for (const [f, v] of Object.entries(model.fieldsOf(row, cls)) as Array<[AttributeField, number]>) {
      if (v === 0 || (f === 'tempo' && v === model.ids.conti.tempo) || (f === 'chord' && v === model.ids.conti.chord))
        continue;
      const m = (counts[f] ??= new Map());
      m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  const out: Attributes = {};
  for (const f of ATTRIBUTE_FIELDS) {
    let best: [number, number] | undefined;
    for (const [v, c] of counts[f] ?? []) if (!best || c > best[1] || (c === best[1] && v < best[0])) best = [v, c];
    if (best) out[f] = best[0];
  }
  return out;
}

/**
 * Tokenize a clip for both models, in its own key. The key-aware model also learns the clip's key (from
 * `keyFinder`, which should not be the detector that scores the output) as its mode and tonic.
 */
export function prepareClip(clip: Clip, score: MidiScore, vocabs: Vocabularies, keyFinder: KeyFinder): PreparedClip {
  const detected = keyFinder(score.notes).key;
  const key = parseKey(detected);
  if (!key)
    throw new EmotuneError('key finder returned a malformed key', {
      file: clip.file,
      field: 'key',
      expected: 'a key like C:maj',
      found: detected,
      code: 'train.key',
    });
  const songKey = { tonic: key.tonic, profile: conditionOf(clip.emotion, key.minor) };
  return {
    clip,
    pretrained: {
      cond: conditionOf(clip.emotion, undefined),
      rows: scoreToRows(score, clip.emotion, vocabs.pretrained),
      key: songKey,
    },
    scratch: {
      cond: conditionOf(clip.emotion, key.minor),
      rows: scoreToRows(score, clip.emotion, vocabs.scratch, { key: detected }),
      key: songKey,
    },
    detectedKey: detected,
    timing: onsetTiming(score),
  };
}

export async function prepareClips(
  dataDir: string,
  clips: readonly Clip[],
  vocabs: Vocabularies,
  keyFinder: KeyFinder,
): Promise<PreparedClip[]> {
  const out: PreparedClip[] = [];
  for (const clip of clips) out.push(prepareClip(clip, await readMidi(join(dataDir, clip.file)), vocabs, keyFinder));
  return out;
}

/** Count a model from prepared clips (in the given order; counting is order-independent anyway). */
export function fitModel(
  name: 'scratch' | 'pretrained',
  clips: readonly PreparedClip[],
  vocab: CpVocab,
  settings: ModelSettings,
  seed: number,
): CpModel {
  const data: CpModelData = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    name,
    key_aware: vocab.keyAware,
    vocab_order: vocab.order,
    settings,
    keys: {},
    key_profiles: {},
    attributes_seen: {},
    song_attributes: {},
    timing: {
      position: new Array<number>(2 * TIMING_SPAN + 1).fill(0),
      spread: new Array<number>(2 * TIMING_SPAN + 1).fill(0),
    },
    training: { clips: 0, steps: 0, conditions: {}, seed },
    tables: emptyTables(settings),
  };
  const model = new CpModel(data, vocab);
  const seen: Partial<Record<AttributeField, Set<number>>> = {};
  const col = vocab.column;
  for (const c of clips) {
    const piece = c[name];
    const attributes = dominantAttributes(model, piece.rows);
    const drawn = (data.song_attributes[`e${c.clip.emotion}`] ??= {});
    for (const [f, v] of Object.entries(attributes) as Array<[AttributeField, number]>) {
      (seen[f] ??= new Set()).add(v);
      const counts = (drawn[f] ??= {});
      counts[v] = (counts[v] ?? 0) + 1;
    }
    data.training.steps += countPiece(model, { ...piece, attributes });
    data.training.clips++;
    data.training.conditions[piece.cond] = (data.training.conditions[piece.cond] ?? 0) + 1;
    for (const d of c.timing.position)
      data.timing.position[Math.max(-TIMING_SPAN, Math.min(TIMING_SPAN, d)) + TIMING_SPAN]!++;
    for (const d of c.timing.spread) data.timing.spread[Math.max(0, Math.min(2 * TIMING_SPAN, d))]!++;
    const k = (data.keys[`e${c.clip.emotion}`] ??= {});
    k[c.detectedKey] = (k[c.detectedKey] ?? 0) + 1;
    const { tonic, profile } = piece.key!;
    const prof = (data.key_profiles[profile] ??= { pitch: new Array<number>(12).fill(0), chord: {} });
    for (const row of piece.rows) {
      const cls = model.classOf(row);
      if (cls === CLASS_NOTE) {
        const p = Number(String(vocab.word2event.pitch![String(row[col.pitch!])]).slice('Note_Pitch_'.length));
        prof.pitch[(((p - tonic) % 12) + 12) % 12]!++;
      } else if (cls !== undefined && cls >= 2) {
        const parts = chordParts(vocab.word2event.chord![String(row[col.chord!])]);
        if (parts) {
          const rel = relativeChord(parts[0], parts[1], tonic);
          prof.chord[rel] = (prof.chord[rel] ?? 0) + 1;
        }
      }
    }
  }
  for (const f of ATTRIBUTE_FIELDS) if (seen[f]) data.attributes_seen[f] = [...seen[f]!].sort((a, b) => a - b);
  return model;
}

/** Mean natural-log likelihood per CP step (all fields predicted at the step), and its perplexity, over clips. */
export function evaluate(
  model: CpModel,
  name: 'scratch' | 'pretrained',
  clips: readonly PreparedClip[],
  perField?: Partial<Record<Field, number>>,
): { logLikPerStep: number; perplexity: number; steps: number } {
  let ll = 0;
  let steps = 0;
  for (const c of clips) {
    const r = scorePiece(model, c[name], perField);
    ll += r.logLik;
    steps += r.steps;
  }
  const logLikPerStep = steps === 0 ? 0 : ll / steps;
  return { logLikPerStep, perplexity: Math.exp(-logLikPerStep), steps };
}

export interface TrainOptions {
  dataDir: string;
  outDir: string;
  keyFinder: KeyFinder;
  seed?: number;
  settings?: ModelSettings;
  /** Only the first `limit` training clips (tests). */
  limit?: number;
  /** Also score the val split. */
  validate?: boolean;
}

export interface TrainResult {
  files: Record<'scratch' | 'pretrained', string>;
  clips: number;
  val?: Record<'scratch' | 'pretrained', ReturnType<typeof evaluate>>;
}

/**
 * Train both embedded models on the `train` split and write them under `outDir/checkpoints/`.
 * Counting has no randomness: the same data gives the same bytes; `seed` is recorded only.
 */
export async function trainEmbeddedModels(options: TrainOptions): Promise<TrainResult> {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const seed = options.seed ?? 0;
  const all = await readLabels(options.dataDir);
  const vocabs = await loadVocabularies(join(options.dataDir, 'co-representation', 'dictionary.pkl'));
  // Sorted by file name so the file order of labels.csv cannot matter.
  let train = all.filter((c) => c.split === 'train').sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (options.limit !== undefined) train = train.slice(0, options.limit);
  if (train.length === 0)
    throw new EmotuneError('no training clips', {
      file: join(options.dataDir, 'labels.csv'),
      field: 'split',
      expected: 'rows with split "train"',
      code: 'train.empty',
    });
  const prepared = await prepareClips(options.dataDir, train, vocabs, options.keyFinder);
  const files = {
    scratch: join(options.outDir, MODEL_FILES.scratch),
    pretrained: join(options.outDir, MODEL_FILES.pretrained),
  };
  const valClips = options.validate
    ? await prepareClips(
        options.dataDir,
        all.filter((c) => c.split === 'val'),
        vocabs,
        options.keyFinder,
      )
    : [];
  const result: TrainResult = { files, clips: prepared.length };
  for (const name of ['scratch', 'pretrained'] as const) {
    const model = fitModel(name, prepared, vocabs[name], settings, seed);
    await writeFileAtomic(files[name], serialiseModel(model.data));
    if (options.validate)
      (result.val ??= {} as NonNullable<TrainResult['val']>)[name] = evaluate(model, name, valClips);
  }
  return result;
}
