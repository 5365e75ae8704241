import { BackoffTable } from './ngram.js';
import { type CpVocab, indexOf } from './vocabulary.js';

/**
 * The embedded CP model: each compound step is predicted field by field, like the CP transformer's
 * heads: first the step class (Bar, Beat_k, Note or EOS), then tempo and chord for a beat, or pitch,
 * duration and velocity for a note. Every field has its own Witten-Bell n-gram over the history of
 * that field, conditioned on the emotion quadrant (and, for the key-aware model, major/minor).
 */

export const MODEL_FORMAT = 'emotune-cp-ngram';
export const MODEL_VERSION = 1;

/** Step classes: 0 EOS, 1 Bar, 2+k Beat_k (k = 0..15), 18 Note. */
export const CLASS_EOS = 0;
export const CLASS_BAR = 1;
export const CLASS_NOTE = 18;
export const beatClass = (k: number) => 2 + k;
const CLASS_SUPPORT = Array.from({ length: 19 }, (_, i) => i);
/** Notes at one position beyond this are not allowed (keeps greedy decoding from stacking forever). */
export const MAX_NOTES_PER_POSITION = 12;

export const FIELDS = ['class', 'tempo', 'chord', 'pitch', 'duration', 'velocity'] as const;
export type Field = (typeof FIELDS)[number];
export const NOTE_FIELDS = ['pitch', 'duration', 'velocity'] as const;
export const BEAT_FIELDS = ['tempo', 'chord'] as const;

export interface ModelSettings {
  /** n-gram orders (history length + 1) of the note fields. */
  pitchOrder: number;
  durationOrder: number;
  velocityOrder: number;
  /** Whether contexts carry the condition (emotion, and mode for key-aware models). */
  conditioned: boolean;
  /** Longest history that is also split by condition (longer ones are shared by all conditions: less sparse). */
  conditionedHistory: number;
  /** Pitch contexts led by the current chord with this many previous pitches (down to 0); -1: none. */
  pitchChordHistory: number;
  /** Whether the chord-led pitch contexts are also split by condition. */
  pitchChordConditioned: boolean;
  /** Chord contexts back off through condition-split levels (previous chord, then the condition alone). */
  chordBackoffConditioned: boolean;
  /** Witten-Bell backoff strength: weight of the lower order is backoff * distinct successors. */
  backoff: number;
}

export const DEFAULT_SETTINGS: ModelSettings = { pitchOrder: 3, durationOrder: 3, velocityOrder: 3, conditioned: true, conditionedHistory: 1, pitchChordHistory: 1, pitchChordConditioned: true, chordBackoffConditioned: true, backoff: 8 };

/** Indices of the vocabulary entries the state machine needs. */
export interface VocabIds {
  typeEOS: number;
  typeEmotion: number;
  typeMetrical: number;
  typeNote: number;
  bar: number;
  beats: number[];
  /** beat index -> k */
  beatOf: Map<number, number>;
  conti: { tempo: number; chord: number };
  support: Record<'tempo' | 'chord' | 'pitch' | 'duration' | 'velocity', number[]>;
}

export function vocabIds(vocab: CpVocab): VocabIds {
  const beats = Array.from({ length: 16 }, (_, k) => indexOf(vocab, 'bar-beat', `Beat_${k}`));
  const nonZero = (t: string) => [...vocab.event2word[t]!.values()].filter((i) => i !== 0).sort((a, b) => a - b);
  return {
    typeEOS: indexOf(vocab, 'type', 'EOS'),
    typeEmotion: indexOf(vocab, 'type', 'Emotion'),
    typeMetrical: indexOf(vocab, 'type', 'Metrical'),
    typeNote: indexOf(vocab, 'type', 'Note'),
    bar: indexOf(vocab, 'bar-beat', 'Bar'),
    beats,
    beatOf: new Map(beats.map((b, k) => [b, k])),
    conti: { tempo: indexOf(vocab, 'tempo', 'CONTI'), chord: indexOf(vocab, 'chord', 'CONTI') },
    support: { tempo: nonZero('tempo'), chord: nonZero('chord'), pitch: nonZero('pitch'), duration: nonZero('duration'), velocity: nonZero('velocity') },
  };
}

/** The decoding state: what the contexts are made of. */
export class CpState {
  prevClass = 'S';
  lastBeat = -1;
  notesAtPos = 0;
  bars = 0;
  tempoSeen = 0;
  prevChord = 0;
  pitch: number[] = [];
  duration: number[] = [];
  velocity: number[] = [];

  constructor(
    readonly cond: string,
    readonly settings: ModelSettings,
    /** CONTI indices of tempo and chord: a CONTI beat keeps the previous values in the contexts. */
    private readonly conti: { tempo: number; chord: number } = { tempo: -1, chord: -1 },
  ) {}

  private chain(history: readonly number[], order: number, extra: string): string[] {
    const out: string[] = [];
    for (let k = order - 1; k >= 0; k--) {
      const h = `${extra}|${history.slice(history.length - k).join(',')}`;
      if (this.settings.conditioned && k <= this.settings.conditionedHistory) out.push(`${this.cond}|${h}`);
      out.push(h);
    }
    return out;
  }

