/**
 * Static fallbacks for plotly figures, so a chart still reads without the extension: bar charts as SVG
 * (with error bars), heatmaps as coloured HTML tables, anything else as a per-trace summary table.
 */
import { escapeHtml } from './escape.js';
import type { PlotlyFigure } from './types.js';
import { MARK_SVG_DASH, REFERENCE_MARKS } from './reference-marks.js';
import { formatPercent } from './format.js';

type Trace = Record<string, unknown>;

const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#ff9da6', '#9d755d'];

function nums(v: unknown): number[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : Number.NaN)) : [];
}
/** Figure strings are escaped for plotly (`&lt;`): back to plain text before escaping them for HTML. */
function plain(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => plain(String(x))) : [];
}
function titleOf(fig: PlotlyFigure): string | undefined {
  return titleText(fig.layout?.['title']);
}
/** A plotly title (a string or `{text}`) as plain text. */
function titleText(t: unknown): string | undefined {
  if (typeof t === 'string') return plain(t);
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string')
    return plain((t as { text: string }).text);
  return undefined;
}
function fmt(v: number): string {
  if (!Number.isFinite(v)) return '';
  return Number.isInteger(v) || Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

/**
 * The reference marks a bar trace carries in its `meta` (adherenceByModeFigure), in percent: chance and ceiling
 * across every bar of the trace, the floor per bar (`cat`: the category it belongs to).
 */
function referenceMarksOf(
  traces: readonly Trace[],
): Array<{ trace: number; kind: keyof typeof REFERENCE_MARKS; value: number; cat?: string }> {
  return traces.flatMap((t, trace) => {
    const meta = t['meta'] as { emotune?: unknown; chance?: unknown; ceiling?: unknown; floor?: unknown } | undefined;
    if (meta?.emotune !== 'adherence') return [];
    const xs = strs(t['x']);
    const floors = Array.isArray(meta.floor) ? (meta.floor as unknown[]) : [];
    return [
      ...(['chance', 'ceiling'] as const).flatMap((kind) => {
        const v = meta[kind];
        return typeof v === 'number' && Number.isFinite(v) ? [{ trace, kind, value: 100 * v }] : [];
      }),
      ...floors.flatMap((v, i) =>
        typeof v === 'number' && Number.isFinite(v) && xs[i] !== undefined
          ? [{ trace, kind: 'floor' as const, value: 100 * v, cat: xs[i] }]
          : [],
      ),
    ];
  });
}

type LegendItem = { swatch: string; name: string };

/** Legend entries flow into rows as wide as the chart (about 6 px a character at 10 px). */
function placeLegend(
  items: readonly LegendItem[],
  width: number,
): { placed: Array<{ x: number; row: number }>; rows: number } {
  const placed: Array<{ x: number; row: number }> = [];
  let lx = 0;
  let row = 0;
  for (const item of items) {
    const w = 28 + 6 * item.name.length;
    if (lx > 0 && 44 + lx + w > width - 10) {
      lx = 0;
      row++;
    }
    placed.push({ x: lx, row });
    lx += w;
  }
  return { placed, rows: items.length ? row + 1 : 0 };
}

function legendItemSvg(item: LegendItem, at: { x: number; row: number }, left: number, legendTop: number): string {
  const textX = item.swatch.startsWith('<line') ? 22 : 14;
  return `<g transform="translate(${left + at.x},${legendTop + 16 * at.row})">${item.swatch}<text x="${textX}" y="0" font-size="10">${escapeHtml(item.name)}</text></g>`;
}

/** Grouped bar chart in SVG; categories from the traces' x, one colour per trace, error_y where given. */
export function barChartSvg(fig: PlotlyFigure): string {
  const traces = fig.data.filter((t) => t['type'] === undefined || t['type'] === 'bar');
  const marks = referenceMarksOf(traces);
  const cats: string[] = [];
  for (const t of traces) for (const c of strs(t['x'])) if (!cats.includes(c)) cats.push(c);
  const tops = traces.flatMap((t) => {
    const ys = nums(t['y']);
    const err = nums((t['error_y'] as Trace | undefined)?.['array']);
    return ys.map((y, i) => y + (Number.isFinite(err[i] ?? Number.NaN) ? (err[i] as number) : 0));
  });
  // The figure's own y range where it sets one (adherence: 0-100%), so the grid falls on round values.
  const range = (fig.layout?.['yaxis'] as { range?: unknown } | undefined)?.range;
  const fixedMax = Array.isArray(range) && typeof range[1] === 'number' && range[1] > 0 ? range[1] : undefined;
  const maxY = fixedMax ?? Math.max(1e-9, ...tops.filter(Number.isFinite), ...marks.map((m) => m.value));
  const width = Math.max(360, 60 + cats.length * (traces.length * 22 + 24));
  const legendItems: LegendItem[] = [
    ...traces.map((t, ti) => ({
      swatch: `<rect x="0" y="-9" width="10" height="10" fill="${PALETTE[ti % PALETTE.length]}"/>`,
      name: plain(String(t['name'] ?? `trace ${ti + 1}`)),
    })),
    // The marks drawn, in the interactive chart's legend order: chance, ceiling, floor.
    ...(Object.keys(REFERENCE_MARKS) as Array<keyof typeof REFERENCE_MARKS>)
      .filter((k) => marks.some((m) => m.kind === k))
      .map((k) => ({
        swatch: `<line x1="0" x2="18" y1="-4" y2="-4" stroke="currentColor" stroke-width="2"${MARK_SVG_DASH[k]}/>`,
        name: REFERENCE_MARKS[k].name,
      })),
  ];
  const { placed, rows: legendRows } = placeLegend(legendItems, width);
  const left = 44,
    top = 24,
    bottom = 40 + 16 * legendRows;
  const height = 240 + bottom;
  const plotH = height - top - bottom;
  const groupW = (width - left - 10) / Math.max(1, cats.length);
  const barW = Math.max(4, (groupW - 12) / Math.max(1, traces.length));
  const y = (v: number): number => top + plotH - (v / maxY) * plotH;
  const yTitle = titleText((fig.layout?.['yaxis'] as { title?: unknown } | undefined)?.title) ?? '';
  const unit = yTitle.includes('(%)') ? '%' : '';
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (maxY * k) / 4;
    parts.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/><text x="${left - 4}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${fmt(v)}${unit}</text>`,
    );
  }
  traces.forEach((t, ti) => {
    const xs = strs(t['x']);
    const ys = nums(t['y']);
    const err = nums((t['error_y'] as Trace | undefined)?.['array']);
    const color = PALETTE[ti % PALETTE.length] as string;
    xs.forEach((c, i) => {
      const v = ys[i];
      if (v === undefined || !Number.isFinite(v)) return;
      const x0 = left + cats.indexOf(c) * groupW + 6 + ti * barW;
      parts.push(
        `<rect class="emotune-bar" x="${x0.toFixed(1)}" y="${y(Math.max(0, v)).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.abs(y(0) - y(v)).toFixed(1)}" fill="${color}"><title>${escapeHtml(`${plain(String(t['name'] ?? ''))} ${c}: ${fmt(v)}`)}</title></rect>`,
      );
      for (const m of marks.filter((k) => k.trace === ti && (k.cat === undefined || k.cat === c))) {
        const yy = y(m.value).toFixed(1);
        parts.push(
          `<line class="emotune-reference" x1="${(x0 - 1).toFixed(1)}" x2="${(x0 + barW - 1).toFixed(1)}" y1="${yy}" y2="${yy}" stroke="currentColor" stroke-width="2"${MARK_SVG_DASH[m.kind]}><title>${escapeHtml(`${REFERENCE_MARKS[m.kind].name}: ${fmt(m.value)}%`)}</title></line>`,
        );
      }
      const e = err[i];
      if (
        e !== undefined &&
        Number.isFinite(e) &&
        (e > 0 || (nums((t['error_y'] as Trace | undefined)?.['arrayminus'])[i] ?? 0) > 0)
      ) {
        const cx = (x0 + (barW - 2) / 2).toFixed(1);
        const em = nums((t['error_y'] as Trace | undefined)?.['arrayminus'])[i];
        const down = em !== undefined && Number.isFinite(em) ? em : e;
        parts.push(
          `<line x1="${cx}" x2="${cx}" y1="${y(v + e).toFixed(1)}" y2="${y(Math.max(0, v - down)).toFixed(1)}" stroke="currentColor" stroke-width="1.5"/>`,
        );
      }
    });
  });
  cats.forEach((c, i) => {
    // "model / mode" on two lines, so neighbouring labels do not run into each other.
    const cx = (left + i * groupW + groupW / 2).toFixed(1);
    const lines = c.split(' / ');
    parts.push(
      `<text x="${cx}" y="${top + plotH + 13}" font-size="10" text-anchor="middle">${lines.map((l, k) => `<tspan x="${cx}" dy="${k === 0 ? 0 : 12}">${escapeHtml(k < lines.length - 1 ? `${l} /` : l)}</tspan>`).join('')}</text>`,
    );
  });
  const legendTop = top + plotH + 44;
  const legend = legendItems
    .map((item, k) => legendItemSvg(item, placed[k] as { x: number; row: number }, left, legendTop))
    .join('');
  const title = titleOf(fig);
  const titleSvg = title !== undefined ? `<text x="${left}" y="15" font-size="13">${escapeHtml(title)}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="emotune-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">${titleSvg}${parts.join('')}${legend}</svg>`;
}

