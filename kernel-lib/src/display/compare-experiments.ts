/**
 * Two experiments side by side (e.g. two checkpoints, or before and after a change): per model, mode and
 * metric, each experiment's figure with its interval and the difference B − A with an interval built from the
 * two (Newcombe's / Zou's MOVER: the same Wilson or bootstrap limits the tables show, combined). A difference is
 * called only when its p, read from that interval and Holm-adjusted over every comparison shown, is under .05.
 */
import { readFile } from 'node:fs/promises';
import type { ExtendedResults } from '../aggregate/extended-results.js';
import { EmotuneError, errorMessage } from '../errors.js';
import { chartBundle, metricLabel } from './charts.js';
import { metricDirection } from './extended-tables.js';
import { escapePlotly } from './obey.js';
import { publishDisplay } from './sink.js';
import { tableBundle } from './table.js';
import { NUMBER_FORMATS, formatP } from './format.js';
import { holmAdjust } from '../stats/multiplicity.js';
import { normalCdf } from '../stats/normal.js';
import { normalQuantile } from '../stats/interval.js';
import type { PlotlyFigure, ResultRecord, TableColumn } from './types.js';

type Modes = Pick<ExtendedResults, 'modes'>;

export interface CompareOptions {
  /** Names of the two experiments (default `A`, `B`). */
  labels?: [string, string];
  /** Metrics to compare (default: every `*adherence*` figure both have). */
  metrics?: string[];
}

/** MOVER interval of d = b − a from the two estimates' own intervals. */
export function differenceInterval(
  a: { estimate: number; lower: number; upper: number },
  b: { estimate: number; lower: number; upper: number },
): [number, number] {
  const d = b.estimate - a.estimate;
  return [
    d - Math.hypot(b.estimate - b.lower, a.upper - a.estimate),
    d + Math.hypot(b.upper - b.estimate, a.estimate - a.lower),
  ];
}

const ratio = (metric: string) => /_adherence(_best)?$/.test(metric);

/** The normal quantile of the 95% intervals the figures carry. */
const Z95 = normalQuantile(0.975);

/**
 * Two-sided p of d = 0 from its MOVER interval, read as normal: the standard error from the interval's side towards
 * 0 (the intervals are percentile bootstraps, not always symmetric). A zero-width interval: p 1 at d = 0, else 0.
 */
export function differenceP(d: number, [lo, hi]: readonly [number, number]): number {
  if (!Number.isFinite(d) || !Number.isFinite(lo) || !Number.isFinite(hi)) return NaN;
  const se = (d >= 0 ? d - lo : hi - d) / Z95;
  if (!(se > 0)) return d === 0 ? 1 : 0;
  return 2 * (1 - normalCdf(Math.abs(d) / se));
}

/** The reading of one comparison: which experiment is better (or higher) when the adjusted p is under .05. */
function changeOf(d: number, pAdjusted: number, dir: 'up' | 'down' | undefined, [la, lb]: [string, string]): string {
  if (!(pAdjusted < 0.05) || d === 0) return 'no clear change';
  const higher = d > 0 ? lb : la;
  const lower = d > 0 ? la : lb;
  if (dir === 'up') return `${higher} better`;
  if (dir === 'down') return `${lower} better`;
  return `${higher} higher`;
}

/**
 * One record per (model, mode, metric) present in both experiments: each experiment's figure (a share in [0, 1]
 * for ratios), and B − A as `difference_pp` (percentage points) for ratios or `difference` otherwise, with its
 * unadjusted 95% MOVER interval. The verdict (`change`) rests on `p`, Holm-adjusted over every comparison of the
 * call: with dozens of metrics and modes, a few 95% intervals exclude 0 by chance alone.
 */
export function experimentComparisonRecords(a: Modes, b: Modes, options: CompareOptions = {}): ResultRecord[] {
  const labels = options.labels ?? ['A', 'B'];
  const [la, lb] = labels;
  const out: ResultRecord[] = [];
  const tests: Array<{ rec: ResultRecord; d: number; p: number; dir: 'up' | 'down' | undefined }> = [];
  for (const ma of a.modes) {
    const mb = b.modes.find((m) => m.model === ma.model && m.mode === ma.mode);
    if (!mb) continue;
    const metrics = options.metrics ?? Object.keys(ma.figures).filter((k) => k.includes('adherence'));
    for (const metric of metrics) {
      const fa = ma.figures[metric];
      const fb = mb.figures[metric];
      if (!fa || !fb || !Number.isFinite(fa.estimate) || !Number.isFinite(fb.estimate)) continue;
      const k = ratio(metric) ? 100 : 1;
      const diff = k === 100 ? 'difference_pp' : 'difference';
      const [lo, hi] = differenceInterval(fa, fb);
      const d = fb.estimate - fa.estimate;
      const rec: ResultRecord = {
        model: ma.model,
        mode: ma.mode,
        metric: metricLabel(metric),
        [la]: fa.estimate,
        [lb]: fb.estimate,
        [diff]: d * k,
      };
      if (Number.isFinite(fa.lower) && Number.isFinite(fa.upper)) rec[`${la}_ci`] = [fa.lower, fa.upper];
      if (Number.isFinite(fb.lower) && Number.isFinite(fb.upper)) rec[`${lb}_ci`] = [fb.lower, fb.upper];
      if (Number.isFinite(lo) && Number.isFinite(hi)) rec[`${diff}_ci`] = [lo * k, hi * k];
      out.push(rec);
      tests.push({ rec, d, p: differenceP(d, [lo, hi]), dir: metricDirection(metric) });
    }
  }
  const adjusted = holmAdjust(tests.map((t) => t.p));
  tests.forEach((t, i) => {
    t.rec['change'] = changeOf(t.d, adjusted[i]!, t.dir, labels);
    t.rec['p'] = formatP(adjusted[i]!);
  });
  return out;
}

