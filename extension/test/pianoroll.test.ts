// @vitest-environment jsdom
import './dom-setup.js';
import { describe, expect, it } from 'vitest';
import { PIANOROLL_MIME } from '../src/mime.js';
import {
  barTicks,
  countNotes,
  noteValue,
  parsePianoRollPayload,
  pianoRollFigure,
  pitchName,
  positionLabel,
  rectanglesPath,
  velocityColor,
  VELOCITY_COLORSCALE_DARK,
} from '../src/pianoroll/model.js';
import { luminance } from '../src/theme.js';
import { PianoRollRenderer, notePosition } from '../src/pianoroll/widget.js';
import { mimeModel, recordingPlotly } from './helpers.js';

const roll = {
  title: 'primed',
  ticksPerBeat: 480,
  beatsPerBar: 4,
  notes: [
    [60, 0, 1080, 72],
    [61, 480, 960, 100],
    [67, 960, 2040, 30],
    [72, 1920, 3000, 64],
  ],
  highlight: { label: 'duration = 1080', notes: [0, 2, 3] },
  pitchRange: [59, 73],
  endTick: 3840,
};
const single = { version: 1, linkedTime: false, rolls: [roll] };
const pair = {
  version: 1,
  linkedTime: true,
  title: 'cell 3',
  rolls: [roll, { ...roll, title: 'forced', highlight: { label: 'x', notes: [] } }],
};

type Trace = Record<string, unknown> & {
  x: Array<number | null>;
  y: Array<number | null>;
  meta?: { emotune?: string; roll?: number; notes?: number };
};
const traces = (fig: { data: Array<Record<string, unknown>> }, role: string): Trace[] =>
  (fig.data as Trace[]).filter((t) => t.meta?.emotune === role);

