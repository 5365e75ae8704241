/** Renderer for plotly figures (`application/vnd.plotly.v1+json`), using the same lazy plotly as the rolls. */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PLOTLY_MIME } from '../mime.js';
import type { ThemeColors } from '../theme.js';
import { themedFigure } from './figure.js';
import type { PlotlyFigureJson } from './types.js';
import { PlotlyWidget } from './widget.js';
import type { PlotlyWidgetOptions } from './widget.js';

export class PlotlyRenderer extends PlotlyWidget {
  constructor(options: PlotlyWidgetOptions = {}) {
    super(options);
    this.addClass('emotune-plotly-widget');
  }

  protected figure(model: IRenderMime.IMimeModel, theme: ThemeColors): PlotlyFigureJson {
    const fig = themedFigure(model.data[PLOTLY_MIME], theme);
    this.node.dataset['emotuneTraces'] = String(fig.data.length);
    return fig;
  }
}
