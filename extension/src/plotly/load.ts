/**
 * plotly.js is bundled with the extension (no CDN, works offline) and loaded with dynamic imports, so its
 * chunks are only fetched when a roll or chart is first shown. Two builds: the cartesian one (1.5 MB: bar,
 * box, heatmap, histogram, scatter, ...) draws every roll and every chart kernel-lib makes and starts three
 * times faster; the full one (4.6 MB) is fetched only for a figure with other trace types (3-D, maps, gl).
 */
import type { PlotlyApi, PlotlyBundle } from './types.js';

const CARTESIAN_TYPES = new Set([
  'bar',
  'box',
  'contour',
  'heatmap',
  'histogram',
  'histogram2d',
  'histogram2dcontour',
  'image',
  'pie',
  'scatter',
  'scatterternary',
  'violin',
]);

/** The smallest build that draws every trace of a figure (traces without a type are scatter). */
export function bundleFor(traces: ReadonlyArray<Record<string, unknown>>): PlotlyBundle {
  return traces.every((t) => CARTESIAN_TYPES.has(typeof t['type'] === 'string' ? t['type'] : 'scatter'))
    ? 'cartesian'
    : 'full';
}

const pending: Partial<Record<PlotlyBundle, Promise<PlotlyApi>>> = {};

function unwrap(m: unknown): PlotlyApi {
  const mod = m as { default?: unknown };
  return (mod.default ?? mod) as PlotlyApi;
}

const loaded = new Set<PlotlyBundle>();

export function loadPlotly(bundle: PlotlyBundle = 'cartesian'): Promise<PlotlyApi> {
  pending[bundle] ??= (
    bundle === 'cartesian' ? import('plotly.js-cartesian-dist-min') : import('plotly.js-dist-min')
  ).then(
    (m) => {
      loaded.add(bundle);
      return unwrap(m);
    },
    (e: unknown) => {
      // A failed load (a chunk the server could not send) is not cached: the next output tries again, and this
      // one shows why it has no figure.
      delete pending[bundle];
      throw new Error(
        `plotly could not be loaded (${(e as Error)?.message ?? String(e)}); re-run the cell to try again`,
      );
    },
  );
  return pending[bundle] as Promise<PlotlyApi>;
}

/** Whether a build has loaded on this page (a renderer then draws at once, with no first frame). */
export function plotlyLoaded(bundle: PlotlyBundle): boolean {
  return loaded.has(bundle);
}
