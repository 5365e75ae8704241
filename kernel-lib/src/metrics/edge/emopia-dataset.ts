import { join } from 'node:path';
import { readMidi } from '../../formats/midi-read.js';
import { readEmopiaLabels } from '../../formats/emopia-labels.js';
import type { ScoreVariant } from '../emotion-builtin/augment.js';
import type { LabelledFeatures } from '../emotion-builtin/dataset.js';
import { computeFeatures } from '../emotion-builtin/features.js';

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
      songIdSource: c.songIdSource,
      features: computeFeatures(score, path),
    };
    if (variants.length)
      row.variants = Object.fromEntries(variants.map((v) => [v.name, computeFeatures(v.apply(score), path)]));
    out.push(row);
  }
  return out;
}
