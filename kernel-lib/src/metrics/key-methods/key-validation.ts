import type { MidiNote } from '../../formats/types.js';
import { keyConfusionMatrix, type KeyConfusionMatrix } from './confusion.js';
import { parseKey } from '../../formats/key-names.js';
import { KEY_METHODS, REFERENCE_KEY_METHOD, detectKeyWith } from './methods.js';
import { mirexCategory, mirexScore, type MirexCategory } from './mirex.js';
import { bootstrapMean, type BootstrapOptions } from '../../stats/bootstrap.js';
import type { Interval } from '../../stats/interval.js';
import { adjustPairedComparisons, pairedComparison, type PairedComparison } from '../../stats/paired.js';
import { wilsonInterval } from '../../stats/wilson.js';

/** One labelled piece: its notes, the reference key and the groups it is reported in (e.g. `wtc`, `clear`). */
export interface LabelledPiece {
  file: string;
  reference: string;
  groups: string[];
  notes: ReadonlyArray<Pick<MidiNote, 'pitch' | 'start' | 'end'>>;
}

export interface MethodGroupFigures {
  method: string;
  group: string;
  n: number;
  /** Exact-key accuracy with a Wilson interval. */
  accuracy: Interval;
  /** Mean MIREX weighted score with a percentile-bootstrap interval. */
  mirex: Interval;
  /** Mean MIREX score when only the ascending fifth earns 0.5 (mir_eval's default), for comparison with published figures. */
  mirexAscending: number;
  categories: Record<MirexCategory, number>;
}

export interface KeyValidation {
  methods: string[];
  /** `all` first, then the groups in first-seen order. */
  groups: string[];
  figures: MethodGroupFigures[];
  /** Per piece and method: detected key and MIREX score. */
  pieces: Array<{
    file: string;
    reference: string;
    groups: string[];
    detected: Record<string, string>;
    mirex: Record<string, number>;
  }>;
  best: { method: string; rule: string };
  /**
   * Each method against the reference method, paired over pieces (MIREX score difference, method - reference); Holm
   * and BH adjusted across these comparisons (one family).
   */
  versusReference: Record<string, PairedComparison>;
  /** Reference (rows) against detected (columns) for the reference notebook's and the best method. */
  confusion: Record<string, KeyConfusionMatrix>;
}

export const BEST_KEY_RULE =
  "highest mean MIREX score over all pieces; ties broken by exact accuracy, then by list order (the reference notebook's profile first, cosine before Pearson)";

/** Picks the recommended method from `all`-group figures by BEST_KEY_RULE. */
export function chooseBestKeyMethod(figures: readonly MethodGroupFigures[], methods: readonly string[]): string {
  let best: MethodGroupFigures | undefined;
  for (const name of methods) {
    const f = figures.find((x) => x.method === name && x.group === 'all');
    if (!f) continue;
    if (
      !best ||
      f.mirex.estimate > best.mirex.estimate ||
      (f.mirex.estimate === best.mirex.estimate && f.accuracy.estimate > best.accuracy.estimate)
    )
      best = f;
  }
  if (!best) throw new RangeError('chooseBestKeyMethod: no figures for the group "all"');
  return best.method;
}

/**
 * Runs every key method on labelled pieces and summarises accuracy (Wilson) and MIREX score (bootstrap)
 * overall and per group, the paired difference of each method to the reference notebook's, and confusion matrices.
 */
export function validateKeyMethods(
  pieces: readonly LabelledPiece[],
  methods: readonly string[] = KEY_METHODS.map((m) => m.name),
  bootstrap: BootstrapOptions = {},
): KeyValidation {
  const groups = ['all'];
  for (const p of pieces) for (const g of p.groups) if (!groups.includes(g)) groups.push(g);
  const rows = pieces.map((p) => {
    const ref = parseKey(p.reference, p.file, 'key');
    const detected: Record<string, string> = {};
    const mirex: Record<string, number> = {};
    const category: Record<string, MirexCategory> = {};
    const mirexAsc: Record<string, number> = {};
    for (const m of methods) {
      const d = detectKeyWith(m, p.notes);
      detected[m] = d.key;
      mirex[m] = mirexScore(d, ref);
      mirexAsc[m] = mirexScore(d, ref, 'ascending');
      category[m] = mirexCategory(d, ref);
    }
    return { file: p.file, reference: p.reference, groups: ['all', ...p.groups], detected, mirex, mirexAsc, category };
  });
  const figures: MethodGroupFigures[] = [];
  for (const m of methods) {
    for (const g of groups) {
      const inGroup = rows.filter((r) => r.groups.includes(g));
      const categories: Record<MirexCategory, number> = { correct: 0, fifth: 0, relative: 0, parallel: 0, other: 0 };
      for (const r of inGroup) categories[r.category[m]!] += 1;
      figures.push({
        method: m,
        group: g,
        n: inGroup.length,
        accuracy: wilsonInterval(categories.correct, inGroup.length),
        mirex: bootstrapMean(
          inGroup.map((r) => r.mirex[m]!),
          bootstrap,
        ),
        mirexAscending: inGroup.length ? inGroup.reduce((a, r) => a + r.mirexAsc[m]!, 0) / inGroup.length : NaN,
        categories,
      });
    }
  }
  const best = chooseBestKeyMethod(figures, methods);
  const versusReference: Record<string, PairedComparison> = {};
  if (methods.includes(REFERENCE_KEY_METHOD)) {
    const referenceScores = new Map(rows.map((r) => [r.file, r.mirex[REFERENCE_KEY_METHOD]!]));
    for (const m of methods) {
      if (m === REFERENCE_KEY_METHOD) continue;
      versusReference[m] = pairedComparison(
        new Map(rows.map((r) => [r.file, r.mirex[m]!])),
        referenceScores,
        bootstrap,
      );
    }
    const names = Object.keys(versusReference);
    const adjusted = adjustPairedComparisons(names.map((m) => versusReference[m]!));
    names.forEach((m, i) => (versusReference[m] = adjusted[i]!));
  }
  const confusion: Record<string, KeyConfusionMatrix> = {};
  for (const m of new Set([REFERENCE_KEY_METHOD, best].filter((x) => methods.includes(x)))) {
    confusion[m] = keyConfusionMatrix(rows.map((r) => ({ reference: r.reference, detected: r.detected[m]! })));
  }
  return {
    methods: [...methods],
    groups,
    figures,
    pieces: rows.map(({ file, reference, groups: g, detected, mirex }) => ({
      file,
      reference,
      groups: g,
      detected,
      mirex,
    })),
    best: { method: best, rule: BEST_KEY_RULE },
    versusReference,
    confusion,
  };
}
