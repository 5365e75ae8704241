import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmotuneError, errorMessage } from '../../errors.js';
import { readMidi } from '../../formats/midi-read.js';
import type { ScoreVariant } from './augment.js';
import { computeFeatures, type EmotionFeatures } from './features.js';
import { parseEmopiaLabels, type EmopiaClip } from '../../formats/emopia-labels.js';

export { parseEmopiaLabels, type EmopiaClip };

export interface LabelledFeatures {
  file: string;
  quadrant: 1 | 2 | 3 | 4;
  /** The song the clip was cut from (cross-validation keeps a song's clips in one fold). */
  songId?: string;
  features: EmotionFeatures;
  /** Features of transformed copies of the clip (augmentations or robustness variants), by variant name. */
  variants?: Record<string, EmotionFeatures>;
}

export function readEmopiaLabels(dataDir: string): EmopiaClip[] {
  const file = join(dataDir, 'labels.csv');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new EmotuneError('cannot read labels', {
      file,
      code: 'emopia.io',
      expected: 'an EMOPIA folder with labels.csv and midis/',
      found: errorMessage(cause),
      cause,
    });
  }
  return parseEmopiaLabels(text, file);
}

/**
 * Features of every clip of one split, sorted by file name so that training does not depend on the order
 * of the rows in labels.csv, with the features of each of `variants` (transformed copies) beside them.
 * A clip that cannot be read stops the whole job with its file named.
 */
export async function loadSplitFeatures(
  dataDir: string,
  split: string,
  limit?: number,
  variants: readonly ScoreVariant[] = [],
): Promise<LabelledFeatures[]> {
  const clips = readEmopiaLabels(dataDir)
    .filter((c) => c.split === split)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const chosen = limit === undefined ? clips : clips.slice(0, limit);
  const out: LabelledFeatures[] = [];
  for (const c of chosen) {
    const path = join(dataDir, c.file);
    const score = await readMidi(path);
    const row: LabelledFeatures = {
      file: c.file,
      quadrant: c.quadrant,
      songId: c.songId,
      features: computeFeatures(score, path),
    };
    if (variants.length)
      row.variants = Object.fromEntries(variants.map((v) => [v.name, computeFeatures(v.apply(score), path)]));
    out.push(row);
  }
  return out;
}
