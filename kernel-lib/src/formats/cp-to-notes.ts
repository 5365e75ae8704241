import { EmotuneError, describeValue } from '../errors.js';
import { encodeMidi } from './midi-write.js';
import type { IntArray, MidiNote, MidiScore, TempoChange, Word2Event } from './types.js';

/**
 * Compound-word (CP) token rows to notes, with the semantics of EMOPIA's `write_midi`
 * (workspace/transformer/utils.py): 480 ticks per beat, 1920-tick bars, positions on a 120-tick grid.
 * - A `Metrical` row with `Bar` counts a bar (the position moves only at the next `Beat_n`).
 * - A `Metrical` row with `Beat_n` sets the position to bars * 1920 + n * 120, and a tempo label other
 *   than `CONTI`/padding adds a tempo change there.
 * - A `Note` row adds a note at the position; duration 0 becomes 60 ticks. Rows whose pitch, duration or
 *   velocity label carries no number (padding 0, `CONTI`) are skipped, as write_midi's `try` skips them.
 * - Any other type (padding, `EOS`, `Emotion`, ...) is ignored.
 */

export const CP_TICKS_PER_BEAT = 480;
export const CP_BAR_TICKS = CP_TICKS_PER_BEAT * 4;
export const CP_GRID_TICKS = CP_TICKS_PER_BEAT / 4;
/** write_midi's replacement for a zero duration. */
export const CP_ZERO_DURATION_TICKS = 60;

const REQUIRED = ['tempo', 'bar-beat', 'type', 'pitch', 'duration', 'velocity'] as const;
type Column = (typeof REQUIRED)[number];

/** Python's int() on a label part: optional sign and decimal digits, surrounding spaces allowed. */
function pyInt(s: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(s) ? Number(s.trim()) : undefined;
}

function rowsOf(input: number[][] | IntArray): { count: number; width: number; get: (r: number, c: number) => number } {
  if (Array.isArray(input)) {
    const width = input[0]?.length ?? 0;
    return { count: input.length, width, get: (r, c) => input[r]![c]! };
  }
  if (input.shape.length !== 2) {
    throw new EmotuneError('CP tokens must be a 2-D array', {
      field: 'shape',
      expected: '[T, F]',
      found: describeValue(input.shape),
      code: 'cp.shape',
    });
  }
  const [count, width] = input.shape as [number, number];
  return { count, width, get: (r, c) => input.data[r * width + c]! };
}

/** Where each required token type sits in a row; fails naming the type missing from vocab_order or word2event. */
function columnsOf(vocabOrder: readonly string[], word2event: Word2Event): Record<Column, number> {
  const col = {} as Record<Column, number>;
  for (const name of REQUIRED) {
    const i = vocabOrder.indexOf(name);
    if (i < 0)
      throw new EmotuneError('token type missing from vocab_order', {
        field: 'vocab_order',
        expected: `a "${name}" column`,
        found: describeValue(vocabOrder),
        code: 'cp.vocab',
      });
    if (!Object.prototype.hasOwnProperty.call(word2event, name)) {
      throw new EmotuneError('token type missing from word2event', {
        field: `word2event.${name}`,
        expected: 'a token type of the CP vocabulary',
        code: 'cp.vocab',
      });
    }
    col[name] = i;
  }
  return col;
}

