import {
  CLASS_LETTERS,
  ContextIndex,
  HIST_INPUTS,
  IN_BARS,
  IN_BEAT,
  IN_CHORD,
  IN_ATTR,
  IN_CLASS,
  IN_COND,
  IN_HIST,
  IN_NOTES,
  IN_SECOND,
  IN_TEMPO,
  inputSizes,
} from './context-index.js';
import { BackoffTable } from './ngram.js';
import { type CpVocab, PITCH_NAMES, indexOf } from './vocabulary.js';

/**
 * The embedded CP model: each compound step is predicted field by field, like the CP transformer's
 * heads: first the step class (Bar, Beat_k, Note or EOS), then tempo and chord for a beat, or pitch,
 * duration and velocity for a note. Every field has its own Witten-Bell n-gram over the history of
 * that field. The conditions are context, learned from data, as a CP transformer's prefix tokens are:
 * - the emotion quadrant (and, for the key-aware model, major/minor) splits every context level but the last;
 * - a token condition (`--conditions {"duration": X}`) is a song attribute: in training, each clip's most
 *   frequent value of each field; its contexts sit on top of that field's chain;
 * - the key (requested for the key-aware model, else drawn from the emotion's training keys) weights pitch classes and chords by how often each degree appears in clips of
 *   that mode and emotion (counted relative to each clip's detected tonic), multiplied into the n-gram.
 */

export const MODEL_FORMAT = 'emotune-cp-ngram';
export const MODEL_VERSION = 3;

/** Step classes: 0 EOS, 1 Bar, 2+k Beat_k (k = 0..15), 18 Note. */
export const CLASS_EOS = 0;
export const CLASS_BAR = 1;
export const CLASS_NOTE = 18;
export const beatClass = (k: number) => 2 + k;
const CLASS_SUPPORT = Array.from({ length: 19 }, (_, i) => i);
/** Notes at one position beyond this are not allowed (a bound on any chord the sampler could stack). */
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
  /**
   * The same for duration. Note length is what most separates EMOPIA's calm clips from its agitated ones, and with
   * its longest history shared by all quadrants the shared level dominated: every quadrant wrote Q1/Q2-length notes.
   */
  durationConditionedHistory: number;
  /** Pitch contexts led by the current chord with this many previous pitches (down to 0); -1: none. */
  pitchChordHistory: number;
  /** Whether the chord-led pitch contexts are also split by condition. */
  pitchChordConditioned: boolean;
  /** Chord contexts back off through condition-split levels (previous chord, then the condition alone). */
  chordBackoffConditioned: boolean;
  /** Witten-Bell backoff strength: weight of the lower order is backoff * distinct successors. */
  backoff: number;
}

export const DEFAULT_SETTINGS: ModelSettings = {
  pitchOrder: 3,
  durationOrder: 3,
  velocityOrder: 3,
  conditioned: true,
  conditionedHistory: 1,
  durationConditionedHistory: 2,
  pitchChordHistory: 1,
  pitchChordConditioned: true,
  chordBackoffConditioned: true,
  backoff: 8,
};

/** Fields that take a song attribute (a token condition): the ones a condition may name. */
export const ATTRIBUTE_FIELDS = ['tempo', 'chord', 'pitch', 'duration', 'velocity'] as const;
export type AttributeField = (typeof ATTRIBUTE_FIELDS)[number];
export type Attributes = Partial<Record<AttributeField, number>>;
/** Context of an attribute level when the song has no attribute for the field: never counted, so skipped. */
const NO_ATTRIBUTE = '@-';
const NO_HISTORY: readonly number[] = [];

/** Receives one level's context and the inputs (context-index.ts) it is made of. */
type Level = (context: string, inputs: number[]) => void;