describe('pianoRollFigure', () => {
  it('draws one closed rectangle per note, in a few filled paths grouped by velocity', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(single));
    expect(countNotes(fig)).toBe(4);
    const notes = traces(fig, 'notes');
    // Velocities 30, 64, 72, 100 fall in four buckets of 8.
    expect(notes).toHaveLength(4);
    expect(notes.map((t) => t.meta?.notes)).toEqual([1, 1, 1, 1]);
    expect(notes.every((t) => t['fill'] === 'toself')).toBe(true);
    // The C4 note (start 0, 1080 ticks = 2.25 beats): a rectangle around pitch 60.
    const c4 = notes.find((t) => t.y[0] === 59.6) as Trace;
    expect(c4.x).toEqual([0, 2.25, 2.25, 0, 0]);
    expect(c4.y).toEqual([59.6, 59.6, 60.4, 60.4, 59.6]);
    expect(c4['line']).toMatchObject({ width: 0, simplify: false });
  });

  it('joins a group of rectangles into one path whose hops are walked back (no extra area, one SVG path)', () => {
    const r = parsePianoRollPayload(single).rolls[0]!;
    const path = rectanglesPath(r, [0, 1, 3]);
    expect(path.x).toEqual([0, 2.25, 2.25, 0, 0, 1, 2, 2, 1, 1, 4, 6.25, 6.25, 4, 4, 1, 0]);
    expect(path.y.slice(-2)).toEqual([60.6, 59.6]);
    expect(path.x).not.toContain(null);
  });

  it('colours notes by velocity on a fixed 0–127 viridis scale and shows it as a colour bar', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(single));
    const colors = traces(fig, 'notes').map((t) => t['fillcolor']);
    expect(new Set(colors).size).toBe(4);
    expect(velocityColor(0)).toBe('#440154');
    expect(velocityColor(127)).toBe('#fde725');
    const legend = traces(fig, 'legend')[0] as Trace & { marker: Record<string, unknown> };
    expect(legend.marker).toMatchObject({ cmin: 0, cmax: 127, showscale: true, opacity: 0 });
  });

  it('outlines the highlighted notes over the notes, in their own legend entry', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(single));
    const hl = traces(fig, 'highlight');
    expect(hl).toHaveLength(1);
    expect(hl[0]?.meta?.notes).toBe(3);
    // One closed outline per matching note (5 corners and a gap), stroked 2.5 px in the accent colour.
    expect(hl[0]?.x).toHaveLength(3 * 6);
    expect(hl[0]?.x.filter((v) => v === null)).toHaveLength(3);
    expect(hl[0]?.['line']).toMatchObject({ width: 2.5 });
    expect(hl[0]?.['fill']).toBeUndefined();
    expect(fig.data.indexOf(hl[0] as Trace)).toBeGreaterThan(fig.data.indexOf(traces(fig, 'notes')[0] as Trace));
    expect(hl[0]?.['name']).toBe('matches the condition: duration = 1080');
    expect(fig.layout['showlegend']).toBe(true);
  });

  it('gives the legend a row of its own above the roll titles, so a long title never runs into it', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(single));
    // Legend: top of the figure (container), left; the titles sit at the top of their plot, under it.
    expect(fig.layout['legend']).toMatchObject({ yref: 'container', y: 1, yanchor: 'top', x: 0, xanchor: 'left' });
    const title = (fig.layout['annotations'] as Array<Record<string, unknown>>)[0]!;
    expect(title).toMatchObject({ yref: 'y domain', y: 1, yanchor: 'bottom' });
    // The top margin holds both lines: the legend (about 24 px) and the title (about 20 px).
    expect((fig.layout['margin'] as { t: number }).t).toBeGreaterThanOrEqual(56);
  });

  it('hovers in bars:beats with the note value, velocity and whether the note matches the condition', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(single));
    const hover = traces(fig, 'hover')[0] as Trace & { customdata: unknown[][]; hovertemplate: string; mode: string };
    expect(hover.mode).toBe('none');
    expect(hover.x).toHaveLength(12);
    // Note 1: C#4 from tick 480 for 480 ticks (beats 1..2): targets at 10%, 50%, 90%.
    expect(hover.x.slice(3, 6)).toEqual([1.1, 1.5, 1.9]);
    expect(hover.customdata[3]).toEqual([
      'C#4',
      '1:2',
      'quarter note (1 beat)',
      100,
      '<br>does not match duration = 1080',
      1,
    ]);
    // Note 0: 1080 ticks = 2.25 beats, no named value; it matches.
    expect(hover.customdata[0]).toEqual(['C4', '1:1', '2.25 beats', 72, '<br><b>matches duration = 1080</b>', 0]);
    expect(hover.hovertemplate).toContain('bar:beat %{customdata[1]}');
    expect(pitchName(60)).toBe('C4');
    expect(positionLabel(480 * 9 + 240, 480, 4)).toBe('3:2.5');
    expect(noteValue(720, 480)).toBe('dotted quarter (1.5 beats)');
  });

  it('labels bars (not beats) on the time axis, spaced to the length, and fits the pitch range', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(single));
    const x = fig.layout['xaxis'] as Record<string, unknown>;
    expect(x['range']).toEqual([0, 8]);
    expect(x['tickvals']).toEqual([0, 4, 8]);
    expect(x['ticktext']).toEqual(['1', '2', '3']);
    expect(x['minor']).toMatchObject({ dtick: 1, showgrid: true });
    const y = fig.layout['yaxis'] as Record<string, unknown>;
    expect(y['range']).toEqual([58.5, 73.5]);
    expect(y['tickvals']).toEqual([60, 72]);
    expect(y['ticktext']).toEqual(['C4', 'C5']);
    // A 216-beat roll (54 bars): a label every 4 bars, at most 16 labels.
    const long = barTicks(216, 4);
    expect(long.stepBars).toBe(4);
    expect(long.ticktext.length).toBeLessThanOrEqual(16);
    expect(long.ticktext.slice(0, 3)).toEqual(['1', '5', '9']);
  });

  it('stacks several rolls full width with linked time and pitch axes (side by side on request)', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(pair));
    expect(countNotes(fig)).toBe(8);
    expect(countNotes(fig, 1)).toBe(4);
    expect(fig.layout['xaxis2']).toMatchObject({ matches: 'x', anchor: 'y2' });
    expect(fig.layout['yaxis2']).toMatchObject({ matches: 'y', anchor: 'x2' });
    expect((fig.layout['xaxis'] as { domain: number[] }).domain).toEqual([0, 1]);
    expect((fig.layout['xaxis2'] as { domain: number[] }).domain).toEqual([0, 1]);
    const y1 = (fig.layout['yaxis'] as { domain: number[] }).domain;
    const y2 = (fig.layout['yaxis2'] as { domain: number[] }).domain;
    expect(y2[1]).toBeLessThan(y1[0] as number);
    // The second roll has no highlighted notes, and draws on the second axes.
    expect(traces(fig, 'highlight').map((t) => t['xaxis'])).toEqual(['x']);
    expect(
      new Set(
        traces(fig, 'notes')
          .filter((t) => t.meta?.roll === 1)
          .map((t) => t['xaxis']),
      ),
    ).toEqual(new Set(['x2']));
    const side = pianoRollFigure(parsePianoRollPayload({ ...pair, layout: 'grid' }));
    expect((side.layout['xaxis'] as { domain: number[] }).domain[1]).toBeLessThanOrEqual(
      (side.layout['xaxis2'] as { domain: number[] }).domain[0] as number,
    );
    const unlinked = pianoRollFigure(parsePianoRollPayload({ ...pair, linkedTime: false }));
    expect((unlinked.layout['xaxis2'] as Record<string, unknown>)['matches']).toBeUndefined();
  });

  it('does not capture the mouse wheel, drops useless mode-bar buttons and names images after the figure', () => {
    const fig = pianoRollFigure(parsePianoRollPayload(pair));
    expect(fig.config).toMatchObject({
      scrollZoom: false,
      displaylogo: false,
      toImageButtonOptions: { filename: 'cell-3' },
    });
    expect(fig.config?.['modeBarButtonsToRemove']).toEqual(
      expect.arrayContaining(['select2d', 'lasso2d', 'sendDataToCloud']),
    );
  });

  it('uses a lighter velocity scale in a dark theme so quiet notes stay visible', () => {
    const dark = {
      background: '#111111',
      panel: '#1a1a1a',
      text: '#eeeeee',
      grid: '#555555',
      gridMinor: '#333333',
      accent: '#f44336',
      font: 'sans-serif',
      dark: true,
    };
    const fig = pianoRollFigure(parsePianoRollPayload(single), dark);
    const quiet = traces(fig, 'notes').find((t) => t.meta?.notes === 1 && t['name'] === 'velocity 24–31') as Trace;
    // The same bucket in the light scale is much darker (viridis starts at near-black purple).
    expect(luminance(quiet['fillcolor'] as string)).toBeGreaterThan(luminance(velocityColor(28)) + 0.15);
    expect(luminance(velocityColor(0, VELOCITY_COLORSCALE_DARK))).toBeGreaterThan(0.4);
  });

  it('escapes roll titles so plotly shows them as text', () => {
    const evil = { version: 1, rolls: [{ ...roll, title: '<img src=x onerror=alert(1)>' }] };
    const fig = pianoRollFigure(parsePianoRollPayload(evil));
    const ann = (fig.layout['annotations'] as Array<{ text: string }>)[0];
    expect(ann?.text).toBe('<b>&lt;img src=x onerror=alert(1)&gt;</b>');
  });

  it('rejects notes that are not four numbers, naming the roll', () => {
    expect(() => parsePianoRollPayload({ version: 1, rolls: [{ ticksPerBeat: 480, notes: [[60, 0]] }] })).toThrow(
      /rolls\[0\]\.notes/,
    );
    expect(() => parsePianoRollPayload({ version: 1, rolls: [{ ticksPerBeat: 0, notes: [] }] })).toThrow(
      /ticksPerBeat/,
    );
    expect(() => parsePianoRollPayload({ version: 1, rolls: [] })).toThrow(/rolls/);
  });

  it('drops highlight indices that point outside the notes', () => {
    const p = parsePianoRollPayload({
      version: 1,
      rolls: [{ ...roll, highlight: { label: 'h', notes: [0, 9, -1, 1.5] } }],
    });
    expect(p.rolls[0]?.highlight?.notes).toEqual([0]);
  });
});

