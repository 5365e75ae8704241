// @vitest-environment jsdom
import './dom-setup.js';
import { describe, expect, it } from 'vitest';
import extensions, { pianoRollFactory, plotlyFactory, tableFactory } from '../src/index.js';
import { PIANOROLL_MIME, PLOTLY_MIME, TABLE_MIME } from '../src/mime.js';
import { themedFigure } from '../src/plotly/figure.js';
import { bundleFor } from '../src/plotly/load.js';
import type { PlotlyBundle } from '../src/plotly/types.js';
import { PlotlyRenderer } from '../src/plotly/renderer.js';
import { themeColors } from '../src/theme.js';
import { mimeModel, recordingPlotly } from './helpers.js';

const theme = {
  background: '#111',
  panel: '#222',
  text: '#eee',
  grid: '#444',
  gridMinor: '#333',
  accent: '#f00',
  font: 'serif',
};

describe('themedFigure', () => {
  it('fills unset colours from the theme and keeps the figure’s own', () => {
    const f = themedFigure(
      { data: [{ type: 'bar', y: [1] }], layout: { plot_bgcolor: 'white', xaxis: { title: 'x' } } },
      theme,
    );
    expect(f.layout).toMatchObject({
      height: 420,
      paper_bgcolor: '#111',
      plot_bgcolor: 'white',
      font: { color: '#eee', family: 'serif' },
      xaxis: { title: 'x', gridcolor: '#333' },
    });
    expect(f.config).toMatchObject({ displaylogo: false });
  });

  it('draws the chance and ceiling marks (lines and their legend entries) in the theme text colour', () => {
    const f = themedFigure(
      {
        data: [
          { type: 'bar', y: [1] },
          { type: 'scatter', x: [null], y: [null], line: { color: '#8c8c8c' }, meta: { emotune: 'reference-legend' } },
        ],
        layout: {
          shapes: [
            { type: 'line', name: 'reference:chance', line: { color: '#8c8c8c', dash: 'dash' } },
            { type: 'rect', line: { color: 'red' } },
          ],
        },
      },
      theme,
    );
    expect((f.data[1] as { line: { color: string } }).line.color).toBe('#eee');
    const shapes = f.layout['shapes'] as Array<{ line: { color: string; dash?: string } }>;
    expect(shapes[0]!.line).toEqual({ color: '#eee', dash: 'dash' });
    expect(shapes[1]!.line.color).toBe('red');
  });

  it('rejects a figure without traces', () => {
    expect(() => themedFigure({ layout: {} }, theme)).toThrow(/data: expected an array of traces/);
  });
});

describe('themeColors', () => {
  it('reads JupyterLab CSS variables and falls back outside JupyterLab', () => {
    const el = document.createElement('div');
    document.body.appendChild(el);
    expect(themeColors(el).background).toBe('#ffffff');
    el.style.setProperty('--jp-layout-color0', '#101010');
    expect(themeColors(el).background).toBe('#101010');
  });
});

describe('PlotlyRenderer', () => {
  it('renders the figure with plotly and purges on dispose', async () => {
    const plotly = recordingPlotly();
    const w = new PlotlyRenderer({ loadPlotly: async () => plotly });
    await w.renderModel(
      mimeModel(PLOTLY_MIME, {
        data: [
          { type: 'bar', x: ['a'], y: [1] },
          { type: 'bar', x: ['a'], y: [2] },
        ],
      }),
    );
    expect(plotly.calls.map(([n]) => n)).toEqual(['react']);
    expect(w.node.dataset['emotuneTraces']).toBe('2');
    w.dispose();
    expect(plotly.calls.map(([n]) => n)).toEqual(['react', 'purge']);
  });

  it('says in the output when plotly cannot be loaded, and draws once a later load succeeds', async () => {
    const plotly = recordingPlotly();
    let fail = true;
    const w = new PlotlyRenderer({
      loadPlotly: async () => {
        if (fail) throw new Error('plotly could not be loaded (chunk 409 failed); re-run the cell to try again');
        return plotly;
      },
    });
    const model = mimeModel(PLOTLY_MIME, { data: [{ type: 'bar', y: [1] }] });
    await w.renderModel(model);
    expect(w.node.querySelector('.emotune-error')?.textContent).toMatch(/plotly could not be loaded/);
    fail = false;
    await w.renderModel(model);
    expect(w.node.querySelector('.emotune-error')).toBeNull();
    expect(plotly.calls.map(([n]) => n)).toEqual(['react']);
  });
});

describe('plotly build choice', () => {
  it('uses the cartesian build for rolls and our charts, the full one for other trace types', () => {
    expect(bundleFor([{ type: 'bar' }, { type: 'heatmap' }, { type: 'box' }, {}])).toBe('cartesian');
    expect(bundleFor([{ type: 'bar' }, { type: 'scatter3d' }])).toBe('full');
  });

  it('loads the build a figure needs and purges the old plot when a re-render needs the other one', async () => {
    const asked: PlotlyBundle[] = [];
    const doubles = { cartesian: recordingPlotly(), full: recordingPlotly() };
    const w = new PlotlyRenderer({ loadPlotly: async (b) => (asked.push(b), doubles[b]) });
    await w.renderModel(mimeModel(PLOTLY_MIME, { data: [{ type: 'bar', y: [1] }] }));
    await w.renderModel(mimeModel(PLOTLY_MIME, { data: [{ type: 'bar', y: [2] }] }));
    expect(asked).toEqual(['cartesian']);
    await w.renderModel(mimeModel(PLOTLY_MIME, { data: [{ type: 'surface', z: [[1]] }] }));
    expect(asked).toEqual(['cartesian', 'full']);
    expect(doubles.cartesian.calls.map(([n]) => n)).toEqual(['react', 'react', 'purge']);
    expect(doubles.full.calls.map(([n]) => n)).toEqual(['react']);
    expect(w.node.querySelector('.emotune-plot')?.getAttribute('data-emotune-plotly')).toBe('full');
  });
});

describe('extension entry point', () => {
  it('claims its own MIME type for its plotly figures, leaving other plotly outputs to their renderer', () => {
    expect(PLOTLY_MIME).toBe('application/vnd.emotune.plotly+json');
    expect(extensions.flatMap((e) => e.rendererFactory.mimeTypes)).not.toContain('application/vnd.plotly.v1+json');
  });

  it('registers the three renderers ahead of the HTML fallback, with plotly figures limited to trusted outputs', () => {
    expect(extensions.map((e) => e.rendererFactory.mimeTypes[0])).toEqual([TABLE_MIME, PIANOROLL_MIME, PLOTLY_MIME]);
    expect(tableFactory.safe).toBe(true);
    expect(pianoRollFactory.safe).toBe(true);
    expect(plotlyFactory.safe).toBe(false);
    // Below text/html's rank (50): the HTML fallback in the same bundle must not win.
    expect(extensions.every((e) => (e.rank ?? 100) < 50 && (e.rendererFactory.defaultRank ?? 100) < 50)).toBe(true);
  });
});
