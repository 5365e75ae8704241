/**
 * Pure piano-roll logic: payload validation and the plotly figure (traces, axes, grid, hover). Kept apart from
 * the widget so the note shapes can be counted and checked without a browser that can draw plotly.
 */
import { Midi } from 'tonal';
import { PIANOROLL_MIME, PayloadError, isRecord } from '../mime.js';
import type { PlotlyFigureJson } from '../plotly/types.js';
import { REMOVED_MODEBAR_BUTTONS, figureFileName } from '../plotly/config.js';
export { figureFileName };
import { plotlyText } from '../theme.js';
import type { ThemeColors } from '../theme.js';

// The payload schema is kernel-lib's (the producer); a type-only import, erased from the browser bundle.
import type { NoteTuple, PianoRollPayloadV1, PianoRollV1 } from '@emotune/kernel-lib/display-types';
export type { NoteTuple };
export type PianoRoll = PianoRollV1;
export type PianoRollPayload = PianoRollPayloadV1;

/** The velocity colour scale (viridis), shared with the legend; kernel-lib's SVG uses the same stops. */
export const VELOCITY_COLORSCALE: Array<[number, string]> = [
  [0, '#440154'],
  [0.25, '#3b528b'],
  [0.5, '#21918c'],
  [0.75, '#5ec962'],
  [1, '#fde725'],
];

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function parsePianoRollPayload(data: unknown): PianoRollPayload {
  if (!isRecord(data)) throw new PayloadError(PIANOROLL_MIME, '(payload)', 'an object');
  if (data['version'] !== 1)
    throw new PayloadError(PIANOROLL_MIME, 'version', `1 (found ${JSON.stringify(data['version'])})`);
  const rolls = data['rolls'];
  if (!Array.isArray(rolls) || rolls.length === 0) throw new PayloadError(PIANOROLL_MIME, 'rolls', 'a non-empty array');
  const parsed = rolls.map((r, i): PianoRoll => {
    if (!isRecord(r)) throw new PayloadError(PIANOROLL_MIME, `rolls[${i}]`, 'an object');
    const tpb = r['ticksPerBeat'];
    const bpb = r['beatsPerBar'] ?? 4;
    if (!finite(tpb) || tpb <= 0) throw new PayloadError(PIANOROLL_MIME, `rolls[${i}].ticksPerBeat`, 'a number > 0');
    if (!finite(bpb) || bpb <= 0) throw new PayloadError(PIANOROLL_MIME, `rolls[${i}].beatsPerBar`, 'a number > 0');
    const notes = r['notes'];
    if (
      !Array.isArray(notes) ||
      !notes.every((n) => Array.isArray(n) && n.length >= 4 && n.slice(0, 4).every(finite))
    ) {
      throw new PayloadError(PIANOROLL_MIME, `rolls[${i}].notes`, 'an array of [pitch, start, end, velocity]');
    }
    const tuples = notes.map((n) => [n[0], n[1], n[2], n[3]] as NoteTuple);
    const range = r['pitchRange'];
    const pitches = tuples.map((n) => n[0]);
    const pitchRange: [number, number] =
      Array.isArray(range) && range.length === 2 && range.every(finite)
        ? [range[0] as number, range[1] as number]
        : pitches.length
          ? [Math.min(...pitches) - 1, Math.max(...pitches) + 1]
          : [54, 66];
    const lastEnd = tuples.reduce((m, n) => Math.max(m, n[2]), 0);
    const endTick =
      finite(r['endTick']) && (r['endTick'] as number) > 0 ? (r['endTick'] as number) : Math.max(lastEnd, tpb * bpb);
    const roll: PianoRoll = { ticksPerBeat: tpb, beatsPerBar: bpb, notes: tuples, pitchRange, endTick };
    if (typeof r['title'] === 'string') roll.title = r['title'];
    const tempos = r['tempos'];
    if (Array.isArray(tempos)) {
      const ok = tempos.filter(
        (t): t is [number, number] => Array.isArray(t) && t.length === 2 && finite(t[0]) && finite(t[1]) && t[1] > 0,
      );
      if (ok.length > 0) roll.tempos = ok.map(([tick, bpm]) => [tick, bpm]);
    }
    const hl = r['highlight'];
    if (isRecord(hl) && Array.isArray(hl['notes'])) {
      roll.highlight = {
        label: typeof hl['label'] === 'string' ? hl['label'] : 'highlighted',
        notes: (hl['notes'] as unknown[]).filter(
          (k): k is number => Number.isInteger(k) && (k as number) >= 0 && (k as number) < tuples.length,
        ),
      };
    }
    return roll;
  });
  const payload: PianoRollPayload = { version: 1, linkedTime: data['linkedTime'] !== false, rolls: parsed };
  if (data['layout'] === 'grid' || data['layout'] === 'stacked') payload.layout = data['layout'];
  if (typeof data['title'] === 'string') payload.title = data['title'];
  return payload;
}

