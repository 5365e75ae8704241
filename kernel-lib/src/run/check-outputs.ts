import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntArray, Word2Event } from '../formats/types.js';
import { readMeta } from '../formats/meta.js';
import { readNpy } from '../formats/npy.js';
import { readMidi } from '../formats/midi-read.js';
import { isInside } from '../path-inside.js';
import { errorMessage } from '../errors.js';

export interface OutputCheck {
  ok: boolean;
  /** One line: what is missing or broken, naming the file. */
  reason?: string;
  songs: number;
}

/** The first cell whose index its column's token type does not have, as a one-line reason; undefined when all are known. */
export function unknownTokenIndex(
  arr: IntArray,
  vocabOrder: readonly string[],
  word2event: Word2Event,
  file: string,
): string | undefined {
  const width = arr.shape[1] ?? 0;
  for (let i = 0; i < arr.data.length; i++) {
    const type = vocabOrder[i % width]!;
    const v = arr.data[i]!;
    if (!Object.hasOwn(word2event[type] ?? {}, String(v))) {
      return `${file}: row ${Math.floor(i / width)} column ${i % width} (${type}) holds index ${v}, which the vocabulary does not have`;
    }
  }
  return undefined;
}

async function inside(dir: string, file: string): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    real = file; // missing files are reported by the reader with their name
  }
  return isInside(await realpath(dir), real);
}

/**
 * Whether a run folder holds complete, readable outputs: at least `expectedSongs` `.meta.json` files, each
 * pointing inside the folder at a readable `.npy` (2-D, one column per `vocab_order` entry) and MIDI file,
 * with token types the model's vocabulary knows. Used after each run and to decide what a resume skips.
 */
export async function checkRunOutputs(
  outDir: string,
  expectedSongs: number,
  word2event?: Word2Event,
): Promise<OutputCheck> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return { ok: false, reason: `output folder missing: ${outDir}`, songs: 0 };
  }
  const metas = names.filter((n) => n.endsWith('.meta.json')).sort();
  if (metas.length === 0) return { ok: false, reason: `no .meta.json written in ${outDir}`, songs: 0 };
  if (metas.length < expectedSongs)
    return { ok: false, reason: `${metas.length} of ${expectedSongs} songs written in ${outDir}`, songs: metas.length };
  for (const name of metas) {
    const file = join(outDir, name);
    try {
      const meta = await readMeta(file);
      for (const [field, p] of [
        ['paths.npy', meta.paths.npy],
        ['paths.midi', meta.paths.midi],
      ] as const) {
        if (!(await inside(outDir, p)))
          return { ok: false, reason: `${file}: ${field} points outside the run folder (${p})`, songs: metas.length };
      }
      if (word2event) {
        const unknown = meta.vocab_order.filter((t) => word2event[t] === undefined);
        if (unknown.length > 0)
          return {
            ok: false,
            reason: `${file}: vocab_order names token types the vocabulary lacks: ${unknown.join(', ')}`,
            songs: metas.length,
          };
      }
      const arr = await readNpy(meta.paths.npy);
      if (arr.shape.length !== 2 || arr.shape[1] !== meta.vocab_order.length) {
        return {
          ok: false,
          reason: `${meta.paths.npy}: shape [${arr.shape.join(', ')}] does not match vocab_order (${meta.vocab_order.length} columns)`,
          songs: metas.length,
        };
      }
      // An index outside the vocabulary cannot be decoded: the run did not produce valid tokens.
      const unknown = word2event ? unknownTokenIndex(arr, meta.vocab_order, word2event, meta.paths.npy) : undefined;
      if (unknown !== undefined) return { ok: false, reason: unknown, songs: metas.length };
      await readMidi(meta.paths.midi);
    } catch (e) {
      return { ok: false, reason: errorMessage(e), songs: metas.length };
    }
  }
  return { ok: true, songs: metas.length };
}
