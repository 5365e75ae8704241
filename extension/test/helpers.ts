import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { PlotlyApi } from '../src/plotly/types.js';

/** A MimeModel as JupyterLab hands it to a renderer. */
export function mimeModel(mime: string, payload: unknown, trusted = true): IRenderMime.IMimeModel {
  return {
    trusted,
    data: { [mime]: payload } as IRenderMime.IMimeModel['data'],
    metadata: {},
    setData: () => undefined,
  };
}

/** A plotly double that records what the widget asks of it (jsdom cannot draw plotly). */
export function recordingPlotly(): PlotlyApi & { calls: Array<[string, unknown[]]> } {
  const calls: Array<[string, unknown[]]> = [];
  return {
    calls,
    react: async (...args: unknown[]) => void calls.push(['react', args]),
    relayout: async (...args: unknown[]) => void calls.push(['relayout', args]),
    purge: (...args: unknown[]) => void calls.push(['purge', args]),
    Plots: { resize: (...args: unknown[]) => void calls.push(['resize', args]) },
  };
}
