/** Records for tables (and the report) from the extended results: figures with intervals, paired mode tests. */
import type { ExtendedResults } from '../aggregate/extended-results.js';
import type { ResultRecord } from './types.js';

/**
 * One record per (model, mode): each figure's estimate as `<metric>` and its interval as `<metric>_ci`,
 * which the table payload shows as an interval under the value.
 */
export function modeSummaryRecords(extended: Pick<ExtendedResults, 'modes'>): ResultRecord[] {
  return extended.modes.map((m) => {
    const rec: ResultRecord = { model: m.model, mode: m.mode, cells: m.cells, n_songs: m.n_songs, n_distinct: m.n_distinct };
    for (const [metric, f] of Object.entries(m.figures)) {
      if (!Number.isFinite(f.estimate)) continue;
      rec[metric] = f.estimate;
      if (Number.isFinite(f.lower) && Number.isFinite(f.upper)) rec[`${metric}_ci`] = [f.lower, f.upper];
    }
    return rec;
  });
}

/**
 * One record per paired comparison: the mean difference a − b with its interval, the rank-biserial r, the
 * exact Wilcoxon p, Holm-adjusted p, BH q, the sign test, the songs behind it, the verdict.
 */
export function pairedComparisonRecords(extended: Pick<ExtendedResults, 'paired'>): ResultRecord[] {
  return extended.paired
    .filter((p) => p.comparison.n > 0)
    .map((p) => ({
      model: p.model,
      metric: p.metric,
      comparison: `${p.a} − ${p.b}`,
      cells: p.comparison.n,
      difference: p.comparison.difference.estimate,
      ...(Number.isFinite(p.comparison.difference.lower) && Number.isFinite(p.comparison.difference.upper)
        ? { difference_ci: [p.comparison.difference.lower, p.comparison.difference.upper] }
        : {}),
      rank_biserial: p.comparison.effect_size.rank_biserial,
      wilcoxon_p: p.comparison.wilcoxon.pValue,
      p_holm: p.comparison.p_adjusted,
      q_bh: p.comparison.q_value,
      sign_test_p: p.comparison.sign.pValue,
      n_songs: p.n_songs,
      n_distinct: p.n_distinct,
      verdict: p.comparison.verdict,
    }));
}