export function pitchName(pitch: number): string {
  return Midi.midiToNoteName(pitch, { sharps: true }) || String(pitch);
}

/** Where each roll sits: `stacked` one full-width roll a row (default); `grid` up to three side by side. */
export function gridOf(n: number, layout: 'stacked' | 'grid' = 'stacked'): { cols: number; rows: number } {
  const cols = layout === 'grid' ? Math.min(3, Math.max(1, n)) : 1;
  return { cols, rows: Math.ceil(n / cols) };
}

/**
 * Bar-number ticks spaced to the length: every 1, 2, 4, 8, ... bars so that at most `maxLabels` show.
 * Values in beats (the axis unit), labels are bar numbers counted from 1.
 */
export function barTicks(
  totalBeats: number,
  beatsPerBar: number,
  maxLabels = 16,
): { tickvals: number[]; ticktext: string[]; stepBars: number } {
  const bars = Math.max(1, Math.ceil(totalBeats / beatsPerBar - 1e-9));
  let stepBars = 1;
  while (bars / stepBars > maxLabels) stepBars *= 2;
  const tickvals: number[] = [];
  const ticktext: string[] = [];
  for (let b = 0; b <= bars; b += stepBars) {
    tickvals.push(b * beatsPerBar);
    ticktext.push(String(b + 1));
  }
  return { tickvals, ticktext, stepBars };
}

function trim(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** A tick as bar:beat counted from 1 (`3:2` is bar 3, beat 2; `3:2.5` halfway through it). */
export function positionLabel(tick: number, ticksPerBeat: number, beatsPerBar: number): string {
  const beat = tick / ticksPerBeat;
  const bar = Math.floor(beat / beatsPerBar + 1e-9);
  return `${bar + 1}:${trim(beat - bar * beatsPerBar + 1)}`;
}

const NOTE_VALUES: Array<[number, string]> = [
  [4, 'whole note'],
  [3, 'dotted half'],
  [2, 'half note'],
  [1.5, 'dotted quarter'],
  [1, 'quarter note'],
  [2 / 3, 'quarter triplet'],
  [0.75, 'dotted eighth'],
  [0.5, 'eighth note'],
  [1 / 3, 'eighth triplet'],
  [0.375, 'dotted sixteenth'],
  [0.25, 'sixteenth'],
  [0.125, 'thirty-second'],
];

/** A duration in ticks as a note value (`dotted quarter`), or in beats when it is none of the usual ones. */
export function noteValue(ticks: number, ticksPerBeat: number): string {
  const beats = ticks / ticksPerBeat;
  const named = NOTE_VALUES.find(([b]) => Math.abs(b - beats) < 1e-6);
  return named ? `${named[1]} (${trim(beats)} beat${beats === 1 ? '' : 's'})` : `${trim(beats)} beats`;
}

/** Velocity scale for dark themes: the low end lifted so quiet notes stay visible on a dark background. */
export const VELOCITY_COLORSCALE_DARK: Array<[number, string]> = [
  [0, '#8c7ae6'],
  [0.25, '#5f9be0'],
  [0.5, '#2fbfae'],
  [0.75, '#7bd65b'],
  [1, '#fde725'],
];

const DEFAULT_THEME: ThemeColors = {
  background: '#ffffff',
  panel: '#fafafa',
  text: '#222222',
  grid: '#bdbdbd',
  gridMinor: '#eeeeee',
  accent: '#d32f2f',
  font: 'sans-serif',
};

/** Velocity buckets of 8: one filled path per bucket keeps the DOM small (a path per note is slow at 2,000 notes). */
const BUCKET = 8;

function hex2(n: number): string {
  return Math.round(n).toString(16).padStart(2, '0');
}

/** Viridis colour of a velocity (linear between the scale's stops). */
export function velocityColor(velocity: number, scale: Array<[number, string]> = VELOCITY_COLORSCALE): string {
  const v = Math.min(127, Math.max(0, velocity)) / 127;
  const stops = scale.map(([, c]) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)) as [number, number, number]);
  const pos = v * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = stops[i] as [number, number, number];
  const b = stops[i + 1] as [number, number, number];
  return `#${hex2(a[0] + (b[0] - a[0]) * f)}${hex2(a[1] + (b[1] - a[1]) * f)}${hex2(a[2] + (b[2] - a[2]) * f)}`;
}

