import type { MidiScore } from '../../formats/types.js';
import { type GridNote, recogniseChord } from './chords.js';
import { type CpVocab, type Label, indexOf, numericBins } from './vocabulary.js';

/**
 * MIDI -> EMOPIA compound words, following EMOPIA's corpus pipeline (midi2corpus + corpus2events):
 * 480 ticks a beat, 16 positions a 4/4 bar on a 120-tick grid, starts quantised to the grid, durations
 * capped at a bar and rounded to the grid, velocity and tempo snapped to the dictionary's bins.
 * Two deliberate differences keep the round trip tokens -> MIDI -> tokens stable: notes at one position
 * are ordered by descending pitch after quantising (EMOPIA kept raw start order), and the last bar is the
 * one holding the last note start (EMOPIA's ceil() dropped notes starting exactly on a bar line).
 */

export const BEAT_RESOL = 480;
export const BAR_RESOL = BEAT_RESOL * 4;
export const TICK_RESOL = BEAT_RESOL / 4;

/** One compound step: token type -> label (0 = padding / not used at this step). */
export type CpEvent = Record<string, Label>;

export interface TokenizeOptions {
  /** Key label for the `key` column of the Emotion step (key-aware vocabularies only). */
  key?: string;
}

/** numpy's round (half to even), as EMOPIA's np.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function nearest(bins: readonly number[], x: number): number {
  let best = bins[0]!;
  for (const b of bins) if (Math.abs(b - x) < Math.abs(best - x)) best = b;
  return best;
}

/** Fold a pitch by octaves into [lo, hi]. */
export function foldPitch(p: number, lo: number, hi: number): number {
  while (p < lo) p += 12;
  while (p > hi) p -= 12;
  return p;
}

interface QNote extends GridNote {
  velocity: number;
}

/** In place, on notes sorted by (start, -pitch, ...): cut notes at the next onset of their pitch, drop same-onset repeats. */
function resolveOverlaps(notes: QNote[]): void {
  const lastOfPitch = new Map<number, QNote>();
  const drop = new Set<QNote>();
  for (const n of notes) {
    const prev = lastOfPitch.get(n.pitch);
    if (prev && prev.start === n.start) {
      drop.add(n);
      continue;
    }
    if (prev && prev.start + prev.duration > n.start) prev.duration = n.start - prev.start;
    lastOfPitch.set(n.pitch, n);
  }
  if (drop.size > 0) notes.splice(0, notes.length, ...notes.filter((n) => !drop.has(n)));
}

function emptyEvent(vocab: CpVocab): CpEvent {
  const e: CpEvent = {};
  for (const t of vocab.order) e[t] = 0;
  return e;
}

