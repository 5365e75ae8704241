/** Plotly settings shared by rolls and charts: the mode bar and exported image names. */

/** Mode-bar buttons that do nothing useful on a roll or chart (select tools, cloud sharing, spike lines). */
export const REMOVED_MODEBAR_BUTTONS = [
  'select2d',
  'lasso2d',
  'sendDataToCloud',
  'sendChartToCloud',
  'toggleSpikelines',
  'hoverClosestCartesian',
  'hoverCompareCartesian',
  'autoScale2d',
];

/** A file name for exported images: the figure's title in lower case, letters, digits and dashes only. */
export function figureFileName(title: string | undefined, fallback = 'emotune-figure'): string {
  const slug = (title ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || fallback;
}
