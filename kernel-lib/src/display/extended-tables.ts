/** Records for tables (and the report) from the extended results: figures with intervals, paired mode tests. */
import type { ExtendedResults } from '../aggregate/extended-results.js';
import { metricLabel } from './charts.js';
import type { ModeComparison } from '../aggregate/extended-results.js';
import type { ResultRecord } from './types.js';
import { formatP } from './format.js';

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
    const rec: ResultRecord = {
      model: m.model,
      mode: m.mode,
      cells: m.cells,
      n_songs: m.n_songs,
      n_distinct: m.n_distinct,
    };
    for (const [metric, f] of Object.entries(m.figures)) {
      if (!Number.isFinite(f.estimate)) continue;
      rec[metric] = f.estimate;
      if (Number.isFinite(f.lower) && Number.isFinite(f.upper)) rec[`${metric}_ci`] = [f.lower, f.upper];
    }
    const fewer = fewerSongs(m.figures, m.n_songs);
    if (fewer) rec['figures_on_fewer_songs'] = fewer;
    return rec;
  });
}

/**
 * The figures of a mode that rest on fewer songs than its n_songs (token figures count only the runs
 * conditioned on that token; a measure undefined for a song leaves it out), e.g. `duration 120, velocity 120`.
 */
function fewerSongs(figures: ExtendedResults['modes'][number]['figures'], songs: number): string | undefined {
  const groups = new Map<string, Set<number>>();
  for (const [metric, f] of Object.entries(figures)) {
    if (f.n_songs === undefined || f.n_songs >= songs || !Number.isFinite(f.estimate)) continue;
    // A token's three figures (all steps, note steps, distance) rest on the same runs: one entry for them.
    const token = /^(.+?)_(?:note_adherence|note_distance|adherence|distance)$/.exec(metric)?.[1];
    const name = token && token !== 'emotion' && token !== 'key' ? `${token} figures` : metric;
    groups.set(name, (groups.get(name) ?? new Set<number>()).add(f.n_songs));
  }
  if (groups.size === 0) return undefined;
  return [...groups.entries()].map(([name, ns]) => `${name}: ${[...ns].join('/')}`).join(', ');
}

/** Which way is better for a metric: `up` for adherence and key scores, `down` for distances, none for the rest. */
export function metricDirection(metric: string): 'up' | 'down' | undefined {
  if (/(_adherence|_mirex)(_best)?$/.test(metric)) return 'up';
  if (/_distance$/.test(metric)) return 'down';
  return undefined;
}

/** Ratios (shown in percent) get differences in percentage points. */
function isRatio(metric: string): boolean {
  return /_adherence(_best)?$/.test(metric);
}

type Verdict = string;

/**
 * The test a comparison reports and its verdict: the corrected p-value and the verdict computed from it when the
 * results carry them (`p_adjusted`), else the exact sign test at 0.05 with the direction of its counts.
 */
function reportedTest(c: ModeComparison['comparison']): { p: number; test: string; verdict: Verdict } {
  const adjusted = (c as { p_adjusted?: unknown }).p_adjusted;
  if (typeof adjusted === 'number' && Number.isFinite(adjusted))
    return { p: adjusted, test: 'Wilcoxon signed-rank, Holm-adjusted', verdict: String(c.verdict) };
  const p = c.sign.pValue;
  const verdict =
    c.n === 0
      ? 'no data'
      : p < 0.05
        ? c.sign.positive > c.sign.negative
          ? 'a higher'
          : c.sign.negative > c.sign.positive
            ? 'b higher'
            : 'no clear difference'
        : 'no clear difference';
  return { p, test: 'exact sign test', verdict };
}

/** The verdict in words, given which way is better: `primed better`, `no clear difference`, ... */
export function betterMode(a: string, b: string, verdict: Verdict, direction: 'up' | 'down' | undefined): string {
  if (verdict !== 'a higher' && verdict !== 'b higher') return verdict;
  const higher = verdict === 'a higher' ? a : b;
  const lower = verdict === 'a higher' ? b : a;
  if (direction === 'up') return `${higher} better`;
  if (direction === 'down') return `${lower} better`;
  return `${higher} higher`;
}

/**
 * One record per paired comparison: which mode is better on the metric given its direction, the mean
 * difference a − b with its interval (`difference_pp` in percentage points for ratios, `difference` in the
 * metric's unit otherwise), the p-value of the test the verdict rests on (Holm-adjusted exact Wilcoxon), the
 * BH q, the rank-biserial r and the songs behind it.
 * @example
 * ```ts
 * et.showTable(et.pairedComparisonRecords(extended), { title: "Paired mode comparisons" });
 * ```
 */
export function pairedComparisonRecords(extended: Pick<ExtendedResults, 'paired'>): ResultRecord[] {
  return extended.paired
    .filter((p) => p.comparison.n > 0)
    .map((p) => {
      const ratio = isRatio(p.metric);
      const scale = ratio ? 100 : 1;
      const diff = ratio ? 'difference_pp' : 'difference';
      const d = p.comparison.difference;
      const t = reportedTest(p.comparison);
      const rec: ResultRecord = {
        model: p.model,
        metric: metricLabel(p.metric),
        comparison: `${p.a} vs ${p.b}`,
        better: betterMode(p.a, p.b, t.verdict, metricDirection(p.metric)),
        // Both keys on every record (one empty), so the two difference columns stand side by side, next to
        // the verdict they support.
        difference_pp: null,
        difference: null,
        [diff]: d.estimate * scale,
        p: formatP(t.p),
        cells: p.comparison.n,
        test: t.test,
      };
      if (Number.isFinite(d.lower) && Number.isFinite(d.upper)) rec[`${diff}_ci`] = [d.lower * scale, d.upper * scale];
      const c = p.comparison as Partial<typeof p.comparison>;
      if (c.q_value !== undefined) rec['q_bh'] = formatP(c.q_value, 'q');
      if (c.effect_size) rec['rank_biserial'] = c.effect_size.rank_biserial;
      if (p.n_songs !== undefined) rec['n_songs'] = p.n_songs;
      if (p.n_distinct !== undefined) rec['n_distinct'] = p.n_distinct;
      return rec;
    });
}
