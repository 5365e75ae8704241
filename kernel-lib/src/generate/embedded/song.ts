import { transposeChord } from './chords.js';
import { CLASS_BAR, CLASS_EOS, CLASS_NOTE, CpModel, type Field, conditionOf, fieldsForClass } from './model.js';
import { argmax, nucleusSample, steer } from './sampler.js';
import { mulberry32 } from '../../prng.js';
import { foldPitch } from './tokenizer.js';
import { indexOf, numericBins, parseKey } from './vocabulary.js';

export const INFERENCE_MODES = ['inference-deterministic', 'inference-primed', 'inference-forced'] as const;
export type InferenceMode = (typeof INFERENCE_MODES)[number];

/** Fields that conditions and forcing may target: the ones the model predicts. */
export const STEERABLE_FIELDS = ['tempo', 'chord', 'pitch', 'duration', 'velocity'] as const;

/** Weight of the requested value mixed into each prediction of a conditioned field ("priming"). */
export const PRIME_WEIGHT = 0.5;
/** Nucleus mass for sampled modes. */
export const TOP_P = 0.9;
export const DEFAULT_MAX_STEPS = 1000;

export interface SongRequest {
  mode: InferenceMode;
  emotion: number;
  /** Key label (`A:maj`) for key-aware models. */
  key?: string;
  /** Field -> vocabulary index (output domain), steered toward in deterministic and primed modes. */
  conditions: Partial<Record<Field, number>>;
  /** Field -> vocabulary index, taken at every step that predicts the field (forced mode). */
  force: Partial<Record<Field, number>>;
  seed: number;
  maxSteps: number;
}

export interface Song {
  rows: number[][];
  /** Key written into the key column (key-aware models), or null. */
  key: string | null;
  /** Semitones from the model's common tonic (C / A) to the requested key. */
  shift: number;
}

function signedShift(from: number, to: number): number {
  const s = (((to - from) % 12) + 12) % 12;
  return s > 6 ? s - 12 : s;
}

/** Greedy decoding's repetition penalty (as in CTRL): a pitch among the last REPEAT_WINDOW notes loses this factor per use. */
export const REPEAT_PENALTY = 2;
export const REPEAT_WINDOW = 8;

function penaliseRepeats(p: Float64Array, support: readonly number[], recent: readonly number[]): void {
  for (const v of recent) {
    const k = support.indexOf(v);
    if (k >= 0) p[k]! /= REPEAT_PENALTY;
  }
}

/**
 * Greedy choice of the step class in two stages: first Note / some Beat / Bar / EOS by their total mass,
 * then the most probable beat. A flat argmax would favour Note whenever the beat mass is spread over 16
 * positions, stacking notes on one position forever.
 */
export function greedyClass(p: Float64Array): number {
  let beatMass = 0;
  let bestBeat = -1;
  for (let c = 2; c < CLASS_NOTE; c++) {
    beatMass += p[c]!;
    if (bestBeat < 0 || p[c]! > p[bestBeat]!) bestBeat = c;
  }
  const groups: Array<[number, number]> = [
    [CLASS_NOTE, p[CLASS_NOTE]!],
    [bestBeat, beatMass],
    [CLASS_BAR, p[CLASS_BAR]!],
    [CLASS_EOS, p[CLASS_EOS]!],
  ];
  let best = groups[0]!;
  for (const g of groups) if (g[1] > best[1]) best = g;
  return best[0];
}

/**
 * Generate one song as index rows (Emotion step first, Bar + EOS last). Key-aware models write in C major /
 * A minor and the result is moved to the requested key; conditions and forced values are translated into
 * that common key first so they hold after the move.
 */
