/**
 * Figures that answer "does it obey?": the emotion requested x detected confusion per model and mode (with the
 * arousal and valence agreement beside it), in one shape whether the analysis or the extended results give it.
 */
import { wilsonInterval } from '../stats/wilson.js';
import { NUMBER_FORMATS, formatInterval, formatPercent } from './format.js';
import type { PlotlyFigure } from './types.js';

/** `reference.confusion[]` of the extended results: counts[requested][detected] over `labels`. */
export interface ConfusionEntry {
  model: string;
  mode: string;
  labels: string[];
  counts: number[][];
}

export const EMOTION_LABELS: readonly string[] = ['Q1', 'Q2', 'Q3', 'Q4'];

/** Plain-language names of Russell's quadrants as EMOPIA uses them. */
export const QUADRANT_NAMES: Readonly<Record<string, string>> = {
  Q1: 'Q1 happy / excited (high arousal, positive valence)',
  Q2: 'Q2 tense / angry (high arousal, negative valence)',
  Q3: 'Q3 sad / depressed (low arousal, negative valence)',
  Q4: 'Q4 calm / relaxed (low arousal, positive valence)',
};

/** What a per-run emotion report needs to hold (the analysis' EmotionKeyReport fits). */
export interface EmotionReportLike {
  run: { model: string; mode: string; emotion: unknown };
  emotion_adherence?: { predictions?: ReadonlyArray<{ emotion: number }> } | null;
}

/**
 * The confusion counts from per-run requested and detected emotions: the one place that computes them
 * (the extended results' `reference.confusion` has the same shape and is preferred when present).
 */
export function emotionConfusion(reports: readonly EmotionReportLike[]): ConfusionEntry[] {
  const out = new Map<string, ConfusionEntry>();
  for (const r of reports) {
    const req = typeof r.run.emotion === 'number' ? r.run.emotion : Number(r.run.emotion);
    if (!Number.isInteger(req) || req < 1 || req > 4) continue;
    const preds = r.emotion_adherence?.predictions ?? [];
    if (preds.length === 0) continue;
    const k = JSON.stringify([r.run.model, r.run.mode]);
    let e = out.get(k);
    if (!e) {
      e = {
        model: r.run.model,
        mode: r.run.mode,
        labels: [...EMOTION_LABELS],
        counts: EMOTION_LABELS.map(() => EMOTION_LABELS.map(() => 0)),
      };
      out.set(k, e);
    }
    for (const p of preds)
      if (Number.isInteger(p.emotion) && p.emotion >= 1 && p.emotion <= 4)
        (e.counts[req - 1] as number[])[p.emotion - 1]! += 1;
  }
  return [...out.values()];
}

function isEntry(v: unknown): v is ConfusionEntry {
  const e = v as ConfusionEntry;
  return (
    !!e &&
    typeof e.model === 'string' &&
    typeof e.mode === 'string' &&
    Array.isArray(e.labels) &&
    Array.isArray(e.counts) &&
    e.counts.length === e.labels.length &&
    e.counts.every(
      (row) =>
        Array.isArray(row) &&
        row.length === e.labels.length &&
        row.every((c) => typeof c === 'number' && Number.isFinite(c) && c >= 0),
    )
  );
}

/**

 * `extended.reference.confusion` when the results carry it (well-formed), else computed from the reports.
 * @example
 * ```ts
 * const entries = et.confusionEntries(extended, analysis.emotionKeyReports);
 * for (const e of entries) console.log(e.model, e.mode, e.counts);
 * ```
 */
export function confusionEntries(extended: unknown, reports: readonly EmotionReportLike[] = []): ConfusionEntry[] {
  const given = (extended as { reference?: { confusion?: unknown } } | null | undefined)?.reference?.confusion;
  if (Array.isArray(given) && given.length > 0 && given.every(isEntry)) return given;
  return emotionConfusion(reports);
}

const HIGH_AROUSAL = new Set(['Q1', 'Q2']);
const POSITIVE_VALENCE = new Set(['Q1', 'Q4']);

/** Agreement counts: exact quadrant, arousal half (Q1/Q2 vs Q3/Q4), valence half (Q1/Q4 vs Q2/Q3). */
export function confusionMarginals(
  e: ConfusionEntry,
): Record<'exact' | 'arousal' | 'valence', { matches: number; total: number }> {
  const acc = { exact: { matches: 0, total: 0 }, arousal: { matches: 0, total: 0 }, valence: { matches: 0, total: 0 } };
  e.counts.forEach((row, i) =>
    row.forEach((c, j) => {
      const a = e.labels[i] as string;
      const b = e.labels[j] as string;
      for (const k of ['exact', 'arousal', 'valence'] as const) acc[k].total += c;
      if (i === j) acc.exact.matches += c;
      if (HIGH_AROUSAL.has(a) === HIGH_AROUSAL.has(b)) acc.arousal.matches += c;
      if (POSITIVE_VALENCE.has(a) === POSITIVE_VALENCE.has(b)) acc.valence.matches += c;
    }),
  );
  return acc;
}