describe('PianoRollRenderer', () => {
  it('hands the figure to plotly and exposes counts as DOM hooks', async () => {
    const plotly = recordingPlotly();
    const w = new PianoRollRenderer({ loadPlotly: async () => plotly });
    await w.renderModel(mimeModel(PIANOROLL_MIME, pair));
    const react = plotly.calls.find(([name]) => name === 'react');
    expect(react?.[1][0]).toBe(w.node.querySelector('.emotune-plot'));
    expect(countNotes({ data: react?.[1][1] as Array<Record<string, unknown>>, layout: {} })).toBe(8);
    expect(w.node.dataset['emotuneNotes']).toBe('8');
    expect(w.node.dataset['emotuneRolls']).toBe('2');
    expect(w.node.dataset['emotuneHighlighted']).toBe('3');
    expect(w.node.querySelector('.emotune-plot-header')?.textContent).toBe('cell 3');
  });

  it('writes the title as text', async () => {
    const w = new PianoRollRenderer({ loadPlotly: async () => recordingPlotly() });
    await w.renderModel(mimeModel(PIANOROLL_MIME, { ...single, title: '<script>alert(1)</script>' }));
    expect(w.node.querySelector('script')).toBeNull();
    expect(w.node.querySelector('.emotune-plot-header')?.textContent).toBe('<script>alert(1)</script>');
  });

  it('releases plotly on dispose', async () => {
    const plotly = recordingPlotly();
    const w = new PianoRollRenderer({ loadPlotly: async () => plotly });
    await w.renderModel(mimeModel(PIANOROLL_MIME, single));
    const plot = w.node.querySelector('.emotune-plot');
    w.dispose();
    expect(plotly.calls.filter(([n]) => n === 'purge').map(([, a]) => a[0])).toEqual([plot]);
  });

  it('shows an error instead of calling plotly for a bad payload', async () => {
    const plotly = recordingPlotly();
    const w = new PianoRollRenderer({ loadPlotly: async () => plotly });
    await w.renderModel(mimeModel(PIANOROLL_MIME, { version: 3 }));
    expect(w.node.querySelector('.emotune-error')?.textContent).toMatch(/version/);
    expect(plotly.calls).toEqual([]);
  });
});

describe('notePosition', () => {
  it("maps a note's centre to viewport pixels through plotly's live axes", () => {
    const plot = document.createElement('div');
    const axis = (offset: number, scale: number, origin: number) => ({
      _offset: offset,
      l2p: (v: number) => (v - origin) * scale,
    });
    Object.assign(plot, { _fullLayout: { xaxis2: axis(50, 100, 0), yaxis2: axis(20, -10, 73.5) } });
    const payload = parsePianoRollPayload(pair);
    // Roll 2, note 1: C#4 from beat 1 to 2 → centre beat 1.5, pitch 61.
    expect(notePosition(plot, payload, 1, 1)).toEqual({ x: 50 + 150, y: 20 + 125 });
    expect(notePosition(plot, payload, 1, 99)).toBeNull();
    expect(notePosition(plot, payload, 5, 0)).toBeNull();
  });
});