  contexts(field: Field): string[] {
    const c = this.settings.conditioned ? [this.cond] : [];
    switch (field) {
      case 'class': {
        const bars = this.prevClass === 'B' ? String(Math.min(this.bars, 40)) : '';
        const base = `${this.prevClass}|${Math.min(this.notesAtPos, 8)}|${this.lastBeat}`;
        return [...c.map((x) => `${x}|${base}|${bars}`), `${base}|${bars}`, base, this.prevClass];
      }
      case 'tempo':
        return [...c.map((x) => `${x}|${this.tempoSeen}`), `${this.tempoSeen}`];
      case 'chord':
        if (this.settings.chordBackoffConditioned) {
          return [...c.map((x) => `${x}|${this.prevChord}|${this.lastBeat}`), ...c.map((x) => `${x}|${this.prevChord}`), `${this.prevChord}`, ...c];
        }
        return [...c.map((x) => `${x}|${this.prevChord}|${this.lastBeat}`), `${this.prevChord}|${this.lastBeat}`, `${this.prevChord}`];
      case 'pitch': {
        const sp = this.notesAtPos > 0 ? 's' : 'n';
        const byChord: string[] = [];
        for (let k = this.settings.pitchChordHistory; k >= 0; k--) {
          const h = `${this.prevChord}|${sp}|${this.pitch.slice(this.pitch.length - k).join(',')}`;
          if (this.settings.conditioned && this.settings.pitchChordConditioned) byChord.push(`${this.cond}|${h}`);
          byChord.push(h);
        }
        return [...byChord, ...this.chain(this.pitch, this.settings.pitchOrder, sp)];
      }
      case 'duration':
        return this.chain(this.duration, this.settings.durationOrder, this.notesAtPos > 0 ? 's' : 'n');
      case 'velocity':
        return this.chain(this.velocity, this.settings.velocityOrder, '');
    }
  }

  /** Which classes may follow (EMOPIA's grammar): notes only after a beat of this bar, beats move forward, EOS after a bar. */
  allowed(cls: number): boolean {
    if (this.prevClass === 'S') return cls === CLASS_BAR;
    if (cls === CLASS_NOTE) return this.lastBeat >= 0 && this.notesAtPos < MAX_NOTES_PER_POSITION;
    if (cls === CLASS_EOS) return this.prevClass === 'B';
    if (cls === CLASS_BAR) return true;
    return cls - 2 > this.lastBeat;
  }

  advance(cls: number, fields: Partial<Record<Field, number>>): void {
    const keep = 4;
    const push = (h: number[], v: number) => {
      h.push(v);
      if (h.length > keep) h.shift();
    };
    if (cls === CLASS_BAR) {
      this.prevClass = 'B';
      this.lastBeat = -1;
      this.notesAtPos = 0;
      this.bars++;
    } else if (cls === CLASS_NOTE) {
      this.prevClass = 'N';
      this.notesAtPos++;
      push(this.pitch, fields.pitch!);
      push(this.duration, fields.duration!);
      push(this.velocity, fields.velocity!);
    } else if (cls === CLASS_EOS) {
      this.prevClass = 'E';
    } else {
      this.prevClass = 'b';
      this.lastBeat = cls - 2;
      this.notesAtPos = 0;
      if (fields.tempo !== undefined && fields.tempo !== this.conti.tempo) this.tempoSeen = 1;
      if (fields.chord !== undefined && fields.chord !== this.conti.chord) this.prevChord = fields.chord;
    }
  }
}

/** Condition string of a piece: emotion, plus M/m for key-aware models. */
export function conditionOf(emotion: number, minor: boolean | undefined): string {
  return minor === undefined ? `e${emotion}` : `e${emotion}${minor ? 'm' : 'M'}`;
}

export interface TrainingSummary {
  clips: number;
  steps: number;
  /** clips per condition string */
  conditions: Record<string, number>;
  /** The `--seed` given to training; counting uses no randomness, so it is recorded only. */
  seed: number;
}

export interface CpModelData {
  format: string;
  version: number;
  name: string;
  key_aware: boolean;
  vocab_order: string[];
  settings: ModelSettings;
  /** Key-aware: the mode (maj/min) most clips of each emotion are in, used when no key is asked for. */
  default_mode: Record<string, 'maj' | 'min'>;
  training: TrainingSummary;
  tables: Record<Field, BackoffTable>;
}

export class CpModel {
  readonly ids: VocabIds;

  constructor(
    readonly data: CpModelData,
    readonly vocab: CpVocab,
  ) {
    this.ids = vocabIds(vocab);
  }

  newState(cond: string): CpState {
    return new CpState(cond, this.data.settings, this.ids.conti);
  }

