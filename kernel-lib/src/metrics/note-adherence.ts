import { EmotuneError } from '../errors.js';
import { column } from '../formats/npy.js';
import { sortedNumbers } from './np-stats.js';
import { perIndex } from './per-index.js';
import type { IntArray, Word2Event } from '../formats/types.js';

/**
 * Token adherence over note steps only. The reference notebook divides matches by every CP step, but metrical steps
 * (bar/beat/tempo rows) carry padding or CONTI in note columns, so its ratio mixes "how often the note
 * obeys" with "how many notes there are". Here the denominator is the steps whose `type` label is `Note`.
 */

export interface ValueCount {
  index: number;
  label: string;
  count: number;
  /** The `_<digits>` number of the label, when it has one (for numeric charts). */
  value?: number;
  isTarget: boolean;
}

export interface DistanceSummary {
  n: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  /** Population standard deviation, as numpy's default (the reference notebook's). */
  std: number;
  /** Every |generated - target| value, in step order (for bootstrap intervals downstream). */
  values: number[];
}

export interface NoteAdherence {
  token: string;
  targetIndex: number;
  targetLabel: string;
  /** Steps whose type label is `Note`. */
  noteSteps: number;
  /** Note steps whose value equals the target. */
  matches: number;
  /** matches / noteSteps (NaN with no note step). */
  ratio: number;
  /** The reference notebook's all-steps counts, kept beside so both ratios can carry a Wilson interval. */
  allSteps: { matches: number; total: number };
  /** |number(generated) - number(target)| over note steps whose label has a number; null if the target has none. */
  distance: DistanceSummary | null;
  /** Generated values at note steps, by index (for per-run histograms against the target). */
  histogram: ValueCount[];
  /**
   * Values at the other steps (bar, beat, tempo rows: padding, CONTI), by index, ascending: with `histogram`, the
   * whole column, so the all-steps ratio can be scored against any requested value (the label-shuffled floor).
   */
  otherSteps: Array<{ index: number; count: number }>;
}

const NUMBER_SUFFIX = /_(\d+)$/;

function labelOf(w2e: Word2Event, token: string, index: number): string {
  const v = w2e[token]?.[String(index)];
  return v === undefined ? `#${index}` : String(v);
}

function numberOf(label: string): number | undefined {
  const m = NUMBER_SUFFIX.exec(label);
  return m ? Number(m[1]) : undefined;
}

function summarise(values: number[]): DistanceSummary | null {
  if (values.length === 0) return null;
  const sorted = sortedNumbers(values);
  const n = sorted.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return { n, mean, median, min: sorted[0]!, max: sorted[n - 1]!, std: Math.sqrt(variance), values };
}

/**
 * Note-level adherence of one generated song for each conditioned token.
 * `targets` maps token type to the target index (a meta file's `conditions_indices`).
 */
export function noteAdherence(
  tokens: IntArray,
  vocabOrder: readonly string[],
  targets: Readonly<Record<string, number>>,
  word2event: Word2Event,
  file?: string,
): NoteAdherence[] {
  const typeCol = vocabOrder.indexOf('type');
  if (typeCol < 0) {
    throw new EmotuneError('no `type` column to tell note steps from metrical steps', {
      file,
      field: 'vocab_order',
      expected: 'a list containing "type"',
      found: JSON.stringify(vocabOrder),
      code: 'adherence.no-type-column',
    });
  }
  const types = column(tokens, typeCol);
  const isNote = types.map(perIndex((t) => labelOf(word2event, 'type', t) === 'Note'));
  const noteSteps = isNote.filter(Boolean).length;
  return Object.entries(targets).map(([token, targetIndex]) => {
    const col = vocabOrder.indexOf(token);
    if (col < 0) {
      throw new EmotuneError('conditioned token has no column', {
        file,
        field: `conditions_indices.${token}`,
        expected: `one of ${vocabOrder.join(', ')}`,
        found: token,
        code: 'adherence.unknown-token',
      });
    }
    const values = column(tokens, col);
    const targetLabel = labelOf(word2event, token, targetIndex);
    const targetNumber = numberOf(targetLabel);
    let matches = 0;
    let allMatches = 0;
    const counts = new Map<number, number>();
    const other = new Map<number, number>();
    const distances: number[] = [];
    const numberAt = perIndex((index) => numberOf(labelOf(word2event, token, index)));
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === targetIndex) allMatches++;
      if (!isNote[i]) {
        other.set(v, (other.get(v) ?? 0) + 1);
        continue;
      }
      if (v === targetIndex) matches++;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      if (targetNumber !== undefined) {
        const g = numberAt(v);
        if (g !== undefined) distances.push(Math.abs(g - targetNumber));
      }
    }
    const histogram: ValueCount[] = [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, count]) => {
        const label = labelOf(word2event, token, index);
        const value = numberOf(label);
        return { index, label, count, ...(value === undefined ? {} : { value }), isTarget: index === targetIndex };
      });
    return {
      token,
      targetIndex,
      targetLabel,
      noteSteps,
      matches,
      ratio: noteSteps > 0 ? matches / noteSteps : NaN,
      allSteps: { matches: allMatches, total: values.length },
      distance: targetNumber === undefined ? null : summarise(distances),
      histogram,
      otherSteps: [...other.entries()].sort((a, b) => a[0] - b[0]).map(([index, count]) => ({ index, count })),
    };
  });
}