/** Inputs of a history suffix of length k (`slice(length - k)`): its last values, at most the HIST_INPUTS kept. */
const histInputs = (k: number): number[] => Array.from({ length: Math.min(k, HIST_INPUTS) }, (_, j) => IN_HIST + j);
/** The same inputs for a level that also carries the condition. */
const withCond = (inputs: readonly number[]): number[] => [IN_COND, ...inputs];

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
    support: {
      tempo: nonZero('tempo'),
      chord: nonZero('chord'),
      pitch: nonZero('pitch'),
      duration: nonZero('duration'),
      velocity: nonZero('velocity'),
    },
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
  /** Octave (MIDI pitch / 12, floored) of a pitch index; set by the model. */
  octaveOf: (pitchIndex: number) => number = () => 0;
  /** Highest (first) pitch of each position so far: the melody line a position's first note continues. */
  top: number[] = [];
  duration: number[] = [];
  velocity: number[] = [];

  constructor(
    readonly cond: string,
    readonly settings: ModelSettings,
    /** CONTI indices of tempo and chord: a CONTI beat keeps the previous values in the contexts. */
    private readonly conti: { tempo: number; chord: number } = { tempo: -1, chord: -1 },
    /** Song attributes (token conditions), field -> vocabulary index. */
    readonly attributes: Attributes = {},
    /** The song's key: tonic pitch class and the key profile it weights pitches and chords with. */
    readonly key?: SongKey,
  ) {}

  /** The two attribute levels of a field: attribute with condition and previous value, attribute with condition. */
  private attributeLevels(field: AttributeField, previous: number | string, inputs: number[], lv: Level): void {
    const a = this.attributes[field];
    lv(a === undefined ? NO_ATTRIBUTE : `@${a}|${this.cond}|${previous}`, [IN_ATTR, IN_COND, ...inputs]);
    lv(a === undefined ? NO_ATTRIBUTE : `@${a}|${this.cond}`, [IN_ATTR, IN_COND]);
  }

  private last(h: readonly number[]): number | string {
    return h.length === 0 ? '' : h[h.length - 1]!;
  }

  private chain(
    history: readonly number[],
    order: number,
    extra: string,
    extraInputs: readonly number[],
    conditionedHistory = this.settings.conditionedHistory,
  ): Array<[string, number[]]> {
    const out: Array<[string, number[]]> = [];
    for (let k = order - 1; k >= 0; k--) {
      const h = `${extra}|${history.slice(history.length - k).join(',')}`;
      const inputs = [...extraInputs, ...histInputs(k)];
      if (this.settings.conditioned && k <= conditionedHistory) out.push([`${this.cond}|${h}`, withCond(inputs)]);
      out.push([h, inputs]);
    }
    return out;
  }

  contexts(field: Field): string[] {
    const out: string[] = [];
    this.levels(field, (ctx) => out.push(ctx));
    return out;
  }

  /**
   * Which inputs (context-index.ts) each level of a field's contexts reads: the same for every state of a
   * model, so a ContextIndex can look each level up by those numbers.
   */
  levelInputs(field: Field): number[][] {
    const out: number[][] = [];
    this.levels(field, (_, inputs) => out.push(inputs));
    return out;
  }

  /** Every level's context of a field, most specific first, with the inputs it is made of. */
  private levels(field: Field, lv: Level): void {
    const conditioned = this.settings.conditioned;
    switch (field) {
      case 'class': {
        // After a Bar: how many bars so far; after a Note: the octave of that note (a low bass ends a position).
        const bars =
          this.prevClass === 'B'
            ? String(Math.min(this.bars, 40))
            : this.prevClass === 'N'
              ? `o${this.octaveOf(this.pitch[this.pitch.length - 1]!)}`
              : '';
        const base = `${this.prevClass}|${Math.min(this.notesAtPos, 8)}|${this.lastBeat}`;
        if (conditioned) lv(`${this.cond}|${base}|${bars}`, [IN_COND, IN_CLASS, IN_NOTES, IN_BEAT, IN_BARS]);
        lv(`${base}|${bars}`, [IN_CLASS, IN_NOTES, IN_BEAT, IN_BARS]);
        lv(base, [IN_CLASS, IN_NOTES, IN_BEAT]);
        lv(this.prevClass, [IN_CLASS]);
        return;
      }
      case 'tempo':
        this.attributeLevels('tempo', this.tempoSeen, [IN_TEMPO], lv);
        if (conditioned) lv(`${this.cond}|${this.tempoSeen}`, [IN_COND, IN_TEMPO]);
        lv(`${this.tempoSeen}`, [IN_TEMPO]);
        return;
      case 'chord': {
        this.attributeLevels('chord', this.prevChord, [IN_CHORD], lv);
        if (conditioned) lv(`${this.cond}|${this.prevChord}|${this.lastBeat}`, [IN_COND, IN_CHORD, IN_BEAT]);
        if (this.settings.chordBackoffConditioned) {
          if (conditioned) lv(`${this.cond}|${this.prevChord}`, [IN_COND, IN_CHORD]);
          lv(`${this.prevChord}`, [IN_CHORD]);
          if (conditioned) lv(this.cond, [IN_COND]);
          return;
        }
        lv(`${this.prevChord}|${this.lastBeat}`, [IN_CHORD, IN_BEAT]);
        lv(`${this.prevChord}`, [IN_CHORD]);
        return;
      }
      case 'pitch': {
        const sp = this.notesAtPos > 0 ? 's' : 'n';
        // A position's first note continues the melody (earlier first notes); the others go down from it.
        const hist = sp === 'n' ? this.top : this.pitch;
        // Most specific first: chord with previous pitches, then previous pitches alone, and only then the
        // chord without pitch history (else the chord levels outweigh the register the notes are in).
        const byChord = (k: number) => {
          const h = `${this.prevChord}|${sp}|${hist.slice(hist.length - k).join(',')}`;
          const inputs = [IN_CHORD, IN_SECOND, ...histInputs(k)];
          if (conditioned && this.settings.pitchChordConditioned) lv(`${this.cond}|${h}`, withCond(inputs));
          lv(h, inputs);
        };
        const chain = this.chain(hist, this.settings.pitchOrder, sp, [IN_SECOND]);
        const perK = conditioned ? 2 : 1; // entries of the history-free level at the chain's end
        this.attributeLevels('pitch', this.last(hist), histInputs(1), lv);
        for (let k = this.settings.pitchChordHistory; k >= 1; k--) byChord(k);
        for (const [ctx, inputs] of chain.slice(0, chain.length - perK)) lv(ctx, inputs);
        byChord(0);
        for (const [ctx, inputs] of chain.slice(chain.length - perK)) lv(ctx, inputs);
        return;
      }
      case 'duration': {
        this.attributeLevels('duration', this.last(this.duration), histInputs(1), lv);
        const sp = this.notesAtPos > 0 ? 's' : 'n';
        const chain = this.chain(
          this.duration,
          this.settings.durationOrder,
          sp,
          [IN_SECOND],
          this.settings.durationConditionedHistory,
        );
        for (const [ctx, inputs] of chain) lv(ctx, inputs);
        return;
      }
      case 'velocity':
        this.attributeLevels('velocity', this.last(this.velocity), histInputs(1), lv);
        for (const [ctx, inputs] of this.chain(this.velocity, this.settings.velocityOrder, '', [])) lv(ctx, inputs);
        return;
    }
  }

  /** The numbers the contexts of `field` are made of, by input (context-index.ts), into `out`. */
  contextInputs(field: Field, out: number[]): void {
    out[IN_CLASS] = CLASS_LETTERS.indexOf(this.prevClass);
    out[IN_NOTES] = Math.min(this.notesAtPos, 8);
    out[IN_BEAT] = this.lastBeat + 1;
    out[IN_BARS] =
      this.prevClass === 'B'
        ? 1 + Math.min(this.bars, 40)
        : this.prevClass === 'N' && field === 'class'
          ? 100 + this.octaveOf(this.pitch[this.pitch.length - 1]!)
          : 0;
    out[IN_TEMPO] = this.tempoSeen;
    out[IN_CHORD] = this.prevChord;
    out[IN_SECOND] = this.notesAtPos > 0 ? 1 : 0;
    const a = field === 'class' ? undefined : this.attributes[field];
    out[IN_ATTR] = a === undefined ? 0 : a + 1;
    const hist =
      field === 'pitch'
        ? this.notesAtPos > 0
          ? this.pitch
          : this.top
        : field === 'duration'
          ? this.duration
          : field === 'velocity'
            ? this.velocity
            : NO_HISTORY;
    for (let j = 0; j < HIST_INPUTS; j++) out[IN_HIST + j] = j < hist.length ? hist[hist.length - 1 - j]! + 1 : 0;
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
    const keep = HIST_INPUTS; // all a context can read (context-index.ts)
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
      if (this.notesAtPos === 0) push(this.top, fields.pitch!);
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
  /** Per emotion (`e1`..`e4`), how many training clips are in each key: a song without a requested key draws its key from these. */
  keys: Record<string, Record<string, number>>;
  /**
   * Per emotion and mode (`e1M`, `e3m`), counts of pitch classes (12, relative to the clip's tonic, notes) and
   * of chords (`<root relative to the tonic>_<quality>`, beats with a new chord).
   */
  key_profiles: Record<string, { pitch: number[]; chord: Record<string, number> }>;
  /** Per attribute field, the values that were some clip's most frequent value (sorted indices). */
  attributes_seen: Partial<Record<AttributeField, number[]>>;
  /**
   * Per emotion (`e1`..`e4`) and field, how many training clips had each value (vocabulary index, as a string) as
   * their most frequent one: an unconditioned song draws its attributes of DRAWN_ATTRIBUTE_FIELDS from these, as it
   * draws its key, so a song keeps one character (a calm clip's long notes) rather than the quadrant's average.
   */
  song_attributes: Record<string, Partial<Record<AttributeField, Record<string, number>>>>;
  /**
   * EMOPIA's played timing, ticks at 480 a beat: `position[i]` counts grid positions whose earliest note starts
   * i - TIMING_SPAN from the position; `spread[i]` counts other notes there starting i ticks after that one.
   */
  timing: { position: number[]; spread: number[] };
  training: TrainingSummary;
  tables: Record<Field, BackoffTable>;
}