/** Heatmap as a table: rows y, columns x, cells shaded by value (more = darker) and showing the trace's text or value. */
export function heatmapTableHtml(fig: PlotlyFigure, trace: Trace, caption?: string): string {
  const xs = strs(trace['x']);
  const ys = strs(trace['y']);
  const z = Array.isArray(trace['z']) ? (trace['z'] as unknown[]).map(nums) : [];
  const text = Array.isArray(trace['text']) ? (trace['text'] as unknown[]).map(strs) : undefined;
  const zmax = typeof trace['zmax'] === 'number' ? trace['zmax'] : Math.max(1e-9, ...z.flat().filter(Number.isFinite));
  const head = `<tr><th></th>${xs.map((x) => `<th>${escapeHtml(x)}</th>`).join('')}</tr>`;
  const body = ys
    .map(
      (yl, r) =>
        `<tr><th>${escapeHtml(yl)}</th>${xs
          .map((_, c) => {
            const v = z[r]?.[c] ?? Number.NaN;
            const a = Number.isFinite(v) ? Math.min(1, Math.max(0, v / zmax)) : 0;
            const label = text?.[r]?.[c] ?? (Number.isFinite(v) ? fmt(v) : '');
            return `<td style="text-align:right;background:rgba(8,48,107,${(0.08 + 0.92 * a).toFixed(2)});color:${a > 0.5 ? '#fff' : 'inherit'}">${escapeHtml(label)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const title = caption ?? titleOf(fig);
  return `<table class="emotune-heatmap">${title !== undefined ? `<caption>${escapeHtml(title)}</caption>` : ''}${head}${body}</table>`;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Box plots, histograms and anything else: n, min, quartiles, max and mean of each trace's values. */
export function summaryTableHtml(fig: PlotlyFigure): string {
  const rows = fig.data.map((t, i) => {
    const v = nums(t['type'] === 'histogram' && !Array.isArray(t['y']) ? t['x'] : t['y'])
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const mean = v.reduce((s, x) => s + x, 0) / (v.length || 1);
    const cells = [
      v.length,
      v[0] ?? Number.NaN,
      quantile(v, 0.25),
      quantile(v, 0.5),
      quantile(v, 0.75),
      v[v.length - 1] ?? Number.NaN,
      mean,
    ];
    return `<tr><th>${escapeHtml(plain(String(t['name'] ?? `trace ${i + 1}`)))}</th>${cells.map((c, k) => `<td style="text-align:right">${k === 0 ? String(c) : fmt(c)}</td>`).join('')}</tr>`;
  });
  const title = titleOf(fig);
  return `<table class="emotune-chart-summary">${title !== undefined ? `<caption>${escapeHtml(title)}</caption>` : ''}<tr><th></th><th>n</th><th>min</th><th>q1</th><th>median</th><th>q3</th><th>max</th><th>mean</th></tr>${rows.join('')}</table>`;
}

/** The figure's annotations as plain lines (adherenceByModeFigure says there why a group has no bar). */
function notesOf(fig: PlotlyFigure): string[] {
  const annotations = fig.layout?.['annotations'];
  if (!Array.isArray(annotations)) return [];
  return annotations.flatMap((a: unknown) => {
    const text = (a as { text?: unknown } | null)?.text;
    return typeof text === 'string' ? plain(text).split('<br>') : [];
  });
}

/** Pick the fallback that suits the figure's traces, with the figure's notes under it. */
export function chartFallbackHtml(fig: PlotlyFigure): string {
  const notes = notesOf(fig).map(
    (n) => `<p class="emotune-chart-note" style="font-size:smaller;margin:2px 0">${escapeHtml(n)}</p>`,
  );
  return chartFallbackBody(fig) + notes.join('');
}

function chartFallbackBody(fig: PlotlyFigure): string {
  // Bars, with the legend-only traces of their reference marks.
  const types = fig.data
    .filter((t) => (t['meta'] as { emotune?: unknown } | undefined)?.emotune !== 'reference-legend')
    .map((t) => (typeof t['type'] === 'string' ? t['type'] : 'scatter'));
  if (types.length > 0 && types.every((t) => t === 'bar')) return barChartSvg(fig);
  const heats = fig.data.filter((t) => t['type'] === 'heatmap');
  if (heats.length === 1) return heatmapTableHtml(fig, heats[0] as Trace);
  if (heats.length > 1) {
    const title = titleOf(fig);
    return `${title !== undefined ? `<div><b>${escapeHtml(title)}</b></div>` : ''}<div style="display:flex;flex-wrap:wrap;gap:16px">${heats.map((t) => heatmapTableHtml(fig, t, plain(String(t['name'] ?? '')))).join('')}</div>`;
  }
  return summaryTableHtml(fig);
}

/** Plain text: the title and one line per trace. */
export function chartText(fig: PlotlyFigure): string {
  const title = titleOf(fig);
  const traces = fig.data.filter(
    (t) => (t['meta'] as { emotune?: unknown } | undefined)?.emotune !== 'reference-legend',
  );
  const lines = traces.map((t, i) => {
    const name = plain(String(t['name'] ?? `trace ${i + 1}`));
    if (t['type'] === 'heatmap') return `${name}: heatmap ${strs(t['y']).length}×${strs(t['x']).length}`;
    const xs = strs(t['x']);
    const ys = nums(t['y']);
    if (t['type'] === 'bar') {
      const meta = t['meta'] as { chance?: unknown; ceiling?: unknown; floor?: unknown } | undefined;
      const ref = (['chance', 'ceiling'] as const)
        .filter((k) => typeof meta?.[k] === 'number')
        .map((k) => `${k === 'chance' ? 'chance' : 'real music'} ${formatPercent(meta![k] as number)}`);
      const floors = Array.isArray(meta?.floor) ? (meta.floor as unknown[]) : [];
      const value = (x: string, k: number) => {
        const f = floors[k];
        return `${x}=${fmt(ys[k] ?? Number.NaN)}${typeof f === 'number' ? ` (floor ${formatPercent(f)})` : ''}`;
      };
      return `${name}: ${xs.map(value).join(', ')}${ref.length ? ` (${ref.join(', ')})` : ''}`;
    }
    return `${name}: ${ys.length || xs.length} values`;
  });
  return [title ?? 'Chart', ...lines, ...notesOf(fig)].join('\n');
}