/**
 * All rectangles of a group (x in beats, pitch ± half) as ONE polyline for a `fill: 'toself'` path: each closed
 * rectangle, then a hop to the next one's corner; at the end the hops are walked back, so they enclose no area.
 * (Separating rectangles with nulls would make plotly draw one SVG path per note: slow at 2,000 notes.)
 */
export function rectanglesPath(
  roll: PianoRoll,
  indices: readonly number[],
  half = 0.4,
  padBeats = 0,
): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  const corners: Array<[number, number]> = [];
  for (const k of indices) {
    const [pitch, start, end] = roll.notes[k] as NoteTuple;
    const x0 = start / roll.ticksPerBeat - padBeats;
    const x1 = Math.max(end, start + 1) / roll.ticksPerBeat + padBeats;
    const y0 = pitch - half;
    const y1 = pitch + half;
    x.push(x0, x1, x1, x0, x0);
    y.push(y0, y0, y1, y1, y0);
    corners.push([x0, y0]);
  }
  for (let i = corners.length - 2; i >= 0; i--) {
    const [cx, cy] = corners[i] as [number, number];
    x.push(cx);
    y.push(cy);
  }
  return { x, y };
}

/** Closed rectangle outlines separated by gaps (for a stroked trace: the few highlighted notes). */
function outlinePath(
  roll: PianoRoll,
  indices: readonly number[],
  half = 0.5,
): { x: Array<number | null>; y: Array<number | null> } {
  const x: Array<number | null> = [];
  const y: Array<number | null> = [];
  for (const k of indices) {
    const [pitch, start, end] = roll.notes[k] as NoteTuple;
    const x0 = start / roll.ticksPerBeat;
    const x1 = Math.max(end, start + 1) / roll.ticksPerBeat;
    x.push(x0, x1, x1, x0, x0, null);
    y.push(pitch - half, pitch - half, pitch + half, pitch + half, pitch - half, null);
  }
  return { x, y };
}

/**
 * Invisible hover targets (`mode: 'none'` draws nothing): three points along each note so a long note answers
 * the mouse anywhere on it. customdata: [pitch name, position bar:beat, note value, velocity, condition line, index].
 */