/** `6/16 = 37.5% [18.5%, 61.4%]`: a count, its share and the Wilson interval, in the tables' percent format. */
export function shareWithInterval(matches: number, total: number): string {
  if (total === 0) return 'no songs';
  const w = wilsonInterval(matches, total);
  return `${matches}/${total} = ${formatPercent(matches / total)} ${formatInterval([w.lower, w.upper], NUMBER_FORMATS.percent)}`;
}

/** Sequential scale where more is darker, readable on light and dark backgrounds. */
export const MORE_IS_DARKER: Array<[number, string]> = [
  [0, '#f7fbff'],
  [0.25, '#c6dbef'],
  [0.5, '#6baed6'],
  [0.75, '#2171b5'],
  [1, '#08306b'],
];

/**
 * One heatmap per (model, mode): rows the requested quadrant (Q1 at the top), columns the detected one, so a
 * model that obeys fills the diagonal from top left to bottom right. Colour is the share of the requested row
 * (more = darker), the cells show the song counts, and the line under each heatmap gives the exact, arousal
 * and valence agreement with Wilson intervals.
 */
export function emotionConfusionFigure(
  entries: readonly ConfusionEntry[],
  options: { title?: string } = {},
): PlotlyFigure {
  const modes = [...new Set(entries.map((e) => e.mode))];
  const models = [...new Set(entries.map((e) => e.model))];
  const cols = Math.max(1, Math.min(3, modes.length));
  const perModel = Math.ceil(modes.length / cols);
  const rows = models.length * perModel;
  const data: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = {
    title: { text: options.title ?? 'Requested versus detected emotion' },
    height: 120 + rows * 340,
    margin: { t: 70, b: 110, l: 70, r: 20 },
    annotations: [] as unknown[],
  };
  const annotations = layout['annotations'] as Array<Record<string, unknown>>;
  entries.forEach((e, n) => {
    const mi = models.indexOf(e.model);
    const di = modes.indexOf(e.mode);
    const row = mi * perModel + Math.floor(di / cols);
    const col = di % cols;
    const s = n === 0 ? '' : String(n + 1);
    const totals = e.counts.map((r) => r.reduce((a, b) => a + b, 0));
    const z = e.counts.map((r, i) => r.map((c) => ((totals[i] as number) > 0 ? c / (totals[i] as number) : 0)));
    const text = e.counts.map((r) => r.map((c) => String(c)));
    const hover = e.counts.map((r, i) =>
      r.map(
        (c, j) =>
          `requested ${e.labels[i]}, detected ${e.labels[j]}: ${c} of ${totals[i]} songs (${(totals[i] as number) > 0 ? Math.round((100 * c) / (totals[i] as number)) : 0}%)`,
      ),
    );
    data.push({
      type: 'heatmap',
      name: escapePlotly(`${e.model} · ${e.mode}`),
      x: e.labels,
      y: e.labels,
      z,
      zmin: 0,
      zmax: 1,
      text,
      texttemplate: '%{text}',
      customdata: hover,
      hovertemplate: '%{customdata}<extra></extra>',
      colorscale: MORE_IS_DARKER,
      showscale: n === 0,
      colorbar: { title: { text: 'share of<br>requested' }, tickformat: '.0%', len: 0.5 },
      xaxis: `x${s}`,
      yaxis: `y${s}`,
      meta: { emotune: 'confusion' },
    });
    const gx = 0.06;
    const gy = (rows > 1 ? 0.22 : 0.08) / Math.max(1, rows);
    const x0 = col / cols + (col > 0 ? gx / 2 : 0);
    const x1 = (col + 1) / cols - (col < cols - 1 ? gx / 2 : 0);
    const y1 = 1 - row / rows - gy;
    const y0 = 1 - (row + 1) / rows + gy;
    layout[`xaxis${s}`] = {
      domain: [x0, x1],
      anchor: `y${s}`,
      type: 'category',
      title: { text: 'detected' },
      side: 'bottom',
      constrain: 'domain',
    };
    layout[`yaxis${s}`] = {
      domain: [y0, y1],
      anchor: `x${s}`,
      type: 'category',
      autorange: 'reversed',
      title: { text: 'requested' },
      scaleanchor: `x${s}`,
      constrain: 'domain',
    };
    const m = confusionMarginals(e);
    // The agreement lines go in the x-axis title, under the ticks: plotly keeps them clear of the neighbours.
    (layout[`xaxis${s}`] as Record<string, unknown>)['title'] = {
      text: `detected<br><sub>exact ${shareWithInterval(m.exact.matches, m.exact.total)}<br>arousal ${shareWithInterval(m.arousal.matches, m.arousal.total)}<br>valence ${shareWithInterval(m.valence.matches, m.valence.total)}</sub>`,
      standoff: 6,
    };
    annotations.push({
      text: `<b>${escapePlotly(e.model)} · ${escapePlotly(e.mode)}</b>`,
      xref: 'paper',
      yref: 'paper',
      x: (x0 + x1) / 2,
      y: y1 + gy * 0.25,
      xanchor: 'center',
      yanchor: 'bottom',
      showarrow: false,
    });
  });
  return { data, layout };
}

/** Plotly reads a few HTML tags in text: data strings are escaped so they show literally. */
export function escapePlotly(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
