/** Plotly figures for the evaluation's questions, and the chart bundle (plotly JSON + static fallback + text). */
import { EmotuneError, describeValue } from '../errors.js';
import { chartFallbackHtml, chartText } from './chart-fallback.js';
import { MORE_IS_DARKER, escapePlotly } from './obey.js';
import { PLOTLY_MIME, STANDARD_PLOTLY_MIME } from './types.js';
import type { MimeBundle, PlotlyFigure, ResultRecord } from './types.js';
import { KEY_NAMES } from '../formats/key-names.js';
import { NUMBER_FORMATS, adherenceEmptyNote, formatInterval, formatPercent } from './format.js';
import {
  type REFERENCE_MARKS,
  referenceLegendTraces,
  referenceLevels,
  referenceShape,
  type ReferenceLevel,
  type ReferenceLike,
} from './reference-marks.js';

const finiteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The bundle for any plotly figure. */
export function chartBundle(figure: PlotlyFigure): MimeBundle {
  if (figure === null || typeof figure !== 'object' || !Array.isArray(figure.data)) {
    throw new EmotuneError('cannot show a chart', {
      field: 'figure.data',
      expected: 'a plotly figure {data: [...], layout?}',
      found: describeValue(figure),
      code: 'display.figure',
    });
  }
  const fig: PlotlyFigure = { data: figure.data, layout: figure.layout ?? {} };
  if (figure.config) fig.config = figure.config;
  return {
    data: {
      [PLOTLY_MIME]: fig,
      [STANDARD_PLOTLY_MIME]: fig,
      'text/html': `<div class="emotune-chart-fallback">${chartFallbackHtml(fig)}</div>`,
      'text/plain': chartText(fig),
    },
    metadata: {},
  };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function metricKeys(rows: readonly ResultRecord[], suffix: string): string[] {
  const keys: string[] = [];
  for (const r of rows)
    for (const k of Object.keys(r))
      if (k.endsWith(suffix) && !keys.includes(k) && num(r[k]) !== undefined) keys.push(k);
  return keys;
}

/** Group label: the mode, prefixed by the model when there are several models. */
function groupLabels(rows: readonly ResultRecord[]): (r: ResultRecord) => string {
  const models = new Set(rows.map((r) => String(r['model'] ?? '')));
  return models.size > 1
    ? (r) => escapePlotly(`${String(r['model'] ?? '')} / ${String(r['mode'] ?? '')}`)
    : (r) => escapePlotly(String(r['mode'] ?? ''));
}

function groupBy(rows: readonly ResultRecord[], label: (r: ResultRecord) => string): Map<string, ResultRecord[]> {
  const groups = new Map<string, ResultRecord[]>();
  for (const r of rows) {
    const k = label(r);
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  return groups;
}

export interface AdherenceByModeOptions {
  /** Metric fields; default every `*_adherence` field present. */
  metrics?: string[];
  title?: string;
  /** Legend names by metric field (default `metricLabel`). */
  labels?: Record<string, string>;
  /**
   * The reference block (`attachReference(...).reference`, or `extended.reference`): chance and real-music
   * ceiling drawn as labelled lines across the emotion and key bars. Or the levels per metric directly.
   */
  reference?: ReferenceLike | Record<string, ReferenceLevel> | null;
}

function levelsOf(reference: AdherenceByModeOptions['reference']): Record<string, ReferenceLevel> {
  if (!reference) return {};
  const r = reference as ReferenceLike;
  return r.floor !== undefined || r.ceiling !== undefined
    ? referenceLevels(r)
    : (reference as Record<string, ReferenceLevel>);
}

/** Human names for metric fields (legend entries, axis titles), e.g. `duration_note_adherence` -> `duration (note steps)`. */
export function metricLabel(key: string): string {
  const known: Record<string, string> = {
    emotion_adherence: 'emotion',
    key_adherence: 'key',
    key_adherence_best: 'key (recommended method)',
    key_mirex: 'key, MIREX score',
    key_mirex_best: 'key, MIREX score (recommended method)',
  };
  const hit = known[key];
  if (hit) return hit;
  let m = /^(.+)_note_adherence$/.exec(key);
  if (m) return `${m[1]} (note steps)`;
  m = /^(.+)_note_distance$/.exec(key);
  if (m) return `${m[1]} distance (note steps)`;
  m = /^(.+)_adherence$/.exec(key);
  if (m) return `${m[1]} (all steps)`;
  m = /^(.+)_distance$/.exec(key);
  if (m) return `${m[1]} distance`;
  return key.replace(/^quality_/, '').replace(/_/g, ' ');
}

/** A share as a bar's height in percent, clipped to the axis (0-100). */
const percentOf = (v: number) => Math.min(100, Math.max(0, v * 100));

/** One bar's error bar (percent) and hover text: the record's own 95% interval when it carries one. */
function barPoint(
  mean: number,
  rows: number,
  ci: unknown,
  refNote: string,
): { plus: number; minus: number; text: string } {
  const est = percentOf(mean);
  if (Array.isArray(ci) && num(ci[0]) !== undefined && num(ci[1]) !== undefined) {
    const lo = percentOf(ci[0] as number);
    const hi = percentOf(ci[1] as number);
    return {
      plus: Math.max(0, hi - est),
      minus: Math.max(0, est - lo),
      text: `${formatPercent(est / 100)} (95% interval ${formatInterval([lo / 100, hi / 100], NUMBER_FORMATS.percent)})${refNote}`,
    };
  }
  return {
    plus: 0,
    minus: 0,
    text: Number.isFinite(mean)
      ? `${formatPercent(est / 100)} (mean of ${rows} rows; no interval)${refNote}`
      : 'no data',
  };
}

/** A bar trace's `meta`: its reference levels and per-bar floors, which the static fallback draws (chart-fallback.ts). */
function adherenceMeta(
  levels: ReferenceLevel | undefined,
  floors: ReadonlyArray<number | null>,
): Record<string, unknown> {
  const hasFloor = floors.some((v) => v !== null);
  if (!levels && !hasFloor) return {};
  return { meta: { emotune: 'adherence', ...levels, ...(hasFloor ? { floor: floors } : {}) } };
}

/**
 * Adherence (%) per mode (and model), one bar series per metric. Error bars only where the records carry the
 * tables' own 95% interval (`<metric>_ci`: the song-level interval of `modeSummaryRecords`), clipped to
 * [0, 100]%; a group of several rows without one gets no bar rather than an interval from another method.
 * With `reference`, the chance level (dotted) and the real-music ceiling (solid) cross the emotion and key bars;
 * a record's `<metric>_floor` (the label-shuffled floor) crosses its own bar (dashed).
 */
export function adherenceByModeFigure(
  rows: readonly ResultRecord[],
  options: AdherenceByModeOptions = {},
): PlotlyFigure {
  const metrics = options.metrics ?? metricKeys(rows, '_adherence');
  const groups = groupBy(rows, groupLabels(rows));
  const cats = [...groups.keys()];
  const several = new Set(rows.map((r) => String(r['model'] ?? ''))).size > 1;
  const pct = percentOf;
  const levels = levelsOf(options.reference);
  const shapes: Array<Record<string, unknown>> = [];
  const kinds = new Set<keyof typeof REFERENCE_MARKS>();
  // Why a group has no bar for a metric (reason -> groups): said over the chart, as under the tables.
  const missing = new Map<string, Set<string>>();
  const data: Array<Record<string, unknown>> = metrics.map((m, j) => {
    const ref = levels[m];
    const marks = (['chance', 'ceiling'] as const).filter((k) => finiteNumber(ref?.[k]));
    const refText = marks
      .map((k) => `${k === 'chance' ? 'chance' : 'real music'} ${formatPercent(ref![k]!)}`)
      .join(', ');
    const y: number[] = [];
    const plus: number[] = [];
    const minus: number[] = [];
    const custom: string[] = [];
    const floors: Array<number | null> = [];
    for (const c of cats) {
      const g = groups.get(c) ?? [];
      const vals = g.map((r) => num(r[m])).filter((v): v is number => v !== undefined);
      const mean = vals.length ? vals.reduce((s, v) => s + v, 0) / vals.length : Number.NaN;
      const ci = g.length === 1 ? g[0]?.[`${m}_ci`] : undefined;
      // A floor belongs to one group's songs: drawn only where the bar is that one record.
      const floor = g.length === 1 && Number.isFinite(mean) ? num(g[0]?.[`${m}_floor`]) : undefined;
      floors.push(floor ?? null);
      const est = pct(mean);
      y.push(Number.isFinite(mean) ? est : Number.NaN);
      if (!Number.isFinite(mean)) {
        const reason = missingBarReason(m, c);
        if (!missing.has(reason)) missing.set(reason, new Set());
        missing.get(reason)!.add(shortCategory(c));
      }
      if (floor !== undefined) {
        shapes.push(referenceShape('floor', cats.indexOf(c), j, metrics.length, pct(floor)));
        kinds.add('floor');
      }
      const barRef = [refText, floor !== undefined ? `floor (requests shuffled) ${formatPercent(floor)}` : '']
        .filter(Boolean)
        .join(', ');
      const refNote = barRef ? `<br>${barRef}` : '';
      const point = barPoint(mean, vals.length, ci, refNote);
      plus.push(point.plus);
      minus.push(point.minus);
      custom.push(point.text);
      if (Number.isFinite(mean))
        for (const k of marks) {
          shapes.push(referenceShape(k, cats.indexOf(c), j, metrics.length, pct(ref![k]!)));
          kinds.add(k);
        }
    }
    const label = escapePlotly(options.labels?.[m] ?? metricLabel(m));
    return {
      type: 'bar',
      name: label,
      x: cats,
      y,
      customdata: custom,
      hovertemplate: `%{x}<br>${label}: %{customdata}<extra></extra>`,
      error_y: { type: 'data', symmetric: false, array: plus, arrayminus: minus, visible: true },
      ...adherenceMeta(marks.length ? ref : undefined, floors),
    };
  });
  data.push(...referenceLegendTraces([...kinds]));
  const notes = missingBarNotes(missing);
  return {
    data,
    layout: {
      title: { text: escapePlotly(options.title ?? 'Adherence by mode') },
      ...notesOverChart(notes),
      barmode: 'group',
      // The reference lines sit across the bars: their positions assume this gap (reference-marks.ts).
      bargap: 0.2,
      bargroupgap: 0,
      ...(shapes.length ? { shapes } : {}),
      yaxis: { title: { text: 'adherence (%)' }, range: [0, 100] },
      // "model / mode" on two lines, level: tilted labels took half the height of a notebook-sized chart.
      xaxis: {
        title: { text: several ? 'model / mode' : 'mode' },
        automargin: true,
        type: 'category',
        tickmode: 'array',
        tickvals: cats,
        // Without the "inference-" every mode shares (the hover keeps it): neighbouring labels ran into each other.
        ticktext: cats.map((c) => shortCategory(c).replace(' / ', ' /<br>')),
        tickangle: 0,
      },
      // The legend in rows under the chart, every entry in view (a side legend scrolled past 7 entries).
      height: 520 + 16 * notes.length,
      margin: { t: 60 + 16 * notes.length, b: 150 },
      legend: { orientation: 'h', x: 0, xanchor: 'left', yref: 'container', y: 0, yanchor: 'bottom' },
    },
  };
}

/** Characters a note line over the chart holds (plotly does not wrap annotations; about 6 px a character). */
const NOTE_WIDTH = 110;

/** Text in lines of at most `width` characters, broken between words (a longer word has a line to itself). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** The lines over the chart that say why groups have no bar (reason -> groups), wrapped to the chart's width. */
function missingBarNotes(missing: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  return [...missing].flatMap(([reason, where]) =>
    wrapWords(`no bar (${[...where].join(', ')}) = ${reason}`, NOTE_WIDTH).map(escapePlotly),
  );
}

/** Layout for notes set between the title and the plot (none: nothing). */
function notesOverChart(notes: readonly string[]): Record<string, unknown> {
  if (notes.length === 0) return {};
  const note = { xref: 'paper', yref: 'paper', x: 0, y: 1, xanchor: 'left', yanchor: 'bottom', align: 'left' };
  return { annotations: [{ ...note, text: notes.join('<br>'), showarrow: false, font: { size: 11 } }] };
}

/** A group's label as the chart's ticks show it ("scratch / forced"): what the notes over the chart name. */
const shortCategory = (c: string) => c.replace(/\binference-/g, '');

/**
 * Why a group has no bar for an adherence metric, in the words the tables use for their `–` cells; a token
 * figure missing outside forced mode has no single reason, so it is only said to be missing.
 */
function missingBarReason(metric: string, category: string): string {
  const token = !metric.startsWith('emotion') && !metric.startsWith('key');
  if (token && !/\binference-forced\b/.test(category)) return 'no value: none of these rows has this figure.';
  return adherenceEmptyNote(metric);
}

export interface DistanceDistributionOptions {
  /** Metric fields; default every `*_distance` field present. */
  metrics?: string[];
  kind?: 'box' | 'histogram';
  title?: string;
}

/** Distribution of distance metrics across result rows: box plots per mode, grouped by metric (or histograms). */
export function distanceDistributionFigure(
  rows: readonly ResultRecord[],
  options: DistanceDistributionOptions = {},
): PlotlyFigure {
  const metrics = options.metrics ?? metricKeys(rows, '_distance');
  const groups = groupBy(rows, groupLabels(rows));
  const kind = options.kind ?? 'box';
  const data: Array<Record<string, unknown>> = [];
  for (const [name, g] of groups) {
    const x: string[] = [];
    const y: number[] = [];
    for (const m of metrics) {
      for (const r of g) {
        const v = num(r[m]);
        if (v === undefined) continue;
        x.push(m.replace(/_distance$/, ''));
        y.push(v);
      }
    }
    data.push(
      kind === 'box'
        ? {
            type: 'box',
            name,
            x: x.map((k) => escapePlotly(metricLabel(`${k}_distance`))),
            y,
            boxpoints: 'all',
            jitter: 0.3,
            pointpos: 0,
          }
        : { type: 'histogram', name, x: y, opacity: 0.6 },
    );
  }
  return {
    data,
    layout: {
      title: { text: escapePlotly(options.title ?? 'Distance to the conditioned value') },
      ...(kind === 'box'
        ? { boxmode: 'group', yaxis: { title: { text: 'mean |distance|' } } }
        : { barmode: 'overlay', xaxis: { title: { text: 'mean |distance|' } } }),
    },
  };
}

/** The 24 keys in the order key detection tests them (per tonic, major before minor). */
export const KEY_ORDER: readonly string[] = KEY_NAMES;

function keyRank(k: string): number {
  const i = KEY_ORDER.indexOf(k);
  return i < 0 ? KEY_ORDER.length : i;
}

/**
 * Requested-versus-detected key counts. Each record has the requested key in `key` (or `requested`) and either
 * one detected key in `detected` or counts in `key_distribution` / `detected` as {key: count}.
 */
export function keyHeatmapFigure(records: readonly ResultRecord[], options: { title?: string } = {}): PlotlyFigure {
  const counts = new Map<string, Map<string, number>>();
  records.forEach((r, i) => {
    const req = r['requested'] ?? r['key'];
    if (req === null || req === undefined) return; // runs without a key condition
    const det = r['key_distribution'] ?? r['detected'];
    const dist: Record<string, unknown> =
      typeof det === 'string'
        ? { [det]: 1 }
        : det !== null && typeof det === 'object'
          ? (det as Record<string, unknown>)
          : {};
    if (typeof det !== 'string' && (det === null || typeof det !== 'object')) {
      throw new EmotuneError('cannot count detected keys', {
        field: `records[${i}].detected`,
        expected: 'a key string or {key: count}',
        found: describeValue(det),
        code: 'display.keys',
      });
    }
    const row = counts.get(String(req)) ?? new Map<string, number>();
    for (const [k, c] of Object.entries(dist)) row.set(k, (row.get(k) ?? 0) + (num(c) ?? 0));
    counts.set(String(req), row);
  });
  // One key order on both axes: the requested keys first (rows and the first columns alike, so the diagonal
  // is the obeyed cells), then the other detected keys in the same circle-of-tonics order.
  const byRank = (a: string, b: string) => keyRank(a) - keyRank(b) || a.localeCompare(b);
  const ys = [...counts.keys()].sort(byRank);
  const others = new Set<string>();
  for (const row of counts.values()) for (const k of row.keys()) if (!counts.has(k)) others.add(k);
  const xs = [...ys, ...[...others].sort(byRank)];
  const z = ys.map((y) => xs.map((x) => counts.get(y)?.get(x) ?? 0));
  const rowTotals = z.map((r) => r.reduce((a, b) => a + b, 0));
  return {
    data: [
      {
        type: 'heatmap',
        name: 'files',
        x: xs.map(escapePlotly),
        y: ys.map(escapePlotly),
        z,
        zmin: 0,
        text: z.map((r) => r.map((c) => (c > 0 ? String(c) : ''))),
        texttemplate: '%{text}',
        customdata: z.map((r, i) =>
          r.map((c) => `${rowTotals[i] ? Math.round((100 * c) / (rowTotals[i] as number)) : 0}%`),
        ),
        colorscale: MORE_IS_DARKER,
        colorbar: { title: { text: 'files' } },
        hovertemplate: 'requested %{y}<br>detected %{x}<br>%{z} files (%{customdata} of the row)<extra></extra>',
      },
    ],
    layout: {
      title: { text: escapePlotly(options.title ?? 'Requested vs detected key') },
      xaxis: { title: { text: 'detected key' }, type: 'category', automargin: true },
      yaxis: { title: { text: 'requested key' }, type: 'category', autorange: 'reversed', automargin: true },
      height: Math.max(260, 120 + 34 * ys.length),
    },
  };
}
