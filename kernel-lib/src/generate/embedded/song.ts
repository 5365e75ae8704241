import {
  type AttributeField,
  type Attributes,
  CLASS_BAR,
  CLASS_EOS,
  CLASS_NOTE,
  type CpModel,
  FIELDS,
  type Field,
  conditionOf,
  fieldsForClass,
} from './model.js';
import { nucleusSample } from './sampler.js';
import { mulberry32 } from '../../prng.js';
import { indexOf, numericBins, parseKey } from './vocabulary.js';

export const INFERENCE_MODES = ['inference-deterministic', 'inference-primed', 'inference-forced'] as const;
export type InferenceMode = (typeof INFERENCE_MODES)[number];

/** Fields that conditions and forcing may target: the ones the model predicts. */
export const STEERABLE_FIELDS = ['tempo', 'chord', 'pitch', 'duration', 'velocity'] as const;

/** Nucleus mass of inference-primed sampling. */
export const TOP_P = 0.9;
/** Nucleus mass of inference-deterministic: the same model, sampled more conservatively with a fixed seed. */
export const DETERMINISTIC_TOP_P = 0.85;
/**
 * Fields drawn from the model's whole distribution in every sampled mode. Rhythm and note length spread their
 * mass over many individually unlikely values (long gaps, long notes) that together are common; a nucleus cut
 * drops them and made every song busier and shorter-noted than the train clips of its quadrant.
 */
export const FULL_DISTRIBUTION_FIELDS: readonly Field[] = ['class', 'duration'];
/**
 * Attributes an unconditioned song draws from the clips of its emotion (their most frequent value of the field),
 * as it draws its key: a condition on the field replaces the draw.
 */
export const DRAWN_ATTRIBUTE_FIELDS: readonly AttributeField[] = ['duration'];
export const DEFAULT_MAX_STEPS = 1000;
/** Simultaneous notes below this pitch (C3) stay more than a tone apart: piano bass never clusters. */
export const BASS_CLUSTER_CEILING = 48;

export interface SongRequest {
  mode: InferenceMode;
  emotion: number;
  /** Key label (`A:maj`, sharps) for key-aware models. */
  key?: string;
  /** Field -> vocabulary index: song attributes the model conditions on (deterministic and primed modes). */
  conditions: Partial<Record<Field, number>>;
  /** Field -> vocabulary index, taken at every step that predicts the field (forced mode). */
  force: Partial<Record<Field, number>>;
  seed: number;
  maxSteps: number;
}

export interface Song {
  rows: number[][];
  /** Key of the song (requested, or drawn from the emotion's training keys), or null when the model has no keys. */
  key: string | null;
  /** Song attributes the model was conditioned on (a condition maps to the nearest value seen in training). */
  attributes: Attributes;
}

/** A key (or attribute value) drawn in proportion to training clip counts (sorted order, so the draw is reproducible). */
function drawKey(counts: Record<string, number>, rand: () => number): string | undefined {
  const keys = Object.keys(counts).sort();
  const total = keys.reduce((a, k) => a + counts[k]!, 0);
  if (total === 0) return undefined;
  let r = rand() * total;
  for (const k of keys) if ((r -= counts[k]!) < 0) return k;
  return keys[keys.length - 1];
}

/** The attribute a condition becomes: the value itself when clips had it as their most frequent value, else the nearest such (numeric labels). */
export function attributeFor(model: CpModel, field: AttributeField, index: number): number | undefined {
  const seen = model.data.attributes_seen[field] ?? [];
  if (seen.includes(index)) return index;
  const num = (i: number) => Number(String(model.vocab.word2event[field]![String(i)]).split('_').pop());
  const target = num(index);
  if (!Number.isFinite(target)) return undefined;
  let best: number | undefined;
  for (const v of seen)
    if (Number.isFinite(num(v)) && (best === undefined || Math.abs(num(v) - target) < Math.abs(num(best) - target)))
      best = v;
  return best;
}

/** The song's key: requested (key-aware model), else drawn from the keys of the emotion's training clips. */
function chooseKey(model: CpModel, req: SongRequest, rand: () => number) {
  const label = (model.data.key_aware ? req.key : undefined) ?? drawKey(model.data.keys[`e${req.emotion}`] ?? {}, rand);
  const parsed = label === undefined ? undefined : parseKey(label);
  if (label !== undefined && !parsed) throw new Error(`generateSong: malformed key ${label}`);
  return { label, parsed };
}

/** Attributes the model conditions on: the request's conditions (not in forced mode), then draws for the rest. */
function songAttributes(model: CpModel, req: SongRequest, rand: () => number): Attributes {
  const attributes: Attributes = {};
  if (req.mode !== 'inference-forced') {
    for (const [f, v] of Object.entries(req.conditions) as Array<[AttributeField, number]>) {
      const a = attributeFor(model, f, v);
      if (a !== undefined) attributes[f] = a;
    }
  }
  const drawn = model.data.song_attributes[`e${req.emotion}`] ?? {};
  for (const f of DRAWN_ATTRIBUTE_FIELDS) {
    const v = drawKey(drawn[f] ?? {}, rand);
    if (v !== undefined && attributes[f] === undefined) attributes[f] = Number(v);
  }
  return attributes;
}

/** A row of zeros with its type column set. */
function typedRow(model: CpModel, type: number): number[] {
  const row = new Array<number>(model.vocab.order.length).fill(0);
  row[model.vocab.column.type!] = type;
  return row;
}