/** Offsets of the `timing.position` histogram: index i is offset i - TIMING_SPAN ticks; `timing.spread` runs 0..2 * TIMING_SPAN. */
export const TIMING_SPAN = 60;

/** A song's key as the model uses it: tonic pitch class, and the key profile (`e1M`: emotion and mode). */
export interface SongKey {
  tonic: number;
  profile: string;
}

/** One tokenized piece for counting or scoring. */
export interface Piece {
  rows: readonly (readonly number[])[];
  cond: string;
  attributes?: Attributes;
  key?: SongKey;
}

/** Chord label `C#_m7` -> [root pitch class, quality], undefined for N_N, CONTI and padding. */
export function chordParts(label: unknown): [number, string] | undefined {
  if (typeof label !== 'string') return undefined;
  const i = label.indexOf('_');
  const root = (PITCH_NAMES as readonly string[]).indexOf(label.slice(0, i));
  return i < 0 || root < 0 ? undefined : [root, label.slice(i + 1)];
}

/** Key-profile key of a chord in a key: root relative to the tonic, and quality (`7_M` = the dominant triad). */
export function relativeChord(root: number, quality: string, tonic: number): string {
  return `${(((root - tonic) % 12) + 12) % 12}_${quality}`;
}

export class CpModel {
  readonly ids: VocabIds;
  /** Pitch class of each pitch support value; root and quality of each chord support value. */
  private readonly pitchClass: number[];
  private readonly pitchNumber: Map<number, number>;
  private readonly chordOf: Array<[number, string] | undefined>;

