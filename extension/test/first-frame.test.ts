// @vitest-environment jsdom
// The canvas first frame of a roll (drawn while plotly loads on a fresh page): every filled note shape of the
// figure, at the place its axes give it, in its colour. jsdom has no 2-D canvas, so a recording context stands in.
import './dom-setup.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PIANOROLL_MIME } from '../src/mime.js';
import { drawFirstFrame } from '../src/pianoroll/first-frame.js';
import { pianoRollFigure } from '../src/pianoroll/model.js';
import { PianoRollRenderer } from '../src/pianoroll/widget.js';
import type { PlotlyApi } from '../src/plotly/types.js';
import { mimeModel, recordingPlotly } from './helpers.js';

type Call = [string, ...unknown[]];

function recordingContext(): { calls: Call[]; ctx: Record<string, unknown> } {
  const calls: Call[] = [];
  const ctx: Record<string, unknown> = { fillStyle: '' };
  for (const name of ['scale', 'fillRect', 'beginPath', 'moveTo', 'lineTo', 'closePath'])
    ctx[name] = (...a: unknown[]) => calls.push([name, ...a]);
  ctx['fill'] = () => calls.push(['fill', ctx['fillStyle']]);
  return { calls, ctx };
}

const roll = {
  ticksPerBeat: 480,
  beatsPerBar: 4,
  notes: [
    [60, 0, 480, 100],
    [64, 480, 1440, 20],
    [67, 960, 1920, 20],
  ] as Array<[number, number, number, number]>,
  pitchRange: [59, 68] as [number, number],
  endTick: 1920,
  highlight: { label: 'duration = 960', notes: [1, 2] },
};

afterEach(() => vi.restoreAllMocks());

describe('drawFirstFrame', () => {
  it('fills each filled trace of the figure once, in its colour, mapped through its axes', () => {
    const { calls, ctx } = recordingContext();
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as unknown as CanvasRenderingContext2D);
    const fig = pianoRollFigure({ version: 1, linkedTime: false, rolls: [roll] });
    const canvas = drawFirstFrame(fig, 800);
    expect(canvas?.className).toBe('emotune-first-frame');
    const filled = fig.data.filter((t) => t['fill'] === 'toself');
    expect(calls.filter((c) => c[0] === 'fill').map((c) => c[1])).toEqual(filled.map((t) => t['fillcolor']));
    // The first point of the first filled trace lands inside the plot area, at its axis position.
    const layout = fig.layout as {
      margin: { l: number; r: number; t: number; b: number };
      height: number;
      xaxis: { range: [number, number] };
      yaxis: { range: [number, number] };
    };
    const [x0, y0] = [(filled[0]!['x'] as number[])[0]!, (filled[0]!['y'] as number[])[0]!];
    const left = layout.margin.l;
    const innerW = 800 - left - layout.margin.r - 84;
    const innerH = layout.height - layout.margin.t - layout.margin.b;
    const [xr0, xr1] = layout.xaxis.range;
    const [yr0, yr1] = layout.yaxis.range;
    const move = calls.find((c) => c[0] === 'moveTo')!;
    expect(move[1]).toBeCloseTo(left + ((x0 - xr0) / (xr1 - xr0)) * innerW, 6);
    expect(move[2]).toBeCloseTo(layout.margin.t + (1 - (y0 - yr0) / (yr1 - yr0)) * innerH, 6);
    // Every point of every filled trace is drawn.
    expect(calls.filter((c) => c[0] === 'lineTo').length).toBe(
      filled.reduce((n, t) => n + (t['x'] as unknown[]).length - 1, 0),
    );
  });

  it('gives nothing where there is no 2-D canvas (the widget then waits for plotly)', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    expect(drawFirstFrame(pianoRollFigure({ version: 1, linkedTime: false, rolls: [roll] }), 800)).toBeNull();
  });
});

describe('the piano-roll widget while plotly loads', () => {
  it('shows the first frame at once and removes it when plotly has drawn', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(
      recordingContext().ctx as unknown as CanvasRenderingContext2D,
    );
    const plotly = recordingPlotly();
    let loaded: (p: PlotlyApi) => void = () => undefined;
    const w = new PianoRollRenderer({
      loadPlotly: () => new Promise<PlotlyApi>((ok) => (loaded = ok)),
      firstFrame: true,
    });
    const rendering = w.renderModel(mimeModel(PIANOROLL_MIME, { version: 1, linkedTime: false, rolls: [roll] }));
    expect(w.node.querySelectorAll('canvas.emotune-first-frame')).toHaveLength(1);
    expect(plotly.calls).toEqual([]);
    loaded(plotly);
    await rendering;
    expect(plotly.calls.map((c) => c[0])).toEqual(['react']);
    expect(w.node.querySelector('canvas.emotune-first-frame')).toBeNull();
    w.dispose();
  });

  it('draws no first frame with a plotly it was given (tests, or plotly already loaded)', async () => {
    const getContext = vi.spyOn(HTMLCanvasElement.prototype, 'getContext');
    const plotly = recordingPlotly();
    const w = new PianoRollRenderer({ loadPlotly: async () => plotly });
    await w.renderModel(mimeModel(PIANOROLL_MIME, { version: 1, linkedTime: false, rolls: [roll] }));
    expect(getContext).not.toHaveBeenCalled();
    expect(plotly.calls.map((c) => c[0])).toEqual(['react']);
    w.dispose();
  });
});