function hoverTrace(roll: PianoRoll, axis: string, i: number): Record<string, unknown> {
  const x: number[] = [];
  const y: number[] = [];
  const customdata: Array<[string, string, string, number, string, number]> = [];
  const marked = new Set(roll.highlight?.notes ?? []);
  const label = roll.highlight ? plotlyText(roll.highlight.label) : '';
  roll.notes.forEach(([pitch, start, end, velocity], k) => {
    const condition = roll.highlight
      ? marked.has(k)
        ? `<br><b>matches ${label}</b>`
        : `<br>does not match ${label}`
      : '';
    const cd: [string, string, string, number, string, number] = [
      pitchName(pitch),
      positionLabel(start, roll.ticksPerBeat, roll.beatsPerBar),
      noteValue(end - start, roll.ticksPerBeat),
      velocity,
      condition,
      k,
    ];
    const a = start / roll.ticksPerBeat;
    const d = Math.max(1, end - start) / roll.ticksPerBeat;
    for (const f of [0.1, 0.5, 0.9]) {
      x.push(a + d * f);
      y.push(pitch);
      customdata.push(cd);
    }
  });
  return {
    type: 'scatter',
    mode: 'none',
    x,
    y,
    customdata,
    hovertemplate:
      '<b>%{customdata[0]}</b> at bar:beat %{customdata[1]}<br>%{customdata[2]}<br>velocity %{customdata[3]}%{customdata[4]}<extra></extra>',
    showlegend: false,
    xaxis: `x${axis}`,
    yaxis: `y${axis}`,
    meta: { emotune: 'hover', roll: i },
  };
}

/** Where one roll sits in the figure: its axis suffix ('' for the first), grid cell and domains. */
interface RollPlace {
  i: number;
  s: string;
  row: number;
  rows: number;
  xDomain: [number, number];
  yDomain: [number, number];
}

/** Every semitone a readable row (~9 px, between 200 and 420 px a roll); the height and the rolls' places. */
function figureGeometry(
  payload: PianoRollPayload,
  marginTB: number,
): { height: number; rows: number; place: (i: number) => RollPlace } {
  const { cols, rows } = gridOf(payload.rolls.length, payload.layout);
  const span = Math.max(...payload.rolls.map((r) => r.pitchRange[1] - r.pitchRange[0])) + 1;
  const rowHeight = Math.min(420, Math.max(200, 9 * span));
  const gapPx = rows > 1 ? 40 : 0;
  const plotH = rows * rowHeight + (rows - 1) * gapPx;
  const gapX = cols > 1 ? 0.03 : 0;
  const gapY = rows > 1 ? gapPx / plotH : 0;
  const place = (i: number): RollPlace => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    const yTop = 1 - row / rows - (row > 0 ? gapY / 2 : 0);
    const yBottom = 1 - (row + 1) / rows + (row < rows - 1 ? gapY / 2 : 0);
    return {
      i,
      s: i === 0 ? '' : String(i + 1),
      row,
      rows,
      xDomain: [col / cols + (col > 0 ? gapX : 0), (col + 1) / cols - (col < cols - 1 ? gapX : 0)],
      yDomain: [yBottom, yTop],
    };
  };
  return { height: plotH + marginTB, rows, place };
}

/** Page colours, fonts, margins and the legend of the condition highlight. */
function baseLayout(theme: ThemeColors, anyHighlight: boolean): Record<string, unknown> {
  return {
    dragmode: 'zoom',
    hovermode: 'closest',
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.panel,
    font: { color: theme.text, family: theme.font, size: 12 },
    margin: { l: 52, r: 16, t: anyHighlight ? 58 : 32, b: 40 },
    showlegend: anyHighlight,
    // The legend has a row of its own at the very top (left, clear of the mode bar on the right); the roll
    // titles sit under it, over their plots, so a long title never runs into it.
    legend: {
      orientation: 'h',
      x: 0,
      xanchor: 'left',
      xref: 'paper',
      y: 1,
      yanchor: 'top',
      yref: 'container',
      font: { size: 12 },
    },
    annotations: [] as Array<Record<string, unknown>>,
  };
}