/** The label of a row's token of one type (checking the row's width and the index), and the error for a bad one. */
function labelReader(
  rows: number[][] | IntArray,
  vocabOrder: readonly string[],
  word2event: Word2Event,
  col: Record<Column, number>,
) {
  const table = rowsOf(rows);
  const label = (r: number, name: Column): string | number => {
    const c = col[name];
    if (Array.isArray(rows) && rows[r]!.length !== vocabOrder.length) {
      throw new EmotuneError('row has the wrong number of columns', {
        field: `rows[${r}]`,
        expected: `${vocabOrder.length} columns (vocab_order)`,
        found: `${rows[r]!.length}`,
        code: 'cp.shape',
      });
    }
    const idx = table.get(r, c);
    const items = word2event[name]!;
    const key = String(idx);
    if (!Object.prototype.hasOwnProperty.call(items, key)) {
      throw new EmotuneError('token index not in word2event', {
        field: `rows[${r}][${c}] (${name})`,
        expected: `an index of word2event.${name}`,
        found: key,
        code: 'cp.unknown-index',
      });
    }
    return items[key]!;
  };
  const badLabel = (r: number, name: Column, l: string | number, expected: string): never => {
    throw new EmotuneError('token label has no usable number', {
      field: `rows[${r}][${col[name]}] (${name})`,
      expected,
      found: describeValue(l),
      code: 'cp.bad-label',
    });
  };
  if (!Array.isArray(rows) && table.width !== vocabOrder.length) {
    throw new EmotuneError('column count differs from vocab_order', {
      field: 'shape',
      expected: `${vocabOrder.length} columns`,
      found: `${table.width}`,
      code: 'cp.shape',
    });
  }
  return { count: table.count, label, badLabel };
}

/** Turn CP token rows (columns in `vocabOrder`) into notes and tempo changes as EMOPIA's write_midi. */
export function cpToScore(
  rows: number[][] | IntArray,
  vocabOrder: readonly string[],
  word2event: Word2Event,
): MidiScore {
  const { count, label, badLabel } = labelReader(rows, vocabOrder, word2event, columnsOf(vocabOrder, word2event));
  const notes: MidiNote[] = [];
  const tempos: TempoChange[] = [];
  let bars = 0;
  let pos = 0;
  let maxTick = 0;
  for (let r = 0; r < count; r++) {
    const type = label(r, 'type');
    if (type === 'Metrical') {
      const bb = label(r, 'bar-beat');
      if (bb === 'Bar') {
        bars += 1;
      } else if (typeof bb === 'string' && bb.includes('Beat')) {
        const beat = pyInt(bb.split('_')[1] ?? '');
        if (beat === undefined) badLabel(r, 'bar-beat', bb, 'a label like Beat_4');
        pos = bars * CP_BAR_TICKS + beat! * CP_GRID_TICKS;
        maxTick = Math.max(maxTick, pos);
        const tempo = label(r, 'tempo');
        if (tempo !== 'CONTI' && tempo !== 0) {
          const bpm = typeof tempo === 'string' ? pyInt(tempo.split('_').pop()!) : tempo;
          if (bpm === undefined || !(bpm > 0)) badLabel(r, 'tempo', tempo, 'a label like Tempo_120');
          tempos.push({ tick: pos, bpm: bpm! });
        }
      } // padding or CONTI in bar-beat: nothing to place
    } else if (type === 'Note') {
      const num = (name: Column): number | undefined => {
        const l = label(r, name);
        return typeof l === 'string' ? pyInt(l.split('_').pop()!) : undefined;
      };
      const pitch = num('pitch');
      let duration = num('duration');
      const velocity = num('velocity');
      if (pitch === undefined || duration === undefined || velocity === undefined) continue;
      if (duration === 0) duration = CP_ZERO_DURATION_TICKS;
      notes.push({ pitch, velocity, start: pos, end: pos + duration, channel: 0, track: 0 });
      maxTick = Math.max(maxTick, pos + duration);
    }
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  return {
    ticksPerBeat: CP_TICKS_PER_BEAT,
    notes,
    tempos,
    timeSignatures: [],
    keySignatures: [],
    drumChannels: [],
    maxTick,
  };
}

/**
 * CP token rows as MIDI bytes (one piano track, 480 ticks per beat). Notes with velocity 0 are left
 * out: in a MIDI file they would be note-offs, so no reader would see them anyway.
 */
export function cpToMidiBytes(
  rows: number[][] | IntArray,
  vocabOrder: readonly string[],
  word2event: Word2Event,
): Uint8Array {
  const score = cpToScore(rows, vocabOrder, word2event);
  return encodeMidi(
    { ticksPerBeat: score.ticksPerBeat, notes: score.notes.filter((n) => n.velocity > 0), tempos: score.tempos },
    { format: 1 },
  );
}