  constructor(
    readonly data: CpModelData,
    readonly vocab: CpVocab,
  ) {
    this.ids = vocabIds(vocab);
    this.pitchNumber = new Map(
      this.ids.support.pitch.map((i) => [
        i,
        Number(String(vocab.word2event.pitch![String(i)]).slice('Note_Pitch_'.length)),
      ]),
    );
    this.pitchClass = this.ids.support.pitch.map((i) => this.pitchNumber.get(i)! % 12);
    this.chordOf = this.ids.support.chord.map((i) => chordParts(vocab.word2event.chord![String(i)]));
    this.maxIndex = Math.max(
      ...ATTRIBUTE_FIELDS.flatMap((f) => this.ids.support[f]),
      this.ids.conti.tempo,
      this.ids.conti.chord,
    );
  }

  /** Largest vocabulary index of a predicted field: the range of the context inputs made of values. */
  private readonly maxIndex: number;

  newState(cond: string, attributes: Attributes = {}, key?: SongKey): CpState {
    const state = new CpState(cond, this.data.settings, this.ids.conti, attributes, key);
    state.octaveOf = (i) => Math.floor(this.pitchNumber.get(i)! / 12);
    return state;
  }

  /**
   * Multiply the key profile of the state's condition into a pitch or chord distribution: each value by how
   * much more often its degree occurs than the average degree (add-one smoothed), then renormalise.
   */
  private applyKey(state: CpState, field: 'pitch' | 'chord', p: Float64Array): void {
    if (state.key === undefined || !this.data.key_profiles[state.key.profile]) return;
    const weight = this.keyWeights(state.key.profile, state.key.tonic, field);
    let sum = 0;
    for (let k = 0; k < p.length; k++) sum += p[k]! *= weight[k]!;
    for (let k = 0; k < p.length; k++) p[k]! /= sum;
  }

  /** Memo of keyWeights: a function of the model's data and its arguments only. */
  private readonly weightMemo = new Map<string, Float64Array>();