/** The first row: the emotion, and the key for key-aware models. */
function emotionRowOf(model: CpModel, emotion: number, keyLabel: string | undefined): number[] {
  const col = model.vocab.column;
  const row = typedRow(model, model.ids.typeEmotion);
  row[col.emotion!] = indexOf(model.vocab, 'emotion', emotion);
  if (model.data.key_aware && keyLabel !== undefined) row[col.key!] = indexOf(model.vocab, 'key', keyLabel);
  return row;
}

/** Scales a distribution back to sum 1 after some entries were zeroed. */
function renormalize(p: Float64Array): void {
  let sum = 0; // summed left to right from 0, as reduce did
  for (let i = 0; i < p.length; i++) sum += p[i]!;
  for (let i = 0; i < p.length; i++) p[i]! /= sum;
}

/**
 * Keeps only pitches below the position's last note (`below`): strictly also no bass cluster; if that leaves
 * nothing, below the last note only.
 */
function restrictBelow(p: Float64Array, pitchNum: readonly number[], below: number): void {
  const keep = (k: number, strict: boolean) =>
    pitchNum[k]! < below && !(strict && pitchNum[k]! < BASS_CLUSTER_CEILING && below - pitchNum[k]! <= 2);
  const strict = p.some((x, k) => x > 0 && keep(k, true));
  for (let k = 0; k < p.length; k++) if (!keep(k, strict)) p[k] = 0;
  renormalize(p);
}

/** A non-EOS step's row: its type (note, or bar/beat) and the sampled fields. */
function stepRow(model: CpModel, cls: number, fields: Partial<Record<Field, number>>): number[] {
  const col = model.vocab.column;
  const row = typedRow(model, cls === CLASS_NOTE ? model.ids.typeNote : model.ids.typeMetrical);
  if (cls !== CLASS_NOTE) row[col['bar-beat']!] = cls === CLASS_BAR ? model.ids.bar : model.ids.beats[cls - 2]!;
  for (const f of fieldsForClass(cls)) {
    const v = fields[f];
    if (v !== undefined) row[col[f]!] = v;
  }
  return row;
}

/**
 * Generate one song as index rows (Emotion step first, Bar + EOS last): a pure function of the model and
 * the request. Sampled modes draw from the model's distributions (nucleus sampling, seeded from the
 * request); conditions are context; forced mode alone overrides a field.
 */
export function generateSong(model: CpModel, req: SongRequest): Song {
  const vocab = model.vocab;
  const rand = mulberry32(req.seed);
  // The order of the draws (key, attributes, steps) is part of the seed's meaning: keep it.
  const { label: keyLabel, parsed } = chooseKey(model, req, rand);
  const songKey = parsed ? { tonic: parsed.tonic, profile: conditionOf(req.emotion, parsed.minor) } : undefined;
  const minor = model.data.key_aware ? (parsed?.minor ?? false) : undefined;
  const attributes = songAttributes(model, req, rand);
  const pLo = numericBins(vocab, 'pitch', 'Note_Pitch_')[0]!;
  const topP = req.mode === 'inference-deterministic' ? DETERMINISTIC_TOP_P : TOP_P;
  const topPOf = {} as Record<Field, number>;
  for (const f of FIELDS) topPOf[f] = FULL_DISTRIBUTION_FIELDS.includes(f) ? 1 : topP;
  const pick = (p: Float64Array, f: Field) => nucleusSample(p, topPOf[f], rand);

  const rows: number[][] = [emotionRowOf(model, req.emotion, keyLabel)];
  const state = model.newState(conditionOf(req.emotion, minor), attributes, songKey);
  // One buffer per field: a step's distribution is sampled before the next is asked for.
  const buffers = {} as Record<Field, Float64Array>;
  for (const f of FIELDS) buffers[f] = new Float64Array(model.support(f).length);
  const distribution = (f: Field) => model.distributionInto(state, f, buffers[f]);
  // Notes of one position come in descending pitch (the tokenizer's order): generation keeps them strictly so.
  const pitchSupport = model.support('pitch');
  const pitchNum = pitchSupport.map((i) =>
    Number(String(vocab.word2event.pitch![String(i)]).slice('Note_Pitch_'.length)),
  );
  // MIDI pitch by vocabulary index (a pitch outside the support has none, as indexOf's -1 had none).
  const pitchNumOf = new Map(pitchSupport.map((i, k) => [i, pitchNum[k]!]));
  const lastPitchNum = () => pitchNumOf.get(state.pitch[state.pitch.length - 1]!)!;
  const sampleField = (f: Field): number => {
    const forced = req.mode === 'inference-forced' ? req.force[f] : undefined;
    if (forced !== undefined) return forced;
    const p = distribution(f);
    if (f === 'pitch' && state.notesAtPos > 0) restrictBelow(p, pitchNum, lastPitchNum());
    return model.support(f)[pick(p, f)]!;
  };
  // Leave room for the closing Bar and EOS.
  while (rows.length < Math.max(3, req.maxSteps) - 2) {
    const pc = distribution('class');
    if (state.notesAtPos > 0 && lastPitchNum() <= pLo) {
      pc[CLASS_NOTE] = 0;
      renormalize(pc);
    }
    const cls = model.support('class')[pick(pc, 'class')]!;
    if (cls === CLASS_EOS) {
      rows.push(typedRow(model, model.ids.typeEOS));
      return { rows, key: keyLabel ?? null, attributes };
    }
    const fields: Partial<Record<Field, number>> = {};
    for (const f of fieldsForClass(cls)) fields[f] = sampleField(f);
    rows.push(stepRow(model, cls, fields));
    state.advance(cls, fields);
  }
  // Out of steps: close the bar (unless one just began) and end.
  if (state.prevClass !== 'B') rows.push(stepRow(model, CLASS_BAR, {}));
  rows.push(typedRow(model, model.ids.typeEOS));
  return { rows, key: keyLabel ?? null, attributes };
}
