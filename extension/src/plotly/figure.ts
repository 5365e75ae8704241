/** Plotly figures from `application/vnd.plotly.v1+json`: validated, then given theme colours where unset. */
import { PLOTLY_MIME, PayloadError, isRecord } from '../mime.js';
import type { ThemeColors } from '../theme.js';
import type { PlotlyFigureJson } from './types.js';
import { REMOVED_MODEBAR_BUTTONS, figureFileName } from './config.js';

export function themedFigure(data: unknown, theme: ThemeColors): PlotlyFigureJson {
  if (!isRecord(data) || !Array.isArray(data['data']))
    throw new PayloadError(PLOTLY_MIME, 'data', 'an array of traces');
  const layout = isRecord(data['layout']) ? { ...data['layout'] } : {};
  // Without a height plotly takes the output div's, which is only as tall as its min-height.
  layout['height'] ??= 420;
  layout['paper_bgcolor'] ??= theme.background;
  layout['plot_bgcolor'] ??= theme.panel;
  const font = isRecord(layout['font']) ? { ...layout['font'] } : {};
  font['color'] ??= theme.text;
  font['family'] ??= theme.font;
  layout['font'] = font;
  // Axes get the theme's grid colour unless the figure chose one.
  for (const key of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(key) && isRecord(layout[key]))
      layout[key] = { gridcolor: theme.gridMinor, ...(layout[key] as object) };
  }
  if (!Object.keys(layout).some((k) => /^[xy]axis\d*$/.test(k))) {
    layout['xaxis'] = { gridcolor: theme.gridMinor };
    layout['yaxis'] = { gridcolor: theme.gridMinor };
  }
  const title = layout['title'];
  const titleText =
    typeof title === 'string'
      ? title
      : isRecord(title) && typeof title['text'] === 'string'
        ? title['text']
        : undefined;
  // No wheel capture (the notebook scrolls), only useful mode-bar buttons, images named after the figure.
  const config = {
    displaylogo: false,
    scrollZoom: false,
    modeBarButtonsToRemove: REMOVED_MODEBAR_BUTTONS,
    toImageButtonOptions: { format: 'png', filename: figureFileName(titleText, 'chart'), scale: 2 },
    ...(isRecord(data['config']) ? data['config'] : {}),
  };
  // Error bars in the text colour unless the figure chose one (plotly's default #444 vanishes on a dark theme).
  const traces = (data['data'] as unknown[]).map((t) => {
    if (isRecord(t) && isReferenceMark(t['meta']) && isRecord(t['line']))
      return { ...t, line: { ...t['line'], color: theme.text } };
    if (!isRecord(t) || !isRecord(t['error_y']) || t['error_y']['color'] !== undefined) return t;
    return { ...t, error_y: { ...t['error_y'], color: theme.text, thickness: 1.5 } };
  }) as Array<Record<string, unknown>>;
  // Chance and ceiling lines (kernel-lib display/reference-marks.ts) in the text colour too.
  if (Array.isArray(layout['shapes']))
    layout['shapes'] = (layout['shapes'] as unknown[]).map((sh) =>
      isRecord(sh) && typeof sh['name'] === 'string' && sh['name'].startsWith('reference:') && isRecord(sh['line'])
        ? { ...sh, line: { ...sh['line'], color: theme.text } }
        : sh,
    );
  const fig: PlotlyFigureJson = { data: traces, layout, config };
  if (Array.isArray(data['frames'])) fig.frames = data['frames'] as unknown[];
  return fig;
}

/** A legend-only trace of the chart's reference marks. */
function isReferenceMark(meta: unknown): boolean {
  return isRecord(meta) && meta['emotune'] === 'reference-legend';
}
