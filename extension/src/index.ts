/**
 * JupyterLab mime-renderer extension for EmoTune Lab: tables, piano-rolls and plotly charts.
 * `package.json` points `jupyterlab.mimeExtension` here; the default export is the list of extensions.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PIANOROLL_MIME, PLOTLY_MIME, TABLE_MIME } from './mime.js';
import { PianoRollRenderer } from './pianoroll/widget.js';
import { PlotlyRenderer } from './plotly/renderer.js';
import { TableRenderer } from './table/widget.js';

export { TABLE_MIME, PIANOROLL_MIME, PLOTLY_MIME } from './mime.js';
export { TableRenderer } from './table/widget.js';
export { PianoRollRenderer } from './pianoroll/widget.js';
export { PlotlyRenderer } from './plotly/renderer.js';

/**
 * JupyterLab picks the lowest-ranked renderer among a bundle's types; text/html is 50, and every bundle we
 * render also carries text/html, so the rank must be below it (plotly's own extension uses 0 as well).
 */
const RANK = 0;

export const tableFactory: IRenderMime.IRendererFactory = {
  // Only text nodes are written, so untrusted outputs are safe to render.
  safe: true,
  mimeTypes: [TABLE_MIME],
  defaultRank: RANK,
  createRenderer: () => new TableRenderer(),
};

export const pianoRollFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PIANOROLL_MIME],
  defaultRank: RANK,
  createRenderer: () => new PianoRollRenderer(),
};

export const plotlyFactory: IRenderMime.IRendererFactory = {
  // Arbitrary plotly figures may carry links and styled text: render them only in trusted outputs.
  safe: false,
  mimeTypes: [PLOTLY_MIME],
  defaultRank: RANK,
  createRenderer: () => new PlotlyRenderer(),
};

const extensions: IRenderMime.IExtension[] = [
  {
    id: '@emotune/jupyterlab-ext:table',
    description: 'EmoTune adherence tables',
    rendererFactory: tableFactory,
    rank: RANK,
    dataType: 'json',
  },
  {
    id: '@emotune/jupyterlab-ext:pianoroll',
    description: 'EmoTune piano-rolls',
    rendererFactory: pianoRollFactory,
    rank: RANK,
    dataType: 'json',
  },
  {
    id: '@emotune/jupyterlab-ext:plotly',
    description: 'Plotly figures',
    rendererFactory: plotlyFactory,
    rank: RANK,
    dataType: 'json',
  },
];

export default extensions;
