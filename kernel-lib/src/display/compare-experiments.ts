/**
 * Two experiments side by side (e.g. two checkpoints, or before and after a change): per model, mode and
 * metric, each experiment's figure with its interval and the difference B − A with an interval built from the
 * two (Newcombe's / Zou's MOVER: the same Wilson or bootstrap limits the tables show, combined), so a
 * difference is called only when that interval excludes 0.
 */
import { readFile } from 'node:fs/promises';
import type { ExtendedResults } from '../aggregate/extended-results.js';
import { EmotuneError, errorMessage } from '../errors.js';
import { chartBundle, metricLabel } from './charts.js';
import { metricDirection } from './extended-tables.js';
import { escapePlotly } from './obey.js';
import { publishDisplay } from './sink.js';
import { tableBundle } from './table.js';
import { NUMBER_FORMATS } from './format.js';
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

/**
 * One record per (model, mode, metric) present in both experiments: each experiment's figure (a share in [0, 1]
 * for ratios), and B − A as `difference_pp` (percentage points) for ratios or `difference` otherwise.
 */
export function experimentComparisonRecords(a: Modes, b: Modes, options: CompareOptions = {}): ResultRecord[] {
  const [la, lb] = options.labels ?? ['A', 'B'];
  const out: ResultRecord[] = [];
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
      const dir = metricDirection(metric);
      const change =
        lo > 0
          ? dir === 'down'
            ? `${la} better`
            : dir === 'up'
              ? `${lb} better`
              : `${lb} higher`
          : hi < 0
            ? dir === 'down'
              ? `${lb} better`
              : dir === 'up'
                ? `${la} better`
                : `${la} higher`
            : 'no clear change';
      const rec: ResultRecord = {
        model: ma.model,
        mode: ma.mode,
        metric: metricLabel(metric),
        [la]: fa.estimate,
        [lb]: fb.estimate,
        [diff]: (fb.estimate - fa.estimate) * k,
        change,
      };
      if (Number.isFinite(fa.lower) && Number.isFinite(fa.upper)) rec[`${la}_ci`] = [fa.lower, fa.upper];
      if (Number.isFinite(fb.lower) && Number.isFinite(fb.upper)) rec[`${lb}_ci`] = [fb.lower, fb.upper];
      if (Number.isFinite(lo) && Number.isFinite(hi)) rec[`${diff}_ci`] = [lo * k, hi * k];
      out.push(rec);
    }
  }
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
        text: `${escapePlotly(labels[1])} minus ${escapePlotly(labels[0])}, with 95% intervals (percentage points for ratios)`,
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
      title: `${labels[0]} versus ${labels[1]} per mode (95% intervals)`,
      filters: ['model', 'mode', 'metric'],
      columns: experimentComparisonColumns(records, labels),
    }),
  );
  if (records.length > 0) publishDisplay(chartBundle(experimentComparisonFigure(records, labels)));
  return records;
}
