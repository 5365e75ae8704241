/** The part of plotly.js the renderers call; tests pass a recording double with the same shape. */
export interface PlotlyFigureJson {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: unknown[];
}

export interface PlotlyApi {
  react(
    el: HTMLElement,
    data: unknown[],
    layout: Record<string, unknown>,
    config?: Record<string, unknown>,
  ): Promise<unknown>;
  relayout(el: HTMLElement, update: Record<string, unknown>): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): unknown };
  /** Present in real plotly (absent in test doubles): the SVG export button uses them. */
  downloadImage?(
    el: HTMLElement,
    options: { format: 'png' | 'svg'; filename: string; width?: number; height?: number },
  ): Promise<unknown>;
  Icons?: Record<string, unknown>;
}

export type PlotlyBundle = 'cartesian' | 'full';

export type PlotlyLoader = (bundle: PlotlyBundle) => Promise<PlotlyApi>;