/** The notes of one roll, one filled path per velocity bucket (coloured by the bucket's middle velocity). */
function noteTraces(roll: PianoRoll, at: RollPlace, scale: Array<[number, string]>): Array<Record<string, unknown>> {
  const buckets = new Map<number, number[]>();
  roll.notes.forEach((n, k) => {
    const b = Math.floor(Math.min(127, Math.max(0, n[3])) / BUCKET);
    const list = buckets.get(b) ?? [];
    list.push(k);
    buckets.set(b, list);
  });
  return [...buckets.keys()]
    .sort((p, q) => p - q)
    .map((b) => {
      const idx = buckets.get(b) as number[];
      return {
        type: 'scatter',
        mode: 'lines',
        fill: 'toself',
        fillcolor: velocityColor(b * BUCKET + BUCKET / 2, scale),
        line: { width: 0, simplify: false },
        ...rectanglesPath(roll, idx),
        hoverinfo: 'skip',
        showlegend: false,
        name: `velocity ${b * BUCKET}–${b * BUCKET + BUCKET - 1}`,
        xaxis: `x${at.s}`,
        yaxis: `y${at.s}`,
        meta: { emotune: 'notes', roll: at.i, notes: idx.length },
      };
    });
}

/** A strong outline drawn over each note matching the condition (few notes: one stroked path each is cheap). */
function highlightTrace(roll: PianoRoll, at: RollPlace, color: string, inLegend: boolean): Record<string, unknown> {
  const marked = roll.highlight?.notes ?? [];
  return {
    type: 'scatter',
    mode: 'lines',
    ...outlinePath(roll, marked),
    connectgaps: false,
    line: { width: 2.5, color, simplify: false },
    hoverinfo: 'skip',
    name: plotlyText(`matches the condition: ${roll.highlight?.label ?? ''}`.trim()),
    showlegend: inLegend,
    legendgroup: 'highlight',
    xaxis: `x${at.s}`,
    yaxis: `y${at.s}`,
    meta: { emotune: 'highlight', roll: at.i, notes: marked.length },
  };
}

/** The velocity legend: a colour bar carried by two invisible markers on the first roll. */
function velocityLegendTrace(roll: PianoRoll, scale: Array<[number, string]>, rows: number): Record<string, unknown> {
  return {
    type: 'scatter',
    mode: 'markers',
    x: [0, 0],
    y: [roll.pitchRange[0], roll.pitchRange[0]],
    marker: {
      color: [0, 127],
      colorscale: scale,
      cmin: 0,
      cmax: 127,
      opacity: 0,
      showscale: true,
      colorbar: { title: { text: 'velocity' }, thickness: 10, len: Math.min(1, 1 / rows + 0.1) },
    },
    hoverinfo: 'skip',
    showlegend: false,
    xaxis: 'x',
    yaxis: 'y',
    meta: { emotune: 'legend' },
  };
}

/** Time axis in bars (ticks spaced to the length) and pitch axis with octave labels, linked when asked. */
function rollAxes(
  roll: PianoRoll,
  at: RollPlace,
  linkedTime: boolean,
  theme: ThemeColors,
): { xaxis: Record<string, unknown>; yaxis: Record<string, unknown> } {
  const [lo, hi] = roll.pitchRange;
  const cs: number[] = [];
  for (let p = Math.ceil(lo / 12) * 12; p <= hi; p += 12) cs.push(p);
  const linked = linkedTime && at.i > 0;
  const totalBeats = roll.endTick / roll.ticksPerBeat;
  const ticks = barTicks(totalBeats, roll.beatsPerBar);
  const bars = totalBeats / roll.beatsPerBar;
  const xaxis = {
    domain: at.xDomain,
    anchor: `y${at.s}`,
    range: [0, totalBeats],
    tickmode: 'array',
    tickvals: ticks.tickvals,
    ticktext: ticks.ticktext,
    showgrid: true,
    gridcolor: theme.grid,
    // Thin lines: every beat on short rolls, every bar on longer ones, none past 64 bars (a grey wash).
    minor:
      totalBeats <= 32
        ? { dtick: 1, tick0: 0, showgrid: true, gridcolor: theme.gridMinor }
        : bars <= 64
          ? { dtick: roll.beatsPerBar, tick0: 0, showgrid: true, gridcolor: theme.gridMinor }
          : { showgrid: false },
    zeroline: false,
    title: at.row === at.rows - 1 ? { text: 'bar' } : undefined,
    ...(linked ? { matches: 'x' } : {}),
  };
  const yaxis = {
    domain: at.yDomain,
    anchor: `x${at.s}`,
    range: [lo - 0.5, hi + 0.5],
    tickvals: cs,
    ticktext: cs.map(pitchName),
    showgrid: true,
    gridcolor: theme.grid,
    zeroline: false,
    fixedrange: false,
    ...(linked ? { matches: 'y' } : {}),
  };
  return { xaxis, yaxis };
}

