import { EmotuneError } from '../errors.js';
import type { IntArray, Word2Event } from '../formats/types.js';
import { npMean, npMedian, npStd } from './np-stats.js';
import { perIndex } from './per-index.js';

/**
 * Token adherence of one generated song (docs/architecture.md, "Token adherence"): for each conditioned token, the
 * share of CP steps whose column equals the target index, and for numeric targets the distances between
 * the target's number and the number of every generated label that has one.
 *
 * Edge cases (each checked against the parity sample's expected rows or read literally from docs/architecture.md):
 * - A label is numeric when it is a string ending in `_<ASCII digits>`; its number is those digits. So
 *   `Note_Duration_0` counts as the number 0 (the parity sample's rows only match with it counted), while
 *   the padding entry (label `0`, a number, not a string), `CONTI` and unknown indices have no number.
 * - A conditioned token that is not in `vocab_order` has no column: it is left out of the result (the
 *   other tokens of the same file are still measured).
 * - A target index missing from word2event: `target_label` null, not numeric; the ratio is still measured.
 * - No word2event at all for the run's model: an error for the file (the reference notebook's lookup in a missing
 *   vocabulary raises, and its loop skips the file); a token type missing from word2event counts as empty.
 * - Numeric target but no generated step with a numeric label: `is_numeric` true and no distance fields
 *   (the reference notebook's aggregation checks `'mean_distance' in stats`).
 * - The array must be 2-D [steps, columns] with at least one step and a column for each measured token;
 *   otherwise the whole file is an error (the reference notebook's `tokens[:, col]` / `matches / total` would raise and
 *   its loop reports `[ERROR] file` and skips the file).
 */

export interface TokenAdherence {
  adherence_ratio: number;
  matches: number;
  total: number;
  target_index: number;
  /** word2event's label for the target, null when the index is not in the vocabulary. */
  target_label: string | number | null;
  is_numeric: boolean;
  mean_distance?: number;
  median_distance?: number;
  min_distance?: number;
  max_distance?: number;
  /** Population standard deviation (np.std, ddof=0). */
  std_distance?: number;
  /** How many generated steps had a numeric label (the distances' count). */
  num_numeric?: number;
}

const NUMERIC_LABEL = /_([0-9]+)$/;

/** The number at the end of a label like `Note_Duration_1080`, or null (`CONTI`, padding `0`, `Bar`...). */
export function numericLabelValue(label: unknown): number | null {
  if (typeof label !== 'string') return null;
  const m = NUMERIC_LABEL.exec(label);
  return m === null ? null : Number(m[1]);
}

export function computeTokenAdherence(
  tokens: IntArray,
  conditions: Record<string, number>,
  vocabOrder: readonly string[],
  word2event: Word2Event | undefined,
  file?: string,
): Record<string, TokenAdherence> {
  const results: Record<string, TokenAdherence> = {};
  const entries = Object.entries(conditions);
  const measured = entries.filter(([token]) => vocabOrder.includes(token));
  if (measured.length === 0) return results;
  if (word2event === undefined || word2event === null) {
    throw new EmotuneError('no word2event vocabulary for this model', {
      file,
      field: 'word2event',
      code: 'adherence.vocab',
      expected: "the model's word2event (config models[].word2event_path)",
    });
  }
  if (tokens.shape.length !== 2) {
    throw new EmotuneError('token array is not 2-D', {
      file,
      field: 'shape',
      code: 'adherence.shape',
      expected: '[steps, columns]',
      found: `[${tokens.shape.join(', ')}]`,
    });
  }
  const [steps, width] = tokens.shape as [number, number];
  if (steps === 0) {
    throw new EmotuneError('token array has no steps', {
      file,
      field: 'shape',
      code: 'adherence.empty',
      expected: 'at least one CP step',
      found: `[${steps}, ${width}]`,
    });
  }
  for (const [token, targetIndex] of measured) {
    const col = vocabOrder.indexOf(token);
    if (col >= width) {
      throw new EmotuneError('vocab_order names more columns than the token array has', {
        file,
        field: `vocab_order[${col}]`,
        code: 'adherence.column',
        expected: `a column index below ${width}`,
        found: `${col} (${token})`,
      });
    }
    const labels = word2event?.[token] ?? {};
    const labelOf = (index: number): string | number | null =>
      Object.hasOwn(labels, String(index)) ? labels[String(index)]! : null;
    let matches = 0;
    const column = new Array<number>(steps);
    for (let i = 0; i < steps; i++) {
      const v = Number(tokens.data[i * width + col]);
      column[i] = v;
      if (v === targetIndex) matches++;
    }
    const targetLabel = labelOf(targetIndex);
    const targetNumber = numericLabelValue(targetLabel);
    const stats: TokenAdherence = {
      adherence_ratio: matches / steps,
      matches,
      total: steps,
      target_index: targetIndex,
      target_label: targetLabel,
      is_numeric: targetNumber !== null,
    };
    if (targetNumber !== null) {
      const numberOf = perIndex((index) => numericLabelValue(labelOf(index)));
      const distances = new Float64Array(steps);
      let count = 0;
      for (let i = 0; i < steps; i++) {
        const n = numberOf(column[i]!);
        if (n !== null) distances[count++] = Math.abs(targetNumber - n);
      }
      if (count > 0) {
        const found = distances.subarray(0, count);
        stats.mean_distance = npMean(found);
        stats.median_distance = npMedian(found);
        stats.min_distance = found.reduce((a, b) => (b < a ? b : a));
        stats.max_distance = found.reduce((a, b) => (b > a ? b : a));
        stats.std_distance = npStd(found);
        stats.num_numeric = count;
      }
    }
    results[token] = stats;
  }
  return results;
}
