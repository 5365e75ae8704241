/**
 * Piano-rolls from what a notebook has at hand: a MIDI file, CP token rows, or a run's `.meta.json`
 * (its MIDI, with the notes matching the run's conditions highlighted when the vocabulary is given).
 */
import { basename } from 'node:path';
import { cpToScore } from '../formats/cp-to-notes.js';
import { readMeta } from '../formats/meta.js';
import { readMidi } from '../formats/midi-read.js';
import type { GenerationMeta, IntArray, Word2Event } from '../formats/types.js';
import { withAudio } from './audio.js';
import { pianoRollBundle, pianoRollsBundle } from './pianoroll.js';
import type { PianoRollItem, PianoRollOptions } from './pianoroll.js';
import { publishDisplay } from './sink.js';
import type { MimeBundle } from './types.js';

/** Whether to embed the sound (`audio/wav` and an `<audio>` player) for frontends without the extension. */
export interface AudioOption {
  /** Default true. */
  audio?: boolean;
}

/** Bundle for a MIDI file (with its audio); the title defaults to the file name. */
export async function midiFileBundle(path: string, options: PianoRollOptions & AudioOption = {}): Promise<MimeBundle> {
  const { audio, ...rest } = options;
  const bundle = pianoRollBundle(await readMidi(path), { title: basename(path), ...rest });
  return audio === false ? bundle : withAudio(bundle);
}

/** Bundle for CP token rows (columns in `vocabOrder`), decoded as EMOPIA writes MIDI. */
export function tokensBundle(
  rows: number[][] | IntArray,
  vocabOrder: readonly string[],
  word2event: Word2Event,
  options: PianoRollOptions = {},
): MimeBundle {
  return pianoRollBundle(cpToScore(rows, vocabOrder, word2event), options);
}

/** The labels a run was conditioned on (`{duration: 'Note_Duration_1080'}`), read through the vocabulary. */
export function conditionLabels(
  meta: Pick<GenerationMeta, 'conditions_indices' | 'force_indices'>,
  word2event: Word2Event,
): Record<string, string> {
  const out: Record<string, string> = {};
  const indices = { ...(meta.force_indices ?? {}), ...(meta.conditions_indices ?? {}) };
  for (const [token, index] of Object.entries(indices)) {
    const label = word2event[token]?.[String(index)];
    if (typeof label === 'string') out[token] = label;
  }
  return out;
}

export interface RunRollOptions extends PianoRollOptions, AudioOption {
  /** The model's word2event: with it, notes matching the run's conditioned duration/velocity are highlighted. */
  word2event?: Word2Event;
}

/**
 * One roll item (for `showPianoRolls`) from a run's `.meta.json`: its MIDI, titled by mode, highlighted by its conditions.
 * @example
 * ```ts
 * et.showPianoRolls(await Promise.all(metaFiles.map((f) => et.runRollItem(f, { word2event: vocabs.scratch }))));
 * ```
 */
export async function runRollItem(metaPath: string, options: RunRollOptions = {}): Promise<PianoRollItem> {
  const meta = await readMeta(metaPath);
  const score = await readMidi(meta.paths.midi);
  const { word2event, audio: _audio, ...rest } = options;
  const item: PianoRollItem = { notes: score, title: meta.inference_mode ?? basename(metaPath), ...rest };
  if (word2event && !rest.highlight) {
    const conditions = conditionLabels(meta, word2event);
    if (Object.keys(conditions).length > 0) item.highlight = { conditions };
  }
  return item;
}

/**
 * Shows a MIDI file's piano-roll, titled by its file name.
 * @example
 * ```ts
 * await et.showMidiFile(path.join(config.paths.exp, record.out_dir, "song_0.mid"));
 * ```
 */
export async function showMidiFile(path: string, options: PianoRollOptions & AudioOption = {}): Promise<void> {
  publishDisplay(await midiFileBundle(path, options));
}

/**
 * Shows CP token rows (a generated `.npy`) as a piano-roll, decoded through the model's vocabulary.
 * @example
 * ```ts
 * const meta = await et.readMeta(metaFile);
 * et.showTokens(await et.readNpy(meta.paths.npy), meta.vocab_order, vocabs.scratch!, { title: "tokens" });
 * ```
 */
export function showTokens(
  rows: number[][] | IntArray,
  vocabOrder: readonly string[],
  word2event: Word2Event,
  options: PianoRollOptions = {},
): void {
  publishDisplay(tokensBundle(rows, vocabOrder, word2event, options));
}

/**
 * A run's piano-roll (with its audio) from its `.meta.json`.
 * @example
 * ```ts
 * await et.showRun(metaFile, { word2event: vocabs.scratch }); // conditioned notes highlighted
 * ```
 */
export async function showRun(metaPath: string, options: RunRollOptions = {}): Promise<void> {
  const item = await runRollItem(metaPath, options);
  const bundle = pianoRollBundle(item.notes, item);
  publishDisplay(options.audio === false ? bundle : await withAudio(bundle));
}

/**

 * Several rolls (e.g. one grid cell across modes) stacked, each with a player, sent to the notebook.
 * @example
 * ```ts
 * et.showPianoRollsWithAudio(await Promise.all(files.map(async (f) => ({ title: path.basename(f), notes: await et.readMidi(f) }))), { title: "Listen and compare" });
 * ```
 */
export async function showPianoRollsWithAudio(
  items: readonly PianoRollItem[],
  options: { title?: string; layout?: 'stacked' | 'grid' } = {},
): Promise<void> {
  publishDisplay(await withAudio(pianoRollsBundle(items, options)));
}