/** Tokenize a score of one emotion quadrant (1–4) into CP steps with labels. */
export function scoreToEvents(
  score: MidiScore,
  emotion: number,
  vocab: CpVocab,
  options: TokenizeOptions = {},
): CpEvent[] {
  const scale = BEAT_RESOL / score.ticksPerBeat;
  const velBins = numericBins(vocab, 'velocity', 'Note_Velocity_');
  const tempoBins = numericBins(vocab, 'tempo', 'Tempo_');
  const pitchBins = numericBins(vocab, 'pitch', 'Note_Pitch_');
  const pLo = pitchBins[0]!;
  const pHi = pitchBins[pitchBins.length - 1]!;

  const events: CpEvent[] = [];
  const emo = emptyEvent(vocab);
  emo.type = 'Emotion';
  emo.emotion = emotion;
  if (vocab.keyAware && options.key !== undefined) emo.key = options.key;
  events.push(emo);

  const raw = score.notes;
  if (raw.length === 0) {
    events.push({ ...emptyEvent(vocab), 'bar-beat': 'Bar', type: 'Metrical' });
    events.push({ ...emptyEvent(vocab), type: 'EOS' });
    return events;
  }
  const firstStart = Math.min(...raw.map((n) => n.start)) * scale;
  const offset = Math.floor((roundHalfEven(firstStart / TICK_RESOL) * TICK_RESOL) / BAR_RESOL) * BAR_RESOL;

  const notes: QNote[] = raw.map((n) => {
    const s = n.start * scale - offset;
    const dur = Math.min((n.end - n.start) * scale, BAR_RESOL);
    return {
      start: roundHalfEven(s / TICK_RESOL) * TICK_RESOL,
      duration: roundHalfEven(dur / TICK_RESOL) * TICK_RESOL,
      pitch: foldPitch(n.pitch, pLo, pHi),
      velocity: nearest(velBins, n.velocity),
    };
  });
  notes.sort((a, b) => a.start - b.start || b.pitch - a.pitch || b.duration - a.duration || b.velocity - a.velocity);
  resolveOverlaps(notes);
  const lastBar = Math.floor(notes[notes.length - 1]!.start / BAR_RESOL) + 1;
  const end = lastBar * BAR_RESOL;

  // Grid maps: position -> tempo label / chord label / notes.
  const tempoAt = new Map<number, string>();
  for (const t of score.tempos) {
    const q = roundHalfEven(Math.max(0, t.tick * scale - offset) / TICK_RESOL) * TICK_RESOL;
    tempoAt.set(q, `Tempo_${nearest(tempoBins, t.bpm)}`);
  }
  const chordAt = new Map<number, string>();
  let prevChord: string | undefined;
  for (let b = 0; b < end; b += BEAT_RESOL) {
    const c = recogniseChord(notes, b, b + BEAT_RESOL);
    if (c !== prevChord && !(prevChord === undefined && c === 'N_N')) chordAt.set(b, c);
    if (!(prevChord === undefined && c === 'N_N')) prevChord = c;
  }
  const notesAt = new Map<number, QNote[]>();
  for (const n of notes) {
    const list = notesAt.get(n.start);
    if (list) list.push(n);
    else notesAt.set(n.start, [n]);
  }

  for (let bar = 0; bar < end; bar += BAR_RESOL) {
    events.push({ ...emptyEvent(vocab), 'bar-beat': 'Bar', type: 'Metrical' });
    for (let t = bar; t < bar + BAR_RESOL; t += TICK_RESOL) {
      const tempo = tempoAt.get(t);
      const chord = chordAt.get(t);
      const here = notesAt.get(t);
      if (tempo === undefined && chord === undefined && here === undefined) continue;
      events.push({
        ...emptyEvent(vocab),
        tempo: tempo ?? 'CONTI',
        chord: chord ?? 'CONTI',
        'bar-beat': `Beat_${(t - bar) / TICK_RESOL}`,
        type: 'Metrical',
      });
      for (const n of here ?? []) {
        events.push({
          ...emptyEvent(vocab),
          type: 'Note',
          pitch: `Note_Pitch_${n.pitch}`,
          duration: `Note_Duration_${n.duration}`,
          velocity: `Note_Velocity_${n.velocity}`,
        });
      }
    }
  }
  events.push({ ...emptyEvent(vocab), 'bar-beat': 'Bar', type: 'Metrical' });
  events.push({ ...emptyEvent(vocab), type: 'EOS' });
  return events;
}

/** Labels -> index rows in the vocabulary's column order. */
export function eventsToRows(events: readonly CpEvent[], vocab: CpVocab): number[][] {
  return events.map((e, step) => vocab.order.map((t) => indexOf(vocab, t, e[t] ?? 0, `steps[${step}].${t}`)));
}

/** Index rows -> labels. */
export function rowsToEvents(rows: readonly (readonly number[])[], vocab: CpVocab): CpEvent[] {
  return rows.map((r) => {
    const e: CpEvent = {};
    vocab.order.forEach((t, j) => (e[t] = vocab.word2event[t]![String(r[j])] ?? 0));
    return e;
  });
}

/** Tokenize straight to index rows. */
export function scoreToRows(
  score: MidiScore,
  emotion: number,
  vocab: CpVocab,
  options: TokenizeOptions = {},
): number[][] {
  return eventsToRows(scoreToEvents(score, emotion, vocab, options), vocab);
}

/**
 * The played timing that quantising removes, in ticks at 480 a beat: for each grid position, how far its
 * earliest note starts from the position (-60..60), and for each other note there, how much later than that
 * earliest note it starts (a chord's notes are not struck at once). Same scale as scoreToEvents.
 */
export function onsetTiming(score: MidiScore): { position: number[]; spread: number[] } {
  const scale = BEAT_RESOL / score.ticksPerBeat;
  const byPos = new Map<number, number[]>();
  for (const n of score.notes) {
    const s = n.start * scale;
    const pos = roundHalfEven(s / TICK_RESOL) * TICK_RESOL;
    const list = byPos.get(pos);
    if (list) list.push(s);
    else byPos.set(pos, [s]);
  }
  const position: number[] = [];
  const spread: number[] = [];
  for (const [pos, starts] of byPos) {
    const first = Math.min(...starts);
    position.push(Math.round(first - pos));
    let skipped = false;
    for (const s of starts) {
      if (s === first && !skipped) skipped = true;
      else spread.push(Math.round(s - first));
    }
  }
  return { position, spread };
}