  /** Key-profile weight of each support value of pitch or chord, for a condition and tonic. */
  keyWeights(cond: string, tonic: number, field: 'pitch' | 'chord'): Float64Array {
    const memoKey = `${cond}|${tonic}|${field}`;
    const hit = this.weightMemo.get(memoKey);
    if (hit) return hit;
    const profile = this.data.key_profiles[cond]!;
    const rel = (pc: number) => (((pc - tonic) % 12) + 12) % 12;
    let w: Float64Array;
    if (field === 'pitch') {
      const total = profile.pitch.reduce((a, b) => a + b, 0);
      w = Float64Array.from(this.pitchClass, (pc) => ((profile.pitch[rel(pc)]! + 1) * 12) / (total + 12));
    } else {
      w = Float64Array.from(this.chordOf, (parts) => {
        if (!parts) return 1;
        let sum = 0;
        for (let r = 0; r < 12; r++) sum += profile.chord[`${r}_${parts[1]}`] ?? 0;
        return ((profile.chord[relativeChord(parts[0], parts[1], tonic)] ?? 0) + 1) / (sum / 12 + 1);
      });
    }
    this.weightMemo.set(memoKey, w);
    return w;
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
    return this.distributionInto(state, field, new Float64Array(this.support(field).length));
  }

  /** `distribution` written into `p` (as long as the field's support): generation reuses one buffer per field. */
  distributionInto(state: CpState, field: Field, p: Float64Array): Float64Array {
    const { backoff } = this.data.settings;
    if (!this.indexOf(field)?.mixInto(state, p, backoff)) {
      const table = this.data.tables[field];
      const contexts = state.contexts(field);
      const rows = contexts.map((ctx, i) => table.levels[i]!.get(ctx));
      table.mixInto(p, rows, this.support(field), backoff);
    }
    if (field === 'pitch' || field === 'chord') this.applyKey(state, field, p);
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

  /** Each field's context index, made at its first use (null: the field is looked up by its strings). */
  private readonly indexes: Partial<Record<Field, ContextIndex<Field> | null>> = {};

  private indexOf(field: Field): ContextIndex<Field> | null {
    let index = this.indexes[field];
    if (index === undefined) {
      // Which inputs each level reads depends on the settings only; any state shows it.
      const probe = new CpState('', this.data.settings);
      const sizes = inputSizes(this.maxIndex + 1);
      const table = this.data.tables[field];
      index = ContextIndex.create(field, table, probe.levelInputs(field), sizes, this.support(field)) ?? null;
      this.indexes[field] = index;
    }
    return index;
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
export function countPiece(model: CpModel, piece: Piece): number {
  const { rows } = piece;
  const state = model.newState(piece.cond, piece.attributes, piece.key);
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
  piece: Piece,
  perField?: Partial<Record<Field, number>>,
): { logLik: number; steps: number } {
  const { rows } = piece;
  // Scoring sees no attributes: they are the song's own answers.
  const state = model.newState(piece.cond, {}, piece.key);
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
  const sorted = <T>(o: Record<string, T>): Record<string, T> =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]!]),
    );
  const keyProfiles: Record<string, unknown> = {};
  for (const k of Object.keys(data.key_profiles).sort())
    keyProfiles[k] = { pitch: data.key_profiles[k]!.pitch, chord: sorted(data.key_profiles[k]!.chord) };
  const seen: Record<string, number[]> = {};
  for (const f of ATTRIBUTE_FIELDS)
    if (data.attributes_seen[f]) seen[f] = [...data.attributes_seen[f]!].sort((a, b) => a - b);
  return `${JSON.stringify({
    format: data.format,
    version: data.version,
    name: data.name,
    key_aware: data.key_aware,
    vocab_order: data.vocab_order,
    settings: data.settings,
    keys: Object.fromEntries(
      Object.keys(data.keys)
        .sort()
        .map((e) => [e, sorted(data.keys[e]!)]),
    ),
    key_profiles: keyProfiles,
    attributes_seen: seen,
    song_attributes: Object.fromEntries(
      Object.keys(data.song_attributes)
        .sort()
        .map((e) => {
          const byField = data.song_attributes[e]!;
          return [
            e,
            Object.fromEntries(
              ATTRIBUTE_FIELDS.filter((f) => byField[f]).map((f) => [
                f,
                Object.fromEntries(
                  Object.keys(byField[f]!)
                    .sort((a, b) => Number(a) - Number(b))
                    .map((v) => [v, byField[f]![v]!]),
                ),
              ]),
            ),
          ];
        }),
    ),
    timing: data.timing,
    training: { ...data.training, conditions },
    tables,
  })}\n`;
}
