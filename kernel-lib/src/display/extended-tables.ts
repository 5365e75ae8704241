/** Records for tables (and the report) from the extended results: figures with intervals, paired mode tests. */
import type { ExtendedResults } from '../aggregate/extended-results.js';
import type { ResultRecord } from './types.js';

/**
 * One record per (model, mode): each figure's estimate as `<metric>` and its interval as `<metric>_ci`,
 * which the table payload shows as an interval under the value.
 * @example
 * ```ts
 * et.showTable(et.modeSummaryRecords(extended), { title: "Per mode, with 95% intervals" });
 * ```
 */
export function modeSummaryRecords(extended: Pick<ExtendedResults, 'modes'>): ResultRecord[] {
  return extended.modes.map((m) => {
    const rec: ResultRecord = { model: m.model, mode: m.mode, cells: m.cells };
    for (const [metric, f] of Object.entries(m.figures)) {
      if (!Number.isFinite(f.estimate)) continue;
      rec[metric] = f.estimate;
      if (Number.isFinite(f.lower) && Number.isFinite(f.upper)) rec[`${metric}_ci`] = [f.lower, f.upper];
    }
    return rec;
  });
}

/**
 * One record per paired comparison: the mean difference a − b, its interval, the sign test, the verdict.
 * @example
 * ```ts
 * et.showTable(et.pairedComparisonRecords(extended), { title: "Paired mode comparisons" });
 * ```
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
      sign_test_p: p.comparison.sign.pValue,
      verdict: p.comparison.verdict,
    }));
}