export function generateSong(model: CpModel, req: SongRequest): Song {
  const vocab = model.vocab;
  const col = vocab.column;
  const keyAware = model.data.key_aware;
  let minor: boolean | undefined;
  let shift = 0;
  let keyLabel: string | null = null;
  if (keyAware) {
    const k = req.key !== undefined ? parseKey(req.key) : undefined;
    minor = k ? k.minor : model.data.default_mode[`e${req.emotion}`] === 'min';
    if (k) shift = signedShift(minor ? 9 : 0, k.tonic);
    keyLabel = req.key ?? (minor ? 'A:min' : 'C:maj');
  }
  const pitchBins = numericBins(vocab, 'pitch', 'Note_Pitch_');
  const pLo = pitchBins[0]!;
  const pHi = pitchBins[pitchBins.length - 1]!;
  const movePitch = (index: number, by: number) => {
    const label = vocab.word2event.pitch![String(index)];
    if (typeof label !== 'string') return index;
    const p = Number(label.slice('Note_Pitch_'.length));
    return indexOf(vocab, 'pitch', `Note_Pitch_${foldPitch(p + by, pLo, pHi)}`);
  };
  const moveChord = (index: number, by: number) => {
    const label = vocab.word2event.chord![String(index)];
    return typeof label === 'string' ? indexOf(vocab, 'chord', transposeChord(label, by)) : index;
  };
  const toCommon = (targets: Partial<Record<Field, number>>) => {
    const out: Partial<Record<Field, number>> = { ...targets };
    if (out.pitch !== undefined) out.pitch = movePitch(out.pitch, -shift);
    if (out.chord !== undefined) out.chord = moveChord(out.chord, -shift);
    return out;
  };
  const conditions = toCommon(req.conditions);
  const force = toCommon(req.force);

  const rand = mulberry32(req.seed);
  const pick = (p: Float64Array) => (req.mode === 'inference-deterministic' ? argmax(p) : nucleusSample(p, TOP_P, rand));

  const width = vocab.order.length;
  const emotionRow = new Array<number>(width).fill(0);
  emotionRow[col.type!] = model.ids.typeEmotion;
  emotionRow[col.emotion!] = indexOf(vocab, 'emotion', req.emotion);
  if (keyAware && keyLabel !== null) emotionRow[col.key!] = indexOf(vocab, 'key', keyLabel);
  const rows: number[][] = [emotionRow];

  const state = model.newState(conditionOf(req.emotion, minor));
  // Notes of one position come in descending pitch (the tokenizer's order): generation keeps them strictly so.
  const pitchSupport = model.support('pitch');
  const pitchNum = pitchSupport.map((i) => Number(String(vocab.word2event.pitch![String(i)]).slice('Note_Pitch_'.length)));
  const lastPitchNum = () => pitchNum[pitchSupport.indexOf(state.pitch[state.pitch.length - 1]!)]!;
  const recentPitches: number[] = [];
  let ended = false;
  // Leave room for the closing Bar and EOS.
  while (rows.length < Math.max(3, req.maxSteps) - 2) {
    const pc = model.distribution(state, 'class');
    if (state.notesAtPos > 0 && lastPitchNum() <= pLo) {
      pc[CLASS_NOTE] = 0;
      const sum = pc.reduce((x, y) => x + y, 0);
      for (let i = 0; i < pc.length; i++) pc[i]! /= sum;
    }
    const cls = model.support('class')[req.mode === 'inference-deterministic' ? greedyClass(pc) : pick(pc)]!;
    const row = new Array<number>(width).fill(0);
    if (cls === CLASS_EOS) {
      row[col.type!] = model.ids.typeEOS;
      rows.push(row);
      ended = true;
      break;
    }
    const fields: Partial<Record<Field, number>> = {};
    for (const f of fieldsForClass(cls)) {
      const support = model.support(f);
      const forced = req.mode === 'inference-forced' ? force[f] : undefined;
      if (forced !== undefined) {
        fields[f] = forced;
        continue;
      }
      const p = model.distribution(state, f);
      if (f === 'pitch' && state.notesAtPos > 0) {
        const below = lastPitchNum();
        let sum = 0;
        for (let k = 0; k < p.length; k++) {
          if (pitchNum[k]! >= below) p[k] = 0;
          sum += p[k]!;
        }
        for (let k = 0; k < p.length; k++) p[k]! /= sum;
      }
      if (f === 'pitch' && req.mode === 'inference-deterministic') penaliseRepeats(p, pitchSupport, recentPitches);
      const target = req.mode === 'inference-forced' ? undefined : conditions[f];
      if (target !== undefined) steer(p, support.indexOf(target), PRIME_WEIGHT);
      fields[f] = support[pick(p)]!;
    }
    if (cls === CLASS_NOTE) {
      row[col.type!] = model.ids.typeNote;
    } else {
      row[col.type!] = model.ids.typeMetrical;
      row[col['bar-beat']!] = cls === CLASS_BAR ? model.ids.bar : model.ids.beats[cls - 2]!;
    }
    for (const [f, v] of Object.entries(fields)) row[col[f]!] = v;
    if (fields.pitch !== undefined) {
      recentPitches.push(fields.pitch);
      if (recentPitches.length > REPEAT_WINDOW) recentPitches.shift();
    }
    rows.push(row);
    state.advance(cls, fields);
  }
  if (!ended) {
    if (state.prevClass !== 'B') {
      const bar = new Array<number>(width).fill(0);
      bar[col.type!] = model.ids.typeMetrical;
      bar[col['bar-beat']!] = model.ids.bar;
      rows.push(bar);
    }
    const eos = new Array<number>(width).fill(0);
    eos[col.type!] = model.ids.typeEOS;
    rows.push(eos);
  }

  if (shift !== 0) {
    for (const row of rows) {
      if (row[col.pitch!]! !== 0) row[col.pitch!] = movePitch(row[col.pitch!]!, shift);
      if (row[col.chord!]! !== 0) row[col.chord!] = moveChord(row[col.chord!]!, shift);
    }
  }
  // Octave folding at the range ends can move a translated forced pitch; the forced value is exact by contract.
  if (req.mode === 'inference-forced') {
    for (const row of rows) {
      for (const [f, v] of Object.entries(req.force)) {
        const noteField = f === 'pitch' || f === 'duration' || f === 'velocity';
        const isStep = noteField ? row[col.type!] === model.ids.typeNote : row[col.type!] === model.ids.typeMetrical && row[col['bar-beat']!] !== model.ids.bar;
        if (isStep) row[col[f]!] = v!;
      }
    }
  }
  return { rows, key: keyLabel, shift };
}