  /** Class of an index row (undefined for the Emotion step). */
  classOf(row: readonly number[]): number | undefined {
    const c = this.vocab.column;
    const type = row[c.type!]!;
    if (type === this.ids.typeEmotion) return undefined;
    if (type === this.ids.typeEOS) return CLASS_EOS;
    if (type === this.ids.typeNote) return CLASS_NOTE;
    const bb = row[c['bar-beat']!]!;
    if (bb === this.ids.bar) return CLASS_BAR;
    const k = this.ids.beatOf.get(bb);
    if (k === undefined) throw new Error(`metrical step without Bar or Beat (bar-beat index ${bb})`);
    return beatClass(k);
  }

  support(field: Field): readonly number[] {
    return field === 'class' ? CLASS_SUPPORT : this.ids.support[field];
  }

  /** Distribution over `support(field)`; for classes, disallowed ones get 0 and the rest renormalise. */
  distribution(state: CpState, field: Field): Float64Array {
    const p = this.data.tables[field].distribution(state.contexts(field), this.support(field), this.data.settings.backoff);
    if (field === 'class') {
      let sum = 0;
      for (let i = 0; i < p.length; i++) {
        if (!state.allowed(i)) p[i] = 0;
        sum += p[i]!;
      }
      for (let i = 0; i < p.length; i++) p[i]! /= sum;
    }
    return p;
  }

  /** Fields of a row, by class, as the state machine consumes them. */
  fieldsOf(row: readonly number[], cls: number): Partial<Record<Field, number>> {
    const c = this.vocab.column;
    if (cls === CLASS_NOTE) return { pitch: row[c.pitch!]!, duration: row[c.duration!]!, velocity: row[c.velocity!]! };
    if (cls >= 2 && cls < CLASS_NOTE) return { tempo: row[c.tempo!]!, chord: row[c.chord!]! };
    return {};
  }
}

/** Fields predicted at a step of this class. */
export function fieldsForClass(cls: number): readonly Field[] {
  if (cls === CLASS_NOTE) return NOTE_FIELDS;
  if (cls >= 2 && cls < CLASS_NOTE) return BEAT_FIELDS;
  return [];
}

export function emptyTables(settings: ModelSettings): Record<Field, BackoffTable> {
  const probe = new CpState('x', settings);
  const out = {} as Record<Field, BackoffTable>;
  for (const f of FIELDS) out[f] = new BackoffTable(probe.contexts(f).length);
  return out;
}

/** Add one tokenized piece (index rows, Emotion step first) to the counts. */
export function countPiece(model: CpModel, rows: readonly (readonly number[])[], cond: string): number {
  const state = model.newState(cond);
  let steps = 0;
  for (const row of rows) {
    const cls = model.classOf(row);
    if (cls === undefined) continue;
    model.data.tables.class.add(state.contexts('class'), cls);
    const fields = model.fieldsOf(row, cls);
    for (const f of fieldsForClass(cls)) model.data.tables[f].add(state.contexts(f), fields[f]!);
    state.advance(cls, fields);
    steps++;
    if (cls === CLASS_EOS) break;
  }
  return steps;
}

/** Natural-log likelihood of a piece under the model and the number of predicted steps. */
export function scorePiece(
  model: CpModel,
  rows: readonly (readonly number[])[],
  cond: string,
  perField?: Partial<Record<Field, number>>,
): { logLik: number; steps: number } {
  const state = model.newState(cond);
  let logLik = 0;
  let steps = 0;
  for (const row of rows) {
    const cls = model.classOf(row);
    if (cls === undefined) continue;
    const pc = model.distribution(state, 'class');
    logLik += Math.log(pc[cls]!);
    if (perField) perField.class = (perField.class ?? 0) + Math.log(pc[cls]!);
    const fields = model.fieldsOf(row, cls);
    for (const f of fieldsForClass(cls)) {
      const support = model.support(f);
      const p = model.distribution(state, f);
      const lp = Math.log(p[support.indexOf(fields[f]!)]!);
      logLik += lp;
      if (perField) perField[f] = (perField[f] ?? 0) + lp;
    }
    state.advance(cls, fields);
    steps++;
    if (cls === CLASS_EOS) break;
  }
  return { logLik, steps };
}

/** Plain JSON of a model: sorted tables, no timestamps, so identical training gives identical bytes. */
export function serialiseModel(data: CpModelData): string {
  const tables: Record<string, unknown> = {};
  for (const f of FIELDS) tables[f] = data.tables[f].toJSON();
  const conditions: Record<string, number> = {};
  for (const k of Object.keys(data.training.conditions).sort()) conditions[k] = data.training.conditions[k]!;
  const defaultMode: Record<string, string> = {};
  for (const k of Object.keys(data.default_mode).sort()) defaultMode[k] = data.default_mode[k]!;
  return `${JSON.stringify({
    format: data.format,
    version: data.version,
    name: data.name,
    key_aware: data.key_aware,
    vocab_order: data.vocab_order,
    settings: data.settings,
    default_mode: defaultMode,
    training: { ...data.training, conditions },
    tables,
  })}\n`;
}