/** The roll's title, top left over its plot. */
function titleAnnotation(title: string, at: RollPlace): Record<string, unknown> {
  return {
    text: `<b>${plotlyText(title)}</b>`,
    xref: `x${at.s} domain`,
    yref: `y${at.s} domain`,
    x: 0,
    y: 1,
    xanchor: 'left',
    yanchor: 'bottom',
    showarrow: false,
    font: { size: 13 },
  };
}

/** No wheel capture, only useful mode-bar buttons, PNG files named after the figure. */
function rollConfig(payload: PianoRollPayload): Record<string, unknown> {
  const filename = figureFileName(
    payload.title ??
      payload.rolls
        .map((r) => r.title ?? '')
        .filter(Boolean)
        .join(' '),
    'piano-roll',
  );
  return {
    displaylogo: false,
    scrollZoom: false,
    responsive: false,
    modeBarButtonsToRemove: REMOVED_MODEBAR_BUTTONS,
    toImageButtonOptions: { format: 'png', filename, scale: 2 },
  };
}

/** The whole figure for one payload: one subplot a roll, linked time (and pitch) axes when asked. */
export function pianoRollFigure(payload: PianoRollPayload, theme: ThemeColors = DEFAULT_THEME): PlotlyFigureJson {
  const scale = theme.dark ? VELOCITY_COLORSCALE_DARK : VELOCITY_COLORSCALE;
  const highlightColor = theme.dark ? '#ff6e6e' : theme.accent;
  const anyHighlight = payload.rolls.some((r) => r.highlight && r.highlight.notes.length > 0);
  const layout = baseLayout(theme, anyHighlight);
  const margin = layout['margin'] as { t: number; b: number };
  const geometry = figureGeometry(payload, margin.t + margin.b);
  layout['height'] = geometry.height;
  const annotations = layout['annotations'] as Array<Record<string, unknown>>;
  const data: Array<Record<string, unknown>> = [];
  let legendShown = false;
  payload.rolls.forEach((roll, i) => {
    const at = geometry.place(i);
    data.push(...noteTraces(roll, at, scale));
    if ((roll.highlight?.notes.length ?? 0) > 0) {
      data.push(highlightTrace(roll, at, highlightColor, !legendShown));
      legendShown = true;
    }
    data.push(hoverTrace(roll, at.s, i));
    if (i === 0) data.push(velocityLegendTrace(roll, scale, geometry.rows));
    const { xaxis, yaxis } = rollAxes(roll, at, payload.linkedTime, theme);
    layout[`xaxis${at.s}`] = xaxis;
    layout[`yaxis${at.s}`] = yaxis;
    if (roll.title !== undefined) annotations.push(titleAnnotation(roll.title, at));
  });
  return { data, layout, config: rollConfig(payload) };
}

/** Number of notes drawn (rectangles in the `notes` traces: 5 points each plus a hop back), optionally for one roll. */
export function countNotes(figure: PlotlyFigureJson, roll?: number): number {
  return figure.data
    .filter(
      (t) =>
        (t['meta'] as { emotune?: string; roll?: number } | undefined)?.emotune === 'notes' &&
        (roll === undefined || (t['meta'] as { roll?: number }).roll === roll),
    )
    .reduce((n, t) => n + ((t['x'] as unknown[]).length + 1) / 6, 0);
}
