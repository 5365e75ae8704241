/** Records shared by every reader and writer in `formats/`; later stages depend on these shapes only. */

/** Integer dtypes the `.npy` reader accepts (both byte orders; `|` for single-byte types). */
export type NpyIntDtype = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

/** A C-order integer array from a `.npy` file; values as JS numbers (int64 beyond 2^53 is rejected). */
export interface IntArray {
  dtype: NpyIntDtype;
  shape: number[];
  data: Int32Array | Float64Array | number[];
}

/** One note as pretty_midi/miditoolkit pair it: ticks, not seconds. */
export interface MidiNote {
  pitch: number;
  velocity: number;
  /** Start tick (absolute). */
  start: number;
  /** End tick (absolute). */
  end: number;
  channel: number;
  /** Index of the MIDI track the note came from. */
  track: number;
}

export interface TempoChange {
  tick: number;
  /** Beats per minute (from microseconds per quarter). */
  bpm: number;
}

export interface TimeSignatureChange {
  tick: number;
  numerator: number;
  denominator: number;
}

export interface KeySignatureChange {
  tick: number;
  /** Sharps (positive) or flats (negative). */
  key: number;
  /** 0 major, 1 minor, as written in the file. */
  scale: number;
}

/** A MIDI file reduced to what the pipeline measures. Notes sorted by (start, pitch, end). */
export interface MidiScore {
  ticksPerBeat: number;
  notes: MidiNote[];
  tempos: TempoChange[];
  timeSignatures: TimeSignatureChange[];
  keySignatures: KeySignatureChange[];
  /** Whether a note came from channel 10 (index 9): drums are kept but flagged. */
  drumChannels: number[];
  /** The last tick of any event in the file. */
  maxTick: number;
}

/** `NAME.meta.json` as written by a generator following the main_cp.py contract (docs/generator-contract.md). */
export interface GenerationMeta {
  /** Absolute path of the meta file itself. */
  file: string;
  paths: {
    /** Resolved to an absolute path (relative paths are taken from the meta file's folder). */
    npy: string;
    midi: string;
  };
  inference_mode?: string;
  emotion_tag?: number;
  key_tag?: string | null;
  conditions_indices?: Record<string, number>;
  force_indices?: Record<string, number>;
  vocab_order: string[];
  /** Every other field, kept as read. */
  extra: Record<string, unknown>;
}

/** word2event: token type -> { index-as-string -> label }. Index 0 is padding (label 0, a number). */
export type Word2Event = Record<string, Record<string, string | number>>;