/** The differences as a dot plot: one row per model / mode / metric, the interval as a bar, 0 marked. */
export function experimentComparisonFigure(
  records: readonly ResultRecord[],
  labels: [string, string] = ['A', 'B'],
): PlotlyFigure {
  const y = records.map((r) => escapePlotly(`${String(r['model'])} / ${String(r['mode'])} · ${String(r['metric'])}`));
  const key = (r: ResultRecord) => ('difference_pp' in r ? 'difference_pp' : 'difference');
  const d = records.map((r) => r[key(r)] as number);
  const ci = records.map(
    (r): [number, number] => (r[`${key(r)}_ci`] as [number, number] | undefined) ?? [Number.NaN, Number.NaN],
  );
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: `${escapePlotly(labels[1])} − ${escapePlotly(labels[0])}`,
        x: d,
        y,
        marker: { size: 9 },
        error_x: {
          type: 'data',
          symmetric: false,
          array: ci.map(([, hi], i) => hi - (d[i] as number)),
          arrayminus: ci.map(([lo], i) => (d[i] as number) - lo),
          visible: true,
        },
        customdata: records.map((r) => escapePlotly(String(r['change']))),
        hovertemplate: '%{y}<br>difference %{x:+.1f} (%{customdata})<extra></extra>',
      },
    ],
    layout: {
      title: {
        text: `${escapePlotly(labels[1])} minus ${escapePlotly(labels[0])}, with unadjusted 95% intervals (percentage points for ratios)`,
      },
      xaxis: { title: { text: 'difference' }, zeroline: true, zerolinewidth: 2 },
      yaxis: { automargin: true, autorange: 'reversed', type: 'category' },
      height: Math.max(260, 110 + 26 * records.length),
      showlegend: false,
    },
  };
}

/** The two experiments' columns in percent when every metric is a ratio (the default), else as values. */
export function experimentComparisonColumns(
  records: readonly ResultRecord[],
  [la, lb]: [string, string],
): Array<string | (Partial<TableColumn> & { key: string })> {
  const format = records.every((r) => 'difference_pp' in r) ? NUMBER_FORMATS.percent : NUMBER_FORMATS.value;
  const keys = new Set(records.flatMap((r) => Object.keys(r)));
  return [
    'model',
    'mode',
    'metric',
    { key: la, format },
    { key: lb, format },
    ...['difference_pp', 'difference'].filter((k) => keys.has(k)),
    'change',
    ...(keys.has('p') ? ['p'] : []),
  ];
}

async function loadExtended(source: Modes | string, which: string): Promise<Modes> {
  if (typeof source !== 'string') return source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(source, 'utf8'));
  } catch (e) {
    throw new EmotuneError('cannot read the extended results', {
      file: source,
      field: which,
      expected: 'evaluation_results_extended.json written by emotune analyze',
      found: errorMessage(e).split('\n')[0],
      code: 'display.compare',
    });
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as Modes).modes)) {
    throw new EmotuneError('not an extended results file', {
      file: source,
      field: 'modes',
      expected: 'an array (evaluation_results_extended.json)',
      code: 'display.compare',
    });
  }
  return parsed as Modes;
}

/**
 * Compare two experiments (their extended results, or the paths of their `evaluation_results_extended.json`):
 * shows the table and the difference plot, returns the records.
 */
export async function compareExperiments(
  a: Modes | string,
  b: Modes | string,
  options: CompareOptions = {},
): Promise<ResultRecord[]> {
  const labels = options.labels ?? ['A', 'B'];
  const records = experimentComparisonRecords(await loadExtended(a, 'a'), await loadExtended(b, 'b'), {
    ...options,
    labels,
  });
  publishDisplay(
    tableBundle(records, {
      title: `${labels[0]} versus ${labels[1]} per mode (95% intervals, unadjusted; the change column rests on Holm-adjusted p)`,
      filters: ['model', 'mode', 'metric'],
      columns: experimentComparisonColumns(records, labels),
    }),
  );
  if (records.length > 0) publishDisplay(chartBundle(experimentComparisonFigure(records, labels)));
  return records;
}
